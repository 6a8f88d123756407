"""Chinese statutory working days (法定工作日), read from the calendar table.

A year marked official counts the plain week, less the holidays and plus the adjusted working
days stored for it. Any other year counts the plain week less the holidays of the national
regulation (``workcalendar.rules``); a deadline that reaches into such a year is *provisional*
and is recomputed when the year is made official. Counting never fails for want of a calendar.

Each year's schedule is read in two queries and kept in the shared cache, and for a couple of
seconds in the process too (a report counts the working days of every request of a year); the
calendar's services forget a year in both whenever they change it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import accumulate
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache

from .models import CalendarDay, CalendarYear
from .rules import rule_holidays

CACHE_PREFIX = "workcalendar:year:v1:"
# How long a process reuses a schedule without asking the shared cache again.
LOCAL_SECONDS = 2.0
_local: dict[int, tuple[float, YearSchedule]] = {}


@dataclass(frozen=True)
class YearSchedule:
    """How one year counts: official or provisional, its days off and its adjusted workdays."""

    year: int
    official: bool
    holidays: frozenset[date]
    workdays: frozenset[date]
    # For each day of the year, the working days from 1 January up to and including that day.
    through: tuple[int, ...] = field(repr=False, compare=False)

    def is_workday(self, day: date) -> bool:
        if day in self.holidays:
            return False
        if day in self.workdays:
            return True
        return day.weekday() < 5

    @property
    def total(self) -> int:
        return self.through[-1]


def _days_of(year: int) -> list[date]:
    first = date(year, 1, 1)
    return [first + timedelta(days=n) for n in range((date(year + 1, 1, 1) - first).days)]


def _build(year: int, official: bool, holidays: set[date], workdays: set[date]) -> YearSchedule:
    schedule = YearSchedule(year, official, frozenset(holidays), frozenset(workdays), through=())
    through = tuple(accumulate(int(schedule.is_workday(d)) for d in _days_of(year)))
    return YearSchedule(year, official, schedule.holidays, schedule.workdays, through=through)


def load_year(year: int) -> YearSchedule:
    """Read a year's schedule from the database (no cache)."""
    official = CalendarYear.objects.filter(year=year, official=True).exists()
    if not official:
        return _build(year, False, set(rule_holidays(year)), set())
    holidays: set[date] = set()
    workdays: set[date] = set()
    for day, kind in CalendarDay.objects.filter(calendar__year=year).values_list("day", "kind"):
        (holidays if kind == CalendarDay.Kind.HOLIDAY else workdays).add(day)
    return _build(year, True, holidays, workdays)


def year_schedule(year: int) -> YearSchedule:
    """Return a year's schedule, from the shared cache when it holds it."""
    now = time.monotonic()
    held = _local.get(year)
    if held is not None and held[0] > now:
        return held[1]
    key = f"{CACHE_PREFIX}{year}"
    schedule = cache.get(key)
    if schedule is None:
        schedule = load_year(year)
        cache.set(key, schedule, timeout=settings.PORTAL_CALENDAR_CACHE_SECONDS)
    _local[year] = (now + LOCAL_SECONDS, schedule)
    return schedule


def forget_years(*years: int) -> None:
    """Drop cached schedules (after a change to the calendar)."""
    for year in years:
        _local.pop(year, None)
    cache.delete_many([f"{CACHE_PREFIX}{year}" for year in years])


def forget_all() -> None:
    """Drop every schedule this process holds (tests, after the database was reset)."""
    _local.clear()


def is_workday(day: date) -> bool:
    """Return whether the day is a working day on the statutory calendar."""
    return year_schedule(day.year).is_workday(day)


def is_official(year: int) -> bool:
    """Return whether the year's schedule is the official one."""
    return year_schedule(year).official


class Deadline(NamedTuple):
    """A due date, and whether it was counted over a year that is not official yet."""

    day: date
    provisional: bool


def deadline_after(start: date, days: int) -> Deadline:
    """Return the date ``days`` working days after ``start`` (the start day does not count)."""
    if days < 0:
        raise ValueError("days must not be negative")
    current, remaining = start, days
    provisional = False
    while remaining:
        current += timedelta(days=1)
        schedule = year_schedule(current.year)
        provisional = provisional or not schedule.official
        if schedule.is_workday(current):
            remaining -= 1
    return Deadline(current, provisional)


def add_working_days(start: date, days: int) -> date:
    """Return the date ``days`` working days after ``start`` (the start day does not count)."""
    return deadline_after(start, days).day


def _through(day: date) -> int:
    return year_schedule(day.year).through[day.timetuple().tm_yday - 1]


def working_days_between(start: date, end: date) -> int:
    """Return the working days after ``start`` up to and including ``end``; negative if past.

    ``working_days_between(today, deadline)`` is the number of working days left to answer.
    Counted from each year's running totals, so a year-long span costs no more than a day.
    """
    if end < start:
        return -working_days_between(end, start)
    whole_years = sum(year_schedule(y).total for y in range(start.year, end.year))
    return whole_years + _through(end) - _through(start)
