"""The one place where an API view gets its objects: from a visibility selector."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseBase
from rest_framework.generics import GenericAPIView
from rest_framework.views import APIView

from kernel.db import generic_plans


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


class GenericPlansMixin(APIView):
    """Run keyed requests in ``kernel.db.generic_plans()``.

    For requests whose every query is a lookup by key (a row by its key, an interface call):
    authentication, the decision, the read and the audit record then reuse their plans. A view
    names its keyed actions in ``generic_plan_actions`` (``"*"`` for a view without actions)
    or decides in ``keyed_request()``.
    """

    generic_plan_actions: ClassVar[frozenset[str]] = frozenset()

    def keyed_request(self, request: HttpRequest, action: str | None) -> bool:
        return action in self.generic_plan_actions

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        action_map = getattr(self, "action_map", None)
        action = action_map.get((request.method or "").lower()) if action_map else "*"
        if self.keyed_request(request, action):
            with generic_plans():
                return super().dispatch(request, *args, **kwargs)
        return super().dispatch(request, *args, **kwargs)
