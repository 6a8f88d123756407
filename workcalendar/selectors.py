"""Reads of the calendar: the years, one year as a month grid, its history, the warning."""

from __future__ import annotations

import calendar as month_calendar
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from audit.models import AuditEvent

from .models import CalendarDay, CalendarYear
from .rules import RULES_SOURCE, rule_holidays
from .workdays import year_schedule


def calendar_years() -> QuerySet[CalendarYear]:
    """Return every year the calendar holds, newest first, with its day counts."""
    return CalendarYear.objects.annotate(
        holiday_count=Count("days", filter=Q(days__kind=CalendarDay.Kind.HOLIDAY)),
        workday_count=Count("days", filter=Q(days__kind=CalendarDay.Kind.WORKDAY)),
    ).order_by("-year")


def calendar_year_get(year: int) -> CalendarYear | None:
    return CalendarYear.objects.filter(year=year).select_related("official_by").first()


@dataclass(frozen=True)
class ScheduledDay:
    """A day that differs from the plain week, as deadlines in its year count it."""

    day: date
    kind: str
    name: str
    source: str


def year_days(year: int) -> list[ScheduledDay]:
    """Return the days deadlines in the year are counted with.

    For an official year, the stored days; for any other, the holidays of the regulation
    (``workcalendar.rules``), which is what provisional deadlines use.
    """
    if year_schedule(year).official:
        return [
            ScheduledDay(d.day, d.kind, d.name, d.source)
            for d in CalendarDay.objects.filter(calendar__year=year).order_by("day")
        ]
    return [
        ScheduledDay(day, CalendarDay.Kind.HOLIDAY, name, RULES_SOURCE)
        for day, name in sorted(rule_holidays(year).items())
    ]


def entered_days(year: int) -> list[CalendarDay]:
    """Return the days stored for the year (entered or imported, official or not)."""
    return list(CalendarDay.objects.filter(calendar__year=year).order_by("day"))


@dataclass(frozen=True)
class GridDay:
    day: date | None
    workday: bool = False
    weekend: bool = False
    kind: str = ""
    name: str = ""


def month_grid(year: int, days: list[Any]) -> list[tuple[int, list[list[GridDay]]]]:
    """Return the twelve months as weeks (Monday first) of cells marked with the given days."""
    marked = {d.day: d for d in days}
    schedule = year_schedule(year)
    months = []
    for month in range(1, 13):
        weeks = []
        for week in month_calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
            cells = []
            for day in week:
                if day.month != month:
                    cells.append(GridDay(None))
                    continue
                entry = marked.get(day)
                cells.append(
                    GridDay(
                        day,
                        workday=schedule.is_workday(day),
                        weekend=day.weekday() >= 5,
                        kind=entry.kind if entry else "",
                        name=entry.name if entry else "",
                    )
                )
            weeks.append(cells)
        months.append((month, weeks))
    return months


def year_history(calendar: CalendarYear | None) -> QuerySet[AuditEvent]:
    """Return the audit events of the year, newest first."""
    if calendar is None:
        return AuditEvent.objects.none()
    return AuditEvent.objects.filter(
        object_type=CalendarYear._meta.label_lower, object_id=str(calendar.pk)
    ).order_by("-sequence")


def warn_from(today: date) -> date:
    """Return the day from which next year's missing schedule is warned about."""
    month, day = (int(part) for part in settings.PORTAL_CALENDAR_WARN_FROM.split("-"))
    return date(today.year, month, day)


def year_needing_schedule(today: date | None = None) -> int | None:
    """Return next year while it is not official and the warning period has begun, else None."""
    today = today or timezone.localdate()
    if today < warn_from(today):
        return None
    following = today.year + 1
    return None if year_schedule(following).official else following
