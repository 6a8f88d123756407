"""Evaluation periods: a month (``2026-07``), a quarter (``2026-Q3``) or a year (``2026``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

_PERIOD_RE = re.compile(r"^(?P<year>\d{4})(?:-(?:Q(?P<quarter>[1-4])|(?P<month>0[1-9]|1[0-2])))?$")


def clock() -> datetime:
    """Return the current instant (one seam, so tests can evaluate a past year as if after it)."""
    return timezone.now()


class PeriodError(ValueError):
    """The text does not name a period."""


def add_months(day: date, months: int) -> date:
    """Return the same day ``months`` later (or earlier), clamped to the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    following = date(year + (month == 12), month % 12 + 1, 1)
    return date(year, month, min(day.day, (following - timedelta(days=1)).day))


def day_start(day: date) -> datetime:
    """Return midnight at the start of the day in the portal's time zone."""
    return timezone.make_aware(datetime.combine(day, time.min))


@dataclass(frozen=True)
class Period:
    """A calendar period; ``start`` is its first day and ``end`` its last day (inclusive)."""

    key: str
    start: date
    end: date

    @property
    def kind(self) -> str:
        if "Q" in self.key:
            return "quarter"
        return "month" if "-" in self.key else "year"

    @property
    def start_at(self) -> datetime:
        return day_start(self.start)

    @property
    def end_at(self) -> datetime:
        """Return the instant the period ends (exclusive): midnight after its last day."""
        return day_start(self.end + timedelta(days=1))

    def as_of(self, now: datetime | None = None) -> datetime:
        """Return the instant the period is evaluated at: its end, or now while it runs."""
        now = now or clock()
        return min(self.end_at, now)

    def months(self) -> list[Period]:
        """Return the months of the period, in order."""
        result = []
        first = date(self.start.year, self.start.month, 1)
        while first <= self.end:
            result.append(parse_period(f"{first:%Y-%m}"))
            first = add_months(first, 1)
        return result

    @property
    def label(self) -> str:
        if self.kind == "year":
            return _("%(year)s") % {"year": self.start.year}
        if self.kind == "quarter":
            return _("Q%(quarter)s %(year)s") % {
                "quarter": (self.start.month - 1) // 3 + 1,
                "year": self.start.year,
            }
        return _("%(year)s-%(month)02d") % {"year": self.start.year, "month": self.start.month}

    def __str__(self) -> str:
        return self.key


def parse_period(text: str) -> Period:
    """Return the period a text names, or raise ``PeriodError`` with a message for the user."""
    match = _PERIOD_RE.match((text or "").strip())
    if not match or not 2000 <= int(match["year"]) <= 2100:
        raise PeriodError(
            _(
                "“%(text)s” is not a period. Write a year (2026), a quarter (2026-Q3) or a month (2026-07)."
            )
            % {"text": text}
        )
    year = int(match["year"])
    if match["quarter"]:
        first = date(year, 3 * int(match["quarter"]) - 2, 1)
        return Period(
            f"{year}-Q{match['quarter']}", first, add_months(first, 3) - timedelta(days=1)
        )
    if match["month"]:
        first = date(year, int(match["month"]), 1)
        return Period(f"{year}-{match['month']}", first, add_months(first, 1) - timedelta(days=1))
    return Period(str(year), date(year, 1, 1), date(year, 12, 31))


def current_period(today: date | None = None) -> Period:
    """Return the current year, the default evaluation period (考核 is yearly)."""
    today = today or timezone.localdate()
    return parse_period(str(today.year))
