"""Filter backends of the API that refuse what they cannot honour instead of ignoring it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.drainage import set_override
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter
from rest_framework.request import Request


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


class IdFilter(filters.NumberFilter):
    """A filter on a row's id: a plain number (never a model choice), an integer in the schema.

    django-filter's number filter is a decimal, so drf-spectacular would say `number` and a
    generated client would take a float for an id.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        schema: dict[str, Any] = {"type": "integer"}
        if self.extra.get("help_text"):
            schema["description"] = str(self.extra["help_text"])
        # drf-spectacular's per-field override (what @extend_schema_field sets on a class),
        # set per filter so that each keeps its own description.
        set_override(self, "field", schema)
