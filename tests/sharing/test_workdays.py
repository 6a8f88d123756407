"""Deadlines in Chinese working days, on real 2026 dates with their adjusted workdays (调休)."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation

from sharing.workdays import (
    CalendarNotCovered,
    add_working_days,
    is_workday,
    working_days_between,
)


def test_national_day_2026_counts_the_adjusted_saturday():
    # Oct 1-7 are off; Saturday Oct 10 is a working day (调休). Counting from Sep 30:
    # Oct 8, 9, 10(Sat), 12, 13, 14, 15, 16, 19, 20.
    assert not is_workday(date(2026, 10, 1)) and not is_workday(date(2026, 10, 7))
    assert is_workday(date(2026, 10, 10))
    assert add_working_days(date(2026, 9, 30), 10) == date(2026, 10, 20)


def test_spring_festival_2026_counts_both_adjusted_saturdays():
    # Feb 14 (Sat) and Feb 28 (Sat) are working days; Feb 16-23 are off. From Thursday Feb 12:
    # Feb 13, 14(Sat), 24, 25, 26, 27, 28(Sat), Mar 2, 3, 4.
    assert is_workday(date(2026, 2, 14)) and is_workday(date(2026, 2, 28))
    assert not is_workday(date(2026, 2, 16)) and not is_workday(date(2026, 2, 23))
    assert add_working_days(date(2026, 2, 12), 10) == date(2026, 3, 4)


def test_working_days_left_and_overdue():
    assert working_days_between(date(2026, 9, 30), date(2026, 10, 20)) == 10
    assert working_days_between(date(2026, 10, 20), date(2026, 10, 20)) == 0
    assert working_days_between(date(2026, 10, 22), date(2026, 10, 20)) == -2


def test_uncovered_year_fails_loudly_in_the_users_language(settings):
    settings.PORTAL_EXTRA_HOLIDAYS = []
    settings.PORTAL_EXTRA_WORKDAYS = []
    with pytest.raises(CalendarNotCovered) as caught:
        add_working_days(date(2026, 12, 24), 10)
    assert caught.value.year == 2027
    with translation.override("en"):
        assert "2027" in caught.value.message and "PORTAL_EXTRA_HOLIDAYS" in caught.value.message
    with translation.override("zh-hans"):
        assert "2027" in caught.value.message


def test_operator_can_add_a_new_years_schedule(settings):
    settings.PORTAL_EXTRA_HOLIDAYS = ["2027-01-01"]
    settings.PORTAL_EXTRA_WORKDAYS = ["2027-01-09"]
    assert not is_workday(date(2027, 1, 1))  # a Friday off
    assert is_workday(date(2027, 1, 9))  # a Saturday at work
    assert is_workday(date(2027, 1, 4)) and not is_workday(date(2027, 1, 3))
    # Dec 31 2026 (Thu) +1 skips Fri Jan 1, the weekend, lands on Mon Jan 4.
    assert add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 4)


def test_submission_in_uncovered_year_is_refused_with_nothing_saved(matrix, settings, monkeypatch):
    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from sharing.models import ShareRequest

    from .conftest import submit

    settings.PORTAL_EXTRA_HOLIDAYS = []
    settings.PORTAL_EXTRA_WORKDAYS = []
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: date(2026, 12, 24))
    with pytest.raises(ValidationError, match="2027"):
        submit(matrix.users["cons_staff_3"], matrix.resources["pub_cond_1"])
    assert not ShareRequest.objects.exists()
