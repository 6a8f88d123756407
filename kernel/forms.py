"""Form helpers every app uses."""

from __future__ import annotations

from typing import Any

from django import forms

ISO_DATE = "%Y-%m-%d"


class DateInput(forms.DateInput):
    """A browser date picker (``<input type="date">``).

    The browser accepts and sends only ISO dates (``2026-12-10``), whatever the page's language,
    so the value is always rendered that way: the localised format (``2026/12/10`` in Chinese)
    would come back as an empty field.
    """

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None, format: str | None = None) -> None:
        super().__init__(attrs, format=format or ISO_DATE)
