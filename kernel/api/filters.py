"""Filter backends of the API that refuse what they cannot honour instead of ignoring it."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError as FormValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.drainage import set_override
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter
from rest_framework.request import Request

from .serializers import MAX_ID


class StrictOrderingFilter(OrderingFilter):
    """``?ordering=`` over the view's ``ordering_fields``; any other term is a 400 naming it.

    DRF's own filter drops unknown terms silently, so ``?ordering=nmae`` would answer in the
    default order as if it had been obeyed.
    """

    def remove_invalid_fields(
        self, queryset: QuerySet[Any], fields: Iterable[str], view: Any, request: Request
    ) -> list[str]:
        fields = list(fields)
        valid = super().remove_invalid_fields(queryset, fields, view, request)
        invalid = [term for term in fields if term not in valid]
        if invalid:
            allowed = ", ".join(name for name, _label in self.get_valid_fields(queryset, view))
            raise ValidationError(
                {
                    self.ordering_param: [
                        _("Unknown ordering: %(terms)s. Order by one of: %(allowed)s.")
                        % {"terms": ", ".join(invalid), "allowed": allowed}
                    ]
                }
            )
        return valid

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        """The ``ordering`` parameter with a pattern of exactly the terms it takes.

        Comma-separated terms, each a field of ``ordering_fields`` optionally after ``-``,
        blanks around a term ignored (as the filter strips them); an empty value is the default
        order. Anything else is the 400 of ``remove_invalid_fields``.
        """
        parameters = super().get_schema_operation_parameters(view)
        names = [
            name if isinstance(name, str) else name[0]
            for name in getattr(view, "ordering_fields", None) or ()
        ]
        if names and "__all__" not in names:
            term = r"\s*-?(?:" + "|".join(re.escape(name) for name in names) + r")\s*"
            for parameter in parameters:
                parameter["schema"]["pattern"] = f"^(?:{term}(?:,{term})*)?$"
        return parameters


class IdFilter(filters.NumberFilter):
    """A filter on a row's id: a plain number (never a model choice), an integer in the schema.

    django-filter's number filter is a decimal, so drf-spectacular would say `number` and a
    generated client would take a float for an id. SECURITY: an id that does not exist and one
    the caller may not see both give an empty page (a model choice filter would answer 400 for
    the first), and the schema states the bounds the filter enforces (1 to MAX_ID), so every
    id the schema allows is answered 200.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)
        schema: dict[str, Any] = {
            "type": "integer",
            "minimum": self.extra["min_value"],
            "maximum": self.extra["max_value"],
        }
        if self.extra.get("help_text"):
            schema["description"] = str(self.extra["help_text"])
        # drf-spectacular's per-field override (what @extend_schema_field sets on a class),
        # set per filter so that each keeps its own description.
        set_override(self, "field", schema)


class _TrueOrFalseField(forms.NullBooleanField):
    """``true`` or ``false`` (any case); anything else is an error, not "no filter"."""

    def to_python(self, value: Any) -> bool | None:  # type: ignore[override]
        if value in (None, ""):
            return None
        text = str(value).lower()
        if text not in ("true", "false"):
            raise FormValidationError(_("Write true or false."), code="invalid")
        return text == "true"

    def validate(self, value: Any) -> None:
        pass


class BooleanFilter(filters.BooleanFilter):
    """A boolean query parameter that refuses what is not ``true`` or ``false``.

    django-filter's own reads ``unread=abc`` as no filter at all and answers as if it had not
    been asked, against a schema that says ``boolean``.
    """

    field_class = _TrueOrFalseField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # django-filter's BooleanWidget turns every other value into None before the field sees it.
        kwargs.setdefault("widget", forms.TextInput)
        super().__init__(*args, **kwargs)
