"""The form a department administrator fills in to issue an API token."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import ApiToken, User


class TokenCreateForm(forms.Form):
    user = forms.ModelChoiceField(
        label=_("Account"),
        queryset=User.objects.none(),
        help_text=_("The token acts as this person, with their roles and clearance."),
    )
    name = forms.CharField(
        label=_("Name"), max_length=100, help_text=_("Which system uses the token, e.g. its name.")
    )
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"),
        choices=ApiToken.Scope.choices,
        initial=[ApiToken.Scope.READ],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Write lets the system register and change records; it includes read."),
    )
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1)

    def __init__(self, *args: Any, holders: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user_field = self.fields["user"]
        assert isinstance(user_field, forms.ModelChoiceField)
        user_field.queryset = holders
        days_field = self.fields["days"]
        assert isinstance(days_field, forms.IntegerField)
        # The service enforces the maximum; the attribute only helps the browser say so early.
        days_field.widget.attrs["max"] = settings.API_TOKEN_MAX_DAYS
        days_field.initial = settings.API_TOKEN_DEFAULT_DAYS
