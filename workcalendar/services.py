"""Every change to the calendar: enter or import a year's schedule, make it official, reopen it.

Each service validates everything before it writes, changes the year in one transaction,
records an audit event on the year (its history) and forgets the cached schedule.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from audit.services import record
from kernel.files import UnsafeFile
from kernel.policies import require
from kernel.sandbox import run_limited

from . import policies
from .files import FileRow, ScheduleFileError, read_schedule_file
from .models import FIRST_YEAR, LAST_YEAR, CalendarDay, CalendarYear
from .signals import year_made_official
from .workdays import forget_years

# A holiday block longer than this is taken for a typing error (the longest so far: 9 days).
MAX_RANGE_DAYS = 15
NAME_MAX = 60
DEFAULT_WORKDAY_NAME = "调休上班"


@dataclass(frozen=True)
class DayRange:
    """Days from ``start`` to ``end`` (inclusive) of one kind, under one name."""

    start: date
    end: date
    name: str

    def days(self) -> list[date]:
        return [self.start + timedelta(days=n) for n in range((self.end - self.start).days + 1)]

    def as_list(self) -> list[str]:
        return [self.start.isoformat(), self.end.isoformat(), self.name]


def _require_keeper(actor: Any) -> None:
    require(
        actor,
        policies.can_change_calendar,
        message=_("You may not change the working-day calendar."),
    )


def _check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationError(
            {
                "year": _("Choose a year from %(first)s to %(last)s.")
                % {"first": FIRST_YEAR, "last": LAST_YEAR}
            }
        )


# --- parsing the entry form -------------------------------------------------------------------

_DATE = r"(\d{4}[-/.]\d{1,2}[-/.]\d{1,2})"
_LINE = re.compile(rf"^{_DATE}(?:\s*(?:至|到|~|～|—|–|to)\s*{_DATE})?(?:\s+(.*))?$", re.IGNORECASE)


def _parse_date(text: str) -> date:
    parts = re.split(r"[-/.]", text)
    return date(int(parts[0]), int(parts[1]), int(parts[2]))


def parse_ranges(text: str, *, field: str, default_name: str = "") -> list[DayRange]:
    """Parse lines like ``2027-02-06 至 2027-02-12 春节`` (or one date and a name)."""
    ranges: list[DayRange] = []
    errors: list[str] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        match = _LINE.match(line)
        if match is None:
            errors.append(
                _("Line %(number)s (“%(line)s”) is not “YYYY-MM-DD 至 YYYY-MM-DD name”.")
                % {"number": number, "line": line}
            )
            continue
        first, last, name = match.groups()
        try:
            start = _parse_date(first)
            end = _parse_date(last) if last else start
        except ValueError:
            errors.append(
                _("Line %(number)s (“%(line)s”) names a date that does not exist.")
                % {"number": number, "line": line}
            )
            continue
        ranges.append(DayRange(start, end, (name or default_name).strip()))
    if errors:
        raise ValidationError({field: errors})
    return ranges


# --- validation --------------------------------------------------------------------------------


def _validate(
    year: int, holidays: Sequence[DayRange], workdays: Sequence[DayRange]
) -> list[tuple[date, str, str]]:
    """Return the (day, kind, name) rows of a valid schedule, or raise every problem at once."""
    _check_year(year)
    problems: dict[str, list[str]] = {"holidays": [], "workdays": []}
    rows: dict[date, tuple[str, str]] = {}
    for kind, field, ranges in (
        (CalendarDay.Kind.HOLIDAY, "holidays", holidays),
        (CalendarDay.Kind.WORKDAY, "workdays", workdays),
    ):
        out = problems[field]
        for entry in ranges:
            label = f"{entry.start.isoformat()} – {entry.end.isoformat()}"
            if not entry.name:
                out.append(_("%(range)s: give the holiday's name.") % {"range": label})
            elif len(entry.name) > NAME_MAX:
                out.append(
                    _("%(range)s: the name is longer than %(limit)s characters.")
                    % {"range": label, "limit": NAME_MAX}
                )
            if entry.end < entry.start:
                out.append(_("%(range)s ends before it starts.") % {"range": label})
                continue
            if entry.start.year != year or entry.end.year != year:
                out.append(_("%(range)s is not inside %(year)s.") % {"range": label, "year": year})
                continue
            if (entry.end - entry.start).days + 1 > MAX_RANGE_DAYS:
                out.append(
                    _("%(range)s is longer than %(limit)s days; check the dates.")
                    % {"range": label, "limit": MAX_RANGE_DAYS}
                )
                continue
            for day in entry.days():
                if kind == CalendarDay.Kind.WORKDAY and day.weekday() < 5:
                    out.append(
                        _(
                            "%(day)s is a weekday: only a Saturday or a Sunday can be an "
                            "adjusted working day."
                        )
                        % {"day": day.isoformat()}
                    )
                    continue
                if day in rows:
                    other_kind, other_name = rows[day]
                    if other_kind == kind:
                        out.append(
                            _("%(day)s is listed twice (%(first)s and %(second)s): ranges overlap.")
                            % {"day": day.isoformat(), "first": other_name, "second": entry.name}
                        )
                    else:
                        out.append(
                            _("%(day)s cannot be both a holiday and an adjusted working day.")
                            % {"day": day.isoformat()}
                        )
                    continue
                rows[day] = (kind, entry.name)
    errors = {field: messages for field, messages in problems.items() if messages}
    if errors:
        raise ValidationError(errors)
    return [(day, kind, name) for day, (kind, name) in sorted(rows.items())]


# --- writes ------------------------------------------------------------------------------------


def _forget(year: int) -> None:
    forget_years(year)
    transaction.on_commit(lambda: forget_years(year))


def _actor_name(actor: Any) -> str:
    return actor.get_username() if actor is not None else "system"


def _source(text: str, **values: str) -> str:
    """Return a source label in the portal's language, whoever's language the actor reads."""
    with translation.override(settings.LANGUAGE_CODE):
        return _(text) % values


@transaction.atomic
def year_schedule_set(
    *,
    actor: Any,
    year: int,
    holidays: Iterable[DayRange],
    workdays: Iterable[DayRange],
    source: str | None = None,
    action: str = "calendar.enter",
) -> CalendarYear:
    """Replace a year's schedule (not yet official) with the given holidays and workdays."""
    _require_keeper(actor)
    holidays, workdays = list(holidays), list(workdays)
    rows = _validate(year, holidays, workdays)
    calendar, _created = CalendarYear.objects.select_for_update().get_or_create(year=year)
    if calendar.official:
        raise ValidationError(
            _("%(year)s is official. Reopen it before changing its schedule.") % {"year": year}
        )
    source = source or _source(gettext_noop("entered by %(user)s"), user=_actor_name(actor))
    calendar.days.all().delete()
    CalendarDay.objects.bulk_create(
        CalendarDay(calendar=calendar, day=day, kind=kind, name=name, source=source)
        for day, kind, name in rows
    )
    calendar.source = source
    calendar.save(update_fields=["source", "updated_at"])
    record(
        actor=actor,
        action=action,
        obj=calendar,
        details={
            "year": year,
            "source": source,
            "holidays": [r.as_list() for r in holidays],
            "workdays": [r.as_list() for r in workdays],
        },
    )
    _forget(year)
    return calendar


def year_schedule_enter(
    *, actor: Any, year: int, holidays_text: str, workdays_text: str
) -> CalendarYear:
    """Parse the entry form's two lists and replace the year's schedule with them."""
    problems: dict[str, Any] = {}
    parsed: dict[str, list[DayRange]] = {}
    for field, text, default in (
        ("holidays", holidays_text, ""),
        ("workdays", workdays_text, DEFAULT_WORKDAY_NAME),
    ):
        try:
            parsed[field] = parse_ranges(text, field=field, default_name=default)
        except ValidationError as exc:
            problems.update(exc.message_dict)
    if problems:
        raise ValidationError(problems)
    if not parsed["holidays"]:
        raise ValidationError({"holidays": [_("List at least one holiday.")]})
    return year_schedule_set(
        actor=actor, year=year, holidays=parsed["holidays"], workdays=parsed["workdays"]
    )


def year_schedule_import(*, actor: Any, year: int, data: bytes, filename: str) -> CalendarYear:
    """Replace a year's schedule with the rows of an uploaded CSV or XLSX file."""
    _require_keeper(actor)
    try:
        # Small as the file is, it is parsed under the CPU and memory limits of every upload.
        rows: list[FileRow] = run_limited(read_schedule_file, data, filename)
    except (ScheduleFileError, UnsafeFile) as exc:
        raise ValidationError({"file": [str(exc)]}) from None
    holidays = [DayRange(r.start, r.end, r.name) for r in rows if r.kind == "holiday"]
    workdays = [
        DayRange(r.start, r.end, r.name or DEFAULT_WORKDAY_NAME)
        for r in rows
        if r.kind == "workday"
    ]
    if not holidays:
        raise ValidationError({"file": [_("The file lists no holiday.")]})
    name = filename.rsplit("/", 1)[-1][:80]
    return year_schedule_set(
        actor=actor,
        year=year,
        holidays=holidays,
        workdays=workdays,
        source=_source(
            gettext_noop("imported from %(file)s by %(user)s"), file=name, user=_actor_name(actor)
        ),
        action="calendar.import",
    )


@transaction.atomic
def year_make_official(*, actor: Any, year: int, notice: str = "") -> CalendarYear:
    """Mark a year's schedule official; provisional deadlines are recomputed in the same commit."""
    _require_keeper(actor)
    _check_year(year)
    calendar = CalendarYear.objects.select_for_update().filter(year=year).first()
    if calendar is None or not calendar.days.filter(kind=CalendarDay.Kind.HOLIDAY).exists():
        raise ValidationError(
            _("Enter %(year)s's schedule before making it official.") % {"year": year}
        )
    if calendar.official:
        raise ValidationError(_("%(year)s is already official.") % {"year": year})
    calendar.official = True
    calendar.official_at = timezone.now()
    calendar.official_by = actor
    calendar.notice = notice.strip()[:200]
    calendar.save()
    record(
        actor=actor,
        action="calendar.official",
        obj=calendar,
        details={"year": year, "notice": calendar.notice},
    )
    _forget(year)
    year_made_official.send(sender=CalendarYear, year=year, actor=actor)
    return calendar


@transaction.atomic
def year_reopen(*, actor: Any, year: int, reason: str) -> CalendarYear:
    """Take a year's official mark away so that its schedule can be corrected.

    Deadlines already given stay as they are; new ones are provisional until it is official again.
    """
    _require_keeper(actor)
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why the official schedule must change.")]})
    calendar = CalendarYear.objects.select_for_update().filter(year=year, official=True).first()
    if calendar is None:
        raise ValidationError(_("%(year)s is not official.") % {"year": year})
    calendar.official = False
    calendar.official_at = None
    calendar.official_by = None
    calendar.save()
    record(
        actor=actor,
        action="calendar.reopen",
        obj=calendar,
        details={"year": year, "reason": reason.strip()},
    )
    _forget(year)
    return calendar
