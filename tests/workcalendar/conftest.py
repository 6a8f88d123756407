"""A frozen clock for the calendar tests."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from django.utils import timezone


@pytest.fixture
def freeze(monkeypatch):
    """Return a function that sets the portal's clock to 10:00 on a given day."""

    def set_day(day: date) -> None:
        moment = timezone.make_aware(datetime.combine(day, time(10)))
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return set_day
