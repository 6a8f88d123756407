"""Pages of the working-day calendar: the years, one year's months, and the coordinator's forms.

Every signed-in user reads the calendar. The change actions exist for everyone who sees the page,
so a user who may not change the calendar is told so (403), as on the catalog's maintenance
pages; a year outside the calendar's range does not exist (404). The views are thin: the
services validate and write, the selectors read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from . import files, policies, selectors, services
from .forms import (
    ImportForm,
    OfficialForm,
    ReopenForm,
    ScheduleForm,
    YearOpenForm,
    apply_errors,
    schedule_initial,
)
from .models import FIRST_YEAR, LAST_YEAR, CalendarYear
from .selectors import GridDay

ACTION_LABELS = {
    "calendar.enter": gettext_lazy("Schedule entered"),
    "calendar.import": gettext_lazy("Schedule imported"),
    "calendar.official": gettext_lazy("Made official"),
    "calendar.reopen": gettext_lazy("Reopened"),
}
TEMPLATE_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _require_change(request: HttpRequest) -> None:
    if not policies.can_change_calendar(request.user):
        raise PermissionDenied(_("You may not change the working-day calendar."))


def _check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404


@login_required
@require_GET
def year_list(request: HttpRequest) -> HttpResponse:
    """Every year the calendar holds; the coordinator may open any year for entry."""
    can_change = policies.can_change_calendar(request.user)
    today = timezone.localdate()
    form = YearOpenForm(
        request.GET if can_change and "year" in request.GET else None,
        initial={"year": today.year + 1},
    )
    if form.is_bound and form.is_valid():
        return redirect("workcalendar:year", year=form.cleaned_data["year"])
    return render(
        request,
        "workcalendar/year_list.html",
        {
            "years": selectors.calendar_years(),
            "can_change": can_change,
            "open_form": form,
            "needing": selectors.year_needing_schedule(today) if can_change else None,
            "this_year": today.year,
        },
        status=400 if form.is_bound else 200,
    )


# --- one year ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """Consecutive marked days of one kind under one name (a holiday block, say)."""

    first: date
    last: date
    kind: str
    name: str


def _runs(days: Iterable[Any]) -> list[Run]:
    runs: list[Run] = []
    for entry in days:
        last = runs[-1] if runs else None
        if (
            last is not None
            and (last.kind, last.name) == (entry.kind, entry.name)
            and (entry.day - last.last).days == 1
        ):
            runs[-1] = Run(last.first, entry.day, entry.kind, entry.name)
        else:
            runs.append(Run(entry.day, entry.day, entry.kind, entry.name))
    return runs


@dataclass(frozen=True)
class Month:
    first: date
    weeks: list[list[GridDay]]
    notes: list[Run]


def _months(year: int, days: list[Any]) -> list[Month]:
    months = []
    for number, weeks in selectors.month_grid(year, days):
        marked = [cell for week in weeks for cell in week if cell.day is not None and cell.kind]
        months.append(Month(date(year, number, 1), weeks, _runs(marked)))
    return months


@dataclass(frozen=True)
class HistoryEntry:
    at: Any
    username: str
    action: str
    label: str
    source: str
    holidays: list[list[str]]
    workdays: list[list[str]]
    notice: str
    reason: str


def history_entries(calendar: CalendarYear | None) -> list[HistoryEntry]:
    """Return the year's audit events, newest first, with the action in words."""
    entries = []
    for event in selectors.year_history(calendar):
        details = event.details if isinstance(event.details, dict) else {}
        entries.append(
            HistoryEntry(
                at=event.created_at,
                username=event.actor_username,
                action=event.action,
                label=str(ACTION_LABELS.get(event.action, event.action)),
                source=str(details.get("source", "")),
                holidays=[list(map(str, r)) for r in details.get("holidays", [])],
                workdays=[list(map(str, r)) for r in details.get("workdays", [])],
                notice=str(details.get("notice", "")),
                reason=str(details.get("reason", "")),
            )
        )
    return entries


def _render_year(
    request: HttpRequest,
    year: int,
    *,
    schedule_form: ScheduleForm | None = None,
    import_form: ImportForm | None = None,
    official_form: OfficialForm | None = None,
    reopen_form: ReopenForm | None = None,
    status: int = 200,
) -> HttpResponse:
    calendar = selectors.calendar_year_get(year)
    official = bool(calendar and calendar.official)
    can_change = policies.can_change_calendar(request.user)
    # What is stored but not official yet: the coordinator's work in progress.
    entered = selectors.entered_days(year) if can_change and not official else []
    days = selectors.year_days(year)
    context: dict[str, Any] = {
        "year": year,
        "calendar": calendar,
        "official": official,
        "months": _months(year, days),
        "history": history_entries(calendar),
        "can_change": can_change,
        "entered": _runs(entered),
        "previous_year": year - 1 if year > FIRST_YEAR else None,
        "next_year": year + 1 if year < LAST_YEAR else None,
        "today": timezone.localdate(),
    }
    if can_change:
        context.update(
            {
                "schedule_form": schedule_form or ScheduleForm(initial=schedule_initial(entered)),
                "import_form": import_form or ImportForm(),
                "official_form": official_form or OfficialForm(),
                "reopen_form": reopen_form or ReopenForm(),
            }
        )
    return render(request, "workcalendar/year_detail.html", context, status=status)


@login_required
@require_GET
def year_detail(request: HttpRequest, year: int) -> HttpResponse:
    """The year's twelve months, whether it is official, its history; the coordinator's forms."""
    _check_year(year)
    return _render_year(request, year)


def _post(
    request: HttpRequest,
    year: int,
    form: Any,
    form_name: str,
    change: Callable[[dict[str, Any]], object],
    done: str,
) -> HttpResponse:
    """Run one change of the year's calendar from a posted form; errors re-render the page."""
    _check_year(year)
    _require_change(request)
    if form.is_valid():
        try:
            change(form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, done % {"year": year})
            return redirect("workcalendar:year", year=year)
    return _render_year(request, year, status=400, **{form_name: form})


@login_required
@require_POST
def year_enter(request: HttpRequest, year: int) -> HttpResponse:
    """Replace the year's schedule with the holidays and adjusted working days typed in."""
    return _post(
        request,
        year,
        ScheduleForm(request.POST),
        "schedule_form",
        lambda data: services.year_schedule_enter(
            actor=request.user,
            year=year,
            holidays_text=data["holidays"],
            workdays_text=data["workdays"],
        ),
        _("The schedule of %(year)s is saved. Check it, then make it official."),
    )


@login_required
@require_POST
def year_import(request: HttpRequest, year: int) -> HttpResponse:
    """Replace the year's schedule with the rows of an uploaded CSV or XLSX file."""

    def upload(data: dict[str, Any]) -> object:
        file = data["file"]
        # One byte more than the limit is enough for the service to refuse an oversize file.
        content = file.read(files.MAX_FILE_BYTES + 1)
        return services.year_schedule_import(
            actor=request.user, year=year, data=content, filename=file.name or ""
        )

    return _post(
        request,
        year,
        ImportForm(request.POST, request.FILES),
        "import_form",
        upload,
        _("The schedule of %(year)s is imported. Check it, then make it official."),
    )


@login_required
@require_GET
def year_template(request: HttpRequest, year: int, fmt: str) -> HttpResponse:
    """Download the schedule template of the year as CSV or XLSX."""
    _check_year(year)
    if fmt not in TEMPLATE_TYPES:
        raise Http404
    _require_change(request)
    data = files.template_csv(year) if fmt == "csv" else files.template_xlsx(year)
    response = HttpResponse(data, content_type=TEMPLATE_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="calendar-{year}.{fmt}"'
    return response


@login_required
@require_POST
def year_official(request: HttpRequest, year: int) -> HttpResponse:
    """Mark the year's entered schedule official."""
    return _post(
        request,
        year,
        OfficialForm(request.POST),
        "official_form",
        lambda data: services.year_make_official(
            actor=request.user, year=year, notice=data["notice"]
        ),
        _("%(year)s is official: deadlines reaching into it are final."),
    )


@login_required
@require_POST
def year_reopen(request: HttpRequest, year: int) -> HttpResponse:
    """Take the official mark from the year so that its schedule can be corrected."""
    return _post(
        request,
        year,
        ReopenForm(request.POST),
        "reopen_form",
        lambda data: services.year_reopen(actor=request.user, year=year, reason=data["reason"]),
        _("%(year)s is reopened: correct its schedule, then make it official again."),
    )
