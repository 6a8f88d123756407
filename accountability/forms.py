"""Forms of the accountability pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ServiceImportForm(forms.Form):
    file = forms.FileField(
        label=_("Workbook (.xlsx)"),
        help_text=_("One row per required material; download the template for the columns."),
    )
