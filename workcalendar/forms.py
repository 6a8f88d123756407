"""Forms of the calendar pages. They only collect text; the services parse and validate it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import FIRST_YEAR, LAST_YEAR, CalendarDay


class YearOpenForm(forms.Form):
    """Choose a year to open (GET): the year page shows it and lets the coordinator enter it."""

    year = forms.IntegerField(
        label=_("Year"),
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


class ScheduleForm(forms.Form):
    """The year's holidays (ranges) and adjusted working days (one date a line)."""

    holidays = forms.CharField(
        label=_("Holidays (offices closed)"),
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 9, "spellcheck": "false", "placeholder": "2027-01-01 元旦"}
        ),
        help_text=_(
            "One range a line: “2027-02-06 至 2027-02-12 春节”, or one day and its name: "
            "“2027-01-01 元旦”. List every day off, weekends inside a holiday included."
        ),
    )
    workdays = forms.CharField(
        label=_("Adjusted working days (调休上班)"),
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 5, "spellcheck": "false", "placeholder": "2027-02-14 春节"}
        ),
        help_text=_(
            "One Saturday or Sunday a line on which offices open, with the holiday it makes up "
            "for: “2027-02-14 春节”."
        ),
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Schedule file (.csv or .xlsx)"),
        help_text=_(
            "Columns 开始日期, 结束日期, 类型 (放假 or 调休上班) and 名称, as in the template. "
            "The file replaces the year's schedule."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )


class OfficialForm(forms.Form):
    notice = forms.CharField(
        label=_("State Council notice"),
        required=False,
        max_length=200,
        help_text=_("Optional, e.g. 国办发明电〔2026〕7号."),
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say why the official schedule must change.")},
        help_text=_("Deadlines already given stay as they are; new ones are provisional again."),
    )


def apply_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field when the form has it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def schedule_initial(days: Iterable[CalendarDay]) -> dict[str, str]:
    """Write stored days back as the entry form's text: consecutive days of one name, one line."""
    lines: dict[str, list[str]] = {"holiday": [], "workday": []}
    runs: list[list[Any]] = []  # [kind, name, first, last]
    for day in sorted(days, key=lambda d: d.day):
        last = runs[-1] if runs else None
        if (
            last is not None
            and last[0] == day.kind
            and last[1] == day.name
            and day.day == last[3] + timedelta(days=1)
            and day.kind == CalendarDay.Kind.HOLIDAY
        ):
            last[3] = day.day
        else:
            runs.append([day.kind, day.name, day.day, day.day])
    for kind, name, first, end in runs:
        if first == end:
            lines[kind].append(f"{first.isoformat()} {name}")
        else:
            lines[kind].append(f"{first.isoformat()} 至 {end.isoformat()} {name}")
    return {"holidays": "\n".join(lines["holiday"]), "workdays": "\n".join(lines["workday"])}
