"""Forms of the sharing pages: they parse input; the services validate and decide."""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from catalog.models import DataItem, Resource
from kernel.forms import DateInput

from .models import PurposeCategory


def item_field_name(resource_id: int) -> str:
    return f"items_{resource_id}"


class ItemsMixin:
    """Adds one multiple-choice field of data items per resource.

    A decision starts from every item asked for ticked (``preselect``); a new request starts
    from none, so the requester chooses each item the stated purpose needs.
    """

    fields: dict[str, forms.Field]

    def add_item_fields(
        self,
        choices: Iterable[tuple[Resource, Iterable[DataItem]]],
        *,
        required: bool = True,
        preselect: bool = True,
    ) -> None:
        self.item_resources: list[tuple[Resource, str]] = []
        for resource, items in choices:
            items = list(items)
            name = item_field_name(resource.pk)
            self.fields[name] = forms.TypedMultipleChoiceField(
                label=_("Data items of %(resource)s") % {"resource": resource.name},
                choices=[(i.pk, f"{i.name} (L{i.level})") for i in items],
                coerce=int,
                initial=[i.pk for i in items] if preselect else [],
                widget=forms.CheckboxSelectMultiple,
                required=required,
            )
            self.item_resources.append((resource, name))

    def chosen_items(self) -> dict[int, list[int]]:
        data = getattr(self, "cleaned_data", {})
        return {r.pk: list(data.get(name) or []) for r, name in self.item_resources}

    def item_fields(self) -> list[forms.BoundField]:
        return [self[name] for _r, name in self.item_resources]  # type: ignore[index]

    def other_fields(self) -> list[forms.BoundField]:
        """Return the bound fields that are not data-item choices, in order."""
        names = {name for _r, name in self.item_resources}
        return [field for field in self if field.name not in names]  # type: ignore[attr-defined]


class RequestTermsForm(ItemsMixin, forms.Form):
    legal_basis = forms.CharField(
        label=_("Legal basis (使用依据)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The law, regulation or document that entitles your department to the data."),
    )
    purpose = forms.ChoiceField(label=_("Purpose"), choices=PurposeCategory.choices)
    purpose_other = forms.CharField(label=_("Other purpose"), required=False, max_length=100)
    scenario = forms.CharField(
        label=_("Application scenario"), widget=forms.Textarea(attrs={"rows": 3})
    )
    valid_from = forms.DateField(label=_("Period from"), widget=DateInput)
    valid_until = forms.DateField(label=_("Period until"), widget=DateInput)

    def __init__(self, *args, item_choices=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.add_item_fields(item_choices, preselect=False)


class DecisionForm(ItemsMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("approve", _("Approve")),
            ("reject", _("Reject")),
            ("changes", _("Ask for changes")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason / comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required to reject or to ask for changes."),
    )
    valid_from = forms.DateField(label=_("Grant from"), required=False, widget=DateInput)
    valid_until = forms.DateField(label=_("Grant until"), required=False, widget=DateInput)

    def __init__(
        self,
        *args,
        item_choices=(),
        settle: bool = False,
        scope_choices: Iterable[tuple[str, object]] = (("", _("All rows")),),
        scope_initial: str = "",
        personal_items: Iterable[DataItem] = (),
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        if settle:
            decision = self.fields["decision"]
            assert isinstance(decision, forms.ChoiceField)
            decision.choices = [
                ("approve", _("Approve: create the grant")),
                ("reject", _("Refuse")),
            ]
            self.fields["reason"].required = True
            self.fields["reason"].help_text = _("The coordinator's decision must state its reason.")
        # An approver may leave a resource's items all unticked to leave it out of the grant.
        self.add_item_fields(item_choices, required=False)
        self.add_scope_fields(scope_choices, scope_initial, personal_items)

    def add_scope_fields(
        self,
        scope_choices: Iterable[tuple[str, object]],
        scope_initial: str,
        personal_items: Iterable[DataItem],
    ) -> None:
        """Add what the grants deliver: the row scope and the personal items in clear."""
        self.fields["row_scope_region"] = forms.ChoiceField(
            label=_("Rows delivered"),
            choices=list(scope_choices),
            initial=scope_initial,
            required=False,
            help_text=_(
                "Limit the rows to the requesting department's region, or an area that holds it "
                "(by the rows' region code)."
            ),
        )
        self.fields["clear_items"] = forms.TypedMultipleChoiceField(
            label=_("Personal items delivered in clear"),
            choices=[
                (
                    i.pk,
                    i.name
                    if i.name == i.get_kind_display()
                    else f"{i.name} ({i.get_kind_display()})",
                )
                for i in personal_items
            ],
            coerce=int,
            required=False,
            widget=forms.CheckboxSelectMultiple,
            help_text=_("Personal items are delivered masked unless ticked here."),
        )
        self.fields["clear_reason"] = forms.CharField(
            label=_("Reason for delivery in clear"),
            required=False,
            widget=forms.Textarea(attrs={"rows": 2}),
            help_text=_(
                "Required with any item in clear: how the requester's legal basis allows it."
            ),
        )

    def approval_terms(self) -> dict[str, object]:
        data = self.cleaned_data
        # A form that does not send the row scope takes the default; "" is every row, chosen.
        sent = self.add_prefix("row_scope_region") in self.data
        return {
            "items": self.chosen_items(),
            "valid_from": data.get("valid_from"),
            "valid_until": data.get("valid_until"),
            "row_scope": data.get("row_scope_region", "") if sent else None,
            "clear_items": list(data.get("clear_items") or []),
            "clear_reason": data.get("clear_reason", ""),
        }


class SignoffForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Sign-off"),
        choices=[("approve", _("Sign off and send")), ("return", _("Return for changes"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class CorrectionForm(forms.Form):
    item = forms.ModelChoiceField(
        label=_("Data item"), queryset=DataItem.objects.none(), required=False
    )
    description = forms.CharField(
        label=_("What is wrong"), widget=forms.Textarea(attrs={"rows": 4})
    )
    evidence = forms.CharField(
        label=_("Evidence"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Where the correct value comes from: a document, a register, a case number."),
    )

    def __init__(self, *args, items=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if items is not None:
            self.fields["item"].queryset = items  # type: ignore[attr-defined]


class AnswerForm(forms.Form):
    accepted = forms.TypedChoiceField(
        label=_("Answer"),
        choices=[("1", _("Accepted and fixed")), ("0", _("Rejected"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    answer = forms.CharField(
        label=_("What was fixed, or why not"), widget=forms.Textarea(attrs={"rows": 3})
    )


def apply_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field when the form has it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
