"""Forms of the webhook pages; the service validates, the form only parses."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import EventKind


def apply_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field when the form has it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class SubscriptionForm(forms.Form):
    target_url = forms.URLField(
        label=_("Target URL"),
        max_length=500,
        assume_scheme="https",
        help_text=_("Your system's endpoint; it must be in a network the coordinator allows."),
    )
    kinds = forms.MultipleChoiceField(
        label=_("Events"),
        choices=EventKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
