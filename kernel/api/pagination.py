"""Cursor pagination: stable under inserts, constant cost at any depth, and no COUNT(*)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request


class CursorPage(CursorPagination):
    """Pages of ``page_size`` (default 50, at most 200) ordered by id unless a view says otherwise.

    A ``page_size`` that is not a whole number from 1 to the maximum is a 400 naming the
    parameter; DRF's own paginator would silently use the default or the maximum instead.
    """

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = "-id"

    def get_ordering(self, request: Request, queryset: QuerySet[Any], view: Any) -> tuple[str, ...]:
        """Return the view's ``cursor_ordering`` unless an ordering filter chose one."""
        if not any(hasattr(b, "get_ordering") for b in getattr(view, "filter_backends", [])):
            ordering = getattr(view, "cursor_ordering", None)
            if ordering:
                return tuple(ordering)
        return super().get_ordering(request, queryset, view)

    def get_page_size(self, request: Request) -> int:
        raw = request.query_params.get(self.page_size_query_param or "page_size")
        if raw is None:
            return self.page_size
        text = raw.strip()
        if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= self.max_page_size:
            raise ValidationError(
                {
                    "page_size": [
                        _("Give a whole number from 1 to %(max)d.") % {"max": self.max_page_size}
                    ]
                }
            )
        return int(text)

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        """Return the page's schema: ``next`` and ``previous`` are always there (null at the
        ends), with examples of the portal's own links rather than DRF's placeholder ones."""
        page = super().get_paginated_response_schema(schema)
        page["required"] = ["next", "previous", "results"]
        link = "https://portal.example.gov.cn/api/v1/resources/?cursor="
        page["properties"]["next"]["example"] = link + "cD0xMg%3D%3D"
        page["properties"]["previous"]["example"] = link + "cj0xJnA9MTE%3D"
        return page

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        """Declare ``page_size`` with the bounds that get_page_size() enforces."""
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(
                    minimum=1, maximum=self.max_page_size, default=self.page_size
                )
        return parameters
