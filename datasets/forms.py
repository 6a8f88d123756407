"""The form of the data upload page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class DataUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Data file"),
        help_text=_(
            "CSV (UTF-8 or GBK) or XLSX. The first row holds the data item names, exactly."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
    mode = forms.ChoiceField(
        label=_("Mode"),
        choices=[
            ("replace", _("Replace the current data (a new version)")),
            ("append", _("Append rows to the current data")),
        ],
        initial="replace",
        widget=forms.RadioSelect,
    )
