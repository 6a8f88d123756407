"""Chinese statutory working days (法定工作日), with the adjusted workdays (调休).

The State Council publishes each year's holiday schedule in the previous November or December;
the ``chinese_calendar`` package ships it once it is out. For a year the package does not cover
yet, an operator can add the official schedule through two settings (ISO dates):

- ``PORTAL_EXTRA_HOLIDAYS``: weekdays that are days off;
- ``PORTAL_EXTRA_WORKDAYS``: Saturdays or Sundays that are working days (调休上班).

A year counts as covered when the package knows it or when either setting names a date in it.
Otherwise counting fails loudly with ``CalendarNotCovered``: a deadline that silently ignored a
public holiday would be wrong by up to a week, and a department would be ranked late unfairly.
The settings also override the package for a covered year (e.g. a late change of schedule).
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import chinese_calendar
from django.conf import settings
from django.utils.translation import gettext as _


class CalendarNotCovered(Exception):
    """The working-day calendar has no data for a year."""

    def __init__(self, year: int) -> None:
        self.year = year
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return _(
            "The working-day calendar has no data for %(year)s yet. An administrator must add "
            "that year's official holiday schedule (PORTAL_EXTRA_HOLIDAYS and "
            "PORTAL_EXTRA_WORKDAYS) or update the chinese-calendar package."
        ) % {"year": self.year}

    def __str__(self) -> str:
        return self.message


@lru_cache(maxsize=8)
def _parse(dates: tuple[str, ...]) -> frozenset[date]:
    return frozenset(date.fromisoformat(d) for d in dates)


def _extra(name: str) -> frozenset[date]:
    return _parse(tuple(getattr(settings, name, ()) or ()))


def is_workday(day: date) -> bool:
    """Return whether the day is a working day on the statutory calendar."""
    holidays, workdays = _extra("PORTAL_EXTRA_HOLIDAYS"), _extra("PORTAL_EXTRA_WORKDAYS")
    if day in holidays:
        return False
    if day in workdays:
        return True
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        if any(d.year == day.year for d in holidays | workdays):
            return day.weekday() < 5
        raise CalendarNotCovered(day.year) from None


def add_working_days(start: date, days: int) -> date:
    """Return the date ``days`` working days after ``start`` (the start day does not count)."""
    if days < 0:
        raise ValueError("days must not be negative")
    current = start
    remaining = days
    while remaining:
        current += timedelta(days=1)
        if is_workday(current):
            remaining -= 1
    return current


def working_days_between(start: date, end: date) -> int:
    """Return the working days after ``start`` up to and including ``end``; negative if past.

    ``working_days_between(today, deadline)`` is the number of working days left to answer.
    """
    if end == start:
        return 0
    sign = 1 if end > start else -1
    low, high = (start, end) if sign == 1 else (end, start)
    count = 0
    current = low
    while current < high:
        current += timedelta(days=1)
        if is_workday(current):
            count += 1
    return sign * count
