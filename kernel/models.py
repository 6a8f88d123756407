"""Model helpers every app uses."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable

# Field -> its choices as a dict (value -> label; labels stay lazy, translated when shown).
_LABELS: dict[Any, dict[Any, Any]] = {}


class ChoiceLabels(models.Model):
    """``get_FOO_display()`` from a dict built once per field, not once per call.

    Django rebuilds the dict of a field's choices (hashing each lazy label) on every call: a
    catalog page of 20 resources showing three labels each spent 3 ms on it. Choices declared
    as a list are fixed when the model is defined, so the dict is built on first use; choices
    given as a callable are read on each call, as Django does. The answer is Django's:
    tests/test_choice_labels.py compares them.
    """

    class Meta:
        abstract = True

    def _get_FIELD_display(self, field: Any) -> Any:
        if not isinstance(field.choices, list | tuple):
            return super()._get_FIELD_display(field)  # type: ignore[misc]
        labels = _LABELS.get(field)
        if labels is None:
            labels = _LABELS[field] = dict(make_hashable(field.flatchoices))
        value = getattr(self, field.attname)
        try:
            label = labels.get(value, value)
        except TypeError:  # an unhashable value (a list in a JSON field)
            label = labels.get(make_hashable(value), value)
        return force_str(label, strings_only=True)
