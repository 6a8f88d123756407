"""Form helpers every app uses."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _

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


class LookupChoiceField(forms.ModelChoiceField):
    """One row of a large table, typed (a name or a code) instead of picked from a list.

    A ``<select>`` holds every row of its queryset: every department of the city (5,000 at
    province scale) read and rendered on each request. This field renders a text input and
    looks the typed text up in its queryset, by each of ``lookups`` in turn (unique fields,
    such as a name and a code), then by id (links and scripts send the id): one indexed query
    per lookup tried, and only what the queryset holds, what the user could have picked, is
    accepted. A lookup that finds several rows (a name two rows of the queryset share) is
    refused as ambiguous, never guessed: the user types the code instead.
    """

    widget = forms.TextInput
    default_error_messages = {
        "invalid_choice": _("Nothing matches “%(value)s”: type the full name or the code."),
        "ambiguous": _("Several match “%(value)s”: type the code."),
    }

    def __init__(self, queryset: Any, *, lookups: tuple[str, ...], **kwargs: Any) -> None:
        super().__init__(queryset, **kwargs)
        self.lookups = lookups

    def _rows(self) -> QuerySet[Any]:
        assert self.queryset is not None  # given to __init__
        return self.queryset

    def prepare_value(self, value: Any) -> Any:
        """Show the chosen row by its first lookup (its name), typed text as it was typed."""
        if isinstance(value, Model):
            return getattr(value, self.lookups[0])
        if isinstance(value, int) and not isinstance(value, bool):
            found = self._rows().filter(pk=value).values_list(self.lookups[0], flat=True)
            return found.first() or ""
        return "" if value in self.empty_values else value

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        if isinstance(value, Model):
            value = value.pk
        text = str(value).strip()
        for lookup in self.lookups:
            rows = list(self._rows().filter(**{lookup: text})[:2])
            if len(rows) > 1:
                raise ValidationError(
                    self.error_messages["ambiguous"], code="ambiguous", params={"value": text}
                )
            if rows:
                return rows[0]
        if text.isascii() and text.isdigit() and len(text) < 19:
            found = self._rows().filter(pk=int(text)).first()
            if found is not None:
                return found
        raise ValidationError(
            self.error_messages["invalid_choice"], code="invalid_choice", params={"value": text}
        )

    def has_changed(self, initial: Any, data: Any) -> bool:
        if self.disabled:
            return False
        initial_text = "" if initial in self.empty_values else str(self.prepare_value(initial))
        return initial_text != ("" if data in self.empty_values else str(data).strip())
