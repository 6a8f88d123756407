"""The one place where an API view gets its objects: from a visibility selector."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from django.db.models import QuerySet
from rest_framework.generics import GenericAPIView


class VisibleQuerysetMixin(GenericAPIView):
    """Take ``get_queryset()`` from ``visible_selector(user=request.user)``.

    Lists and ``get_object()`` both start from it, so an object the caller may not see is absent
    from lists and answers 404 on detail and actions. Subclasses add ``select_related`` and
    prefetches in ``optimize()``; they never filter for permissions themselves.
    """

    visible_selector: ClassVar[Callable[..., QuerySet[Any]]]
    # Integer ids only: anything else (or a number too large for the column) is an unknown URL.
    lookup_value_regex = "[0-9]{1,18}"

    def get_queryset(self) -> QuerySet[Any]:
        # Subclasses set ``visible_selector = staticmethod(<selector>)``.
        return self.optimize(self.visible_selector(user=self.request.user))

    def optimize(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        """Return the queryset with the joins and prefetches its serializer needs."""
        return queryset
