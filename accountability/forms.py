"""Forms of the accountability pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ServiceImportForm(forms.Form):
    file = forms.FileField(
        label=_("Workbook (.xlsx)"),
        help_text=_("One row per required material; download the template for the columns."),
    )


class ItemLinkForm(forms.Form):
    """Link two resources' items: the key each side matches rows on, the item compared."""

    left_key = forms.TypedChoiceField(label=_("Key item (left)"), coerce=int)
    left_item = forms.TypedChoiceField(label=_("Compared item (left)"), coerce=int)
    right_key = forms.TypedChoiceField(label=_("Key item (right)"), coerce=int)
    right_item = forms.TypedChoiceField(label=_("Compared item (right)"), coerce=int)
    authoritative = forms.ChoiceField(
        label=_("Authoritative side"),
        choices=[("left", _("Left")), ("right", _("Right"))],
        widget=forms.RadioSelect,
        help_text=_("Conflicts are sent as corrections to the other side."),
    )

    def __init__(self, *args, left_items=(), right_items=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        left = [(i.pk, i.name) for i in left_items]
        right = [(i.pk, i.name) for i in right_items]
        for name in ("left_key", "left_item"):
            self.fields[name].choices = left  # type: ignore[attr-defined]
        for name in ("right_key", "right_item"):
            self.fields[name].choices = right  # type: ignore[attr-defined]
