"""Forms of the catalog maintenance pages: they parse input; the services validate and write."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.forms import department_field
from accounts.models import Department

from .models import (
    CatalogScope,
    Category,
    CodeList,
    DataItem,
    InformationSystem,
    PersonalDataConfirmation,
    Resource,
)
from .services import (
    ITEM_FIELDS,
    RESOURCE_FIELDS,
    PersonalWarning,
    item_spec,
    personal_warnings,
)
from .services.imports import import_max_bytes


def category_choices() -> list[Any]:
    """Return the categories a resource may take, grouped by their class (类) in <optgroup>s.

    About ninety options: grouped, and filtered by the page's script (data-select-filter), they
    stay findable without a widget library.
    """
    # As tuples, not models: about 500 rows, read on every view of the resource form.
    nodes = Category.objects.order_by("code").values_list("pk", "code", "name", "depth")
    classes: dict[str, str] = {}
    groups: dict[str, list[tuple[int, str]]] = {}
    for pk, code, name, depth in nodes:
        if depth < Category.Depth.ITEM:
            if depth == Category.Depth.CLASS:
                classes[code] = f"{code} {name}"  # Category.__str__
            continue
        indent = "\u3000" * (depth - Category.Depth.ITEM)
        groups.setdefault(code[0], []).append((pk, f"{indent}{code} {name}"))
    return [("", "---------")] + [
        (classes.get(code, code), options) for code, options in groups.items()
    ]


class ResourceForm(forms.ModelForm):
    """The resource's metadata; its data items come in ``DataItemFormSet`` on the same page."""

    state_secret = forms.BooleanField(
        label=_("Contains state secrets (涉密)"),
        required=False,
        help_text=_("State secrets must not be stored here; the portal refuses such resources."),
    )
    related_codes = forms.CharField(
        label=_("Related resource codes"),
        required=False,
        help_text=_("Codes of related published resources, separated by spaces or semicolons."),
    )
    change_note = forms.CharField(
        label=_("What changed"),
        required=False,
        max_length=200,
        help_text=_("Shown in the version history of a published resource."),
    )

    class Meta:
        model = Resource
        fields = list(RESOURCE_FIELDS)
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "share_condition": forms.Textarea(attrs={"rows": 2}),
            "open_condition": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, provider_id: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        category_field = self.fields["category"]
        system_field = self.fields["source_system"]
        assert isinstance(category_field, forms.ModelChoiceField)
        assert isinstance(system_field, forms.ModelChoiceField)
        category_field.queryset = Category.objects.filter(depth__gte=2)
        category_field.choices = category_choices()
        category_field.widget.attrs["data-select-filter"] = _("Filter categories by code or name")
        systems = InformationSystem.objects.filter(
            department_id=provider_id or 0, status=InformationSystem.Status.APPROVED
        )
        current = self.instance.source_system_id if self.instance.pk else None
        if current:
            systems = InformationSystem.objects.filter(pk=current) | systems
        system_field.queryset = systems
        self.fields["region_code"].required = False
        self.fields["region_code"].help_text = _(
            "GB/T 2260, six digits; empty means the provider's region."
        )
        self.fields["share_condition"].required = False
        # The services say when a reason is missing (only a limited scope needs one).
        self.fields["catalog_scope_reason"].required = False
        # A post without the scope keeps the entry's (a new one: every department sees it).
        self.fields["catalog_scope"].required = False
        self.fields["catalog_scope_reason"].help_text = _(
            "Required for a limited scope: why the entry's very existence is sensitive."
        )
        if self.instance.pk:
            self.fields["related_codes"].initial = " ".join(
                sorted(
                    code for code in self.instance.related.values_list("code", flat=True) if code
                )
            )
        if not (self.instance.pk and self.instance.status == Resource.Status.PUBLISHED):
            del self.fields["change_note"]

    def _post_clean(self) -> None:
        # The services validate the resource as a whole (with its provider, which the form does
        # not hold); model validation here would report the same problems twice.
        pass

    def clean_related_codes(self) -> list[str]:
        text = self.cleaned_data.get("related_codes", "")
        return [c for c in re.split(r"[;；,，\s]+", text) if c]

    def service_fields(self) -> dict[str, Any]:
        """Return the cleaned metadata as the services' keyword arguments."""
        return {name: self.cleaned_data.get(name) for name in RESOURCE_FIELDS} | {
            "format_type": self.cleaned_data.get("format_type") or "",
            "share_condition": self.cleaned_data.get("share_condition") or "",
            "open_condition": self.cleaned_data.get("open_condition") or "",
            "region_code": self.cleaned_data.get("region_code") or "",
            "catalog_scope": self.cleaned_data.get("catalog_scope") or self.instance.catalog_scope,
            "catalog_scope_reason": self.cleaned_data.get("catalog_scope_reason") or "",
        }


def code_list_choices(resource: Resource | None = None) -> list[tuple[str, str]]:
    """Return the code lists an item may take: the active ones, and those the resource's items
    already have. One query for the whole formset, whatever its number of rows."""
    current = (
        Q(pk__in=resource.items.filter(code_list__isnull=False).values("code_list_id"))
        if resource is not None and resource.pk
        else Q(pk__in=[])
    )
    lists = CodeList.objects.filter(Q(active=True) | current).only("code", "name")
    return [("", "---------")] + [(c.code, f"{c.code} {c.name}") for c in lists]


class DataItemForm(forms.ModelForm):
    # By code, with the choices computed once for the formset (``code_list_choices``); the
    # service says when a code is unknown or the item's type cannot have a list.
    code_list = forms.ChoiceField(
        label=_("code list"),
        required=False,
        help_text=_("The standard code list (代码集) of the item's values, if any (C, N, I only)."),
    )
    # Only for an item flagged as personal data but tagged "not personal" (services.
    # personal_warnings): the editor's reason why it is not, stored as a confirmation.
    personal_reason = forms.CharField(
        label=_("Not personal data, because"),
        required=False,
        max_length=200,
    )

    class Meta:
        model = DataItem
        fields = list(ITEM_FIELDS)

    # Set by the page: the row's warning and the confirmation already given, if any.
    personal_warning: PersonalWarning | None = None
    personal_confirmation: PersonalDataConfirmation | None = None

    def __init__(
        self, *args: Any, code_lists: list[tuple[str, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        code_list = self.fields["code_list"]
        assert isinstance(code_list, forms.ChoiceField)
        code_list.choices = code_lists if code_lists is not None else code_list_choices()

    def _post_clean(self) -> None:
        pass  # validated with its resource by the service

    def item_fields(self) -> list[forms.BoundField]:
        """Return the item's own fields (the row's columns), without delete and reason."""
        return [self[name] for name in ITEM_FIELDS]

    def annotate_personal(self, confirmations: Mapping[str, PersonalDataConfirmation]) -> None:
        """Find the row's personal-data warning from what it shows (posted or initial)."""
        name = str(self["name"].value() or "").strip()
        warnings = personal_warnings([{"name": name, "kind": self["kind"].value()}])
        self.personal_warning = warnings[0] if warnings else None
        self.personal_confirmation = confirmations.get(name) if self.personal_warning else None


class BaseDataItemFormSet(forms.BaseFormSet):
    def item_specs(self) -> tuple[list[dict[str, Any]], list[int]]:
        """Return the kept items' specifications and, for each, its form's index."""
        specs: list[dict[str, Any]] = []
        indexes: list[int] = []
        for index, form in enumerate(self.forms):
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE"):
                continue
            specs.append(
                {name: data.get(name) for name in ITEM_FIELDS}
                | {"description": data.get("description") or ""}
            )
            indexes.append(index)
        return specs, indexes

    def personal_reasons(self) -> dict[str, str]:
        """Return the reasons given, by item name, for the kept rows that are flagged."""
        reasons: dict[str, str] = {}
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or not (data.get("personal_reason") or "").strip():
                continue
            if personal_warnings([data]):
                reasons[(data.get("name") or "").strip()] = data["personal_reason"].strip()
        return reasons


DataItemFormSet = forms.formset_factory(
    DataItemForm,
    formset=BaseDataItemFormSet,
    extra=0,
    can_delete=True,
    max_num=500,
    absolute_max=500,
)


def item_initial(resource: Resource) -> list[dict[str, Any]]:
    """Return the resource's items as the formset's initial data."""
    return [item_spec(item) for item in resource.items.select_related("code_list")]


class ScopeForm(forms.Form):
    """Who sees the entry (目录共享范围), and why when it is limited."""

    catalog_scope = forms.ChoiceField(label=_("catalog scope"), choices=CatalogScope.choices)
    catalog_scope_reason = forms.CharField(
        label=_("reason for the catalog scope"),
        required=False,
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required for a limited scope: why the entry's very existence is sensitive."),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000
    )


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve and publish")), ("return", _("Return to the editors"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment for the editors"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class SystemForm(forms.Form):
    """A system's filing: what it is and which project (at which funding stage) pays for it.

    There is no code to type: the coordinator's approval assigns it.
    """

    name = forms.CharField(label=_("name"), max_length=100)
    purpose = forms.CharField(
        label=_("purpose"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    project_name = forms.CharField(
        label=_("project name"),
        max_length=100,
        required=False,
        help_text=_("The project (项目名称) that builds or runs the system; needed to file it."),
    )
    funding_stage = forms.ChoiceField(
        label=_("funding stage"),
        choices=InformationSystem.FundingStage.choices,
        help_text=_(
            "立项: the project is approved; 建设: being built; 运维: in operation and maintenance."
        ),
    )
    # Typed, not picked: a select would hold every department of the city.
    department = department_field(
        Department.objects.filter(is_active=True), label=_("owner department")
    )

    def __init__(self, *args: Any, choose_department: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not choose_department:
            del self.fields["department"]


class SystemReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for return"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Workbook (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )
    publish = forms.BooleanField(label=_("Publish at once (coordinator only)"), required=False)

    def __init__(self, *args: Any, may_publish: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not may_publish:
            del self.fields["publish"]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        limit = import_max_bytes()
        if upload.size > limit:
            # Refused before reading it: the size alone is enough to say no.
            raise ValidationError(
                _("The file is larger than %(limit)s MB. Split it into smaller files.")
                % {"limit": f"{limit / 1_048_576:g}"}
            )
        if not upload.name.lower().endswith(".xlsx"):
            raise ValidationError(_("Upload an Excel workbook saved as .xlsx."))
        return upload


class SynonymGroupForm(forms.Form):
    terms = forms.CharField(
        label=_("Terms"),
        max_length=800,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Words that name the same thing, separated by “/”, commas or new lines, e.g."
            " 社保 / 社会保险. A search for any of them finds all of them."
        ),
    )
