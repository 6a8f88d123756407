"""Forms of the needs pages: they parse input; the services validate and decide."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.forms import department_field
from accounts.models import Department
from catalog.models import Resource
from kernel.forms import LookupChoiceField
from sharing.models import PurposeCategory


def apply_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field when the form has it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class NeedForm(forms.Form):
    # Required-ness is the service's to check, so the page, the API and the tests share it.
    title = forms.CharField(label=_("What data is needed"), max_length=100, required=False)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    data_items = forms.CharField(
        label=_("Data items wanted"),
        help_text=_("One per line, as your department names them."),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    legal_basis = forms.CharField(
        label=_("Legal basis (使用依据)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    purpose = forms.ChoiceField(label=_("Purpose"), choices=PurposeCategory.choices)
    purpose_other = forms.CharField(label=_("Other purpose"), max_length=100, required=False)
    business = forms.CharField(
        label=_("Business it serves"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    # Typed, not picked: a select would hold every department of the city.
    suggested_provider = department_field(
        label=_("Department believed to hold it (optional)"), required=False
    )

    def __init__(self, *args, departments: QuerySet[Department], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["suggested_provider"].queryset = departments  # type: ignore[attr-defined]

    def items(self) -> list[str]:
        return self.cleaned_data["data_items"].splitlines()


class RouteForm(forms.Form):
    # Typed, not picked: a select would hold every department of the city.
    provider = department_field(label=_("Provider department"))

    def __init__(self, *args, departments: QuerySet[Department], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = departments  # type: ignore[attr-defined]


class LinkForm(forms.Form):
    # Typed, not picked: a select would hold every published resource of the provider. The
    # code is unique; a name only where no other resource of the queryset shares it.
    resource = LookupChoiceField(
        Resource.objects.none(),
        lookups=("code", "name"),
        label=_("Resource that answers the need"),
        help_text=_(
            "The resource code (such as 101/000001), or the resource’s name if no other "
            "resource of your department has that name."
        ),
        error_messages={
            "invalid_choice": _(
                "None of your department’s published resources has this code or name."
            ),
            "ambiguous": _("Several of your department’s resources have this name: type its code."),
        },
    )
    answer = forms.CharField(
        label=_("Note to the requester (optional)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    def __init__(self, *args, resources: QuerySet[Resource], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["resource"].queryset = resources  # type: ignore[attr-defined]


class RegisterForm(forms.Form):
    answer = forms.CharField(
        label=_("What will be registered, and when"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label=_("Legal basis for not sharing"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
