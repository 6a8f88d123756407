"""Search form of the audit pages."""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.forms import department_field
from accounts.models import Department
from kernel.forms import DateInput

from .models import AuditEvent
from .selectors import EventFilter

# Without a search, the lists show this many days up to today (the form says so).
DEFAULT_DAYS = 30


def default_start() -> date:
    return timezone.localdate() - timedelta(days=DEFAULT_DAYS - 1)


class EventFilterForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False, widget=DateInput)
    end = forms.DateField(label=_("To"), required=False, widget=DateInput)
    username = forms.CharField(label=_("User"), required=False, max_length=150)
    # Typed, not picked: a list of every department would be read and sent with each page.
    department = department_field(Department.objects.all(), label=_("Department"), required=False)
    action = forms.CharField(
        label=_("Action"),
        required=False,
        max_length=60,
        help_text=_(
            "Words of the action’s name (“signed in”) or the start of its code "
            "(“login” finds login.success and login.failure)."
        ),
    )
    object = forms.CharField(label=_("Object"), required=False, max_length=200)
    result = forms.ChoiceField(
        label=_("Result"), required=False, choices=[("", "—"), *AuditEvent.Result.choices]
    )

    def __init__(self, *args, with_department: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not with_department:
            del self.fields["department"]
        if not self.is_bound:
            self.initial.setdefault("start", default_start())

    def clean(self):
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            raise forms.ValidationError(_("The start date must not be after the end date."))
        return cleaned

    def criteria(self) -> EventFilter:
        """Return the search criteria (empty if the form is not valid)."""
        if not self.is_bound:
            return EventFilter(start=default_start())
        if not self.is_valid():
            return EventFilter()
        data = self.cleaned_data
        return EventFilter(
            start=data.get("start"),
            end=data.get("end"),
            username=data.get("username", ""),
            department=data.get("department"),
            action=data.get("action", ""),
            object=data.get("object", ""),
            result=data.get("result", ""),
        )
