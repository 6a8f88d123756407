"""API views of sharing. Reads go through sharing.selectors, writes through sharing.services."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import User
from catalog.selectors import data_items_visible_to
from portal.api.mixins import VisibleQuerysetMixin
from sharing import selectors, services

from .filters import GrantFilter
from .serializers import GrantSerializer, RevokeSerializer


@extend_schema_view(
    list=extend_schema(
        summary="List grants (held by or given by the caller's department)", tags=["sharing"]
    ),
    retrieve=extend_schema(summary="Show a grant", tags=["sharing"]),
)
class GrantViewSet(VisibleQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """Grants: a consumer department's scoped, time-limited right to a resource's data."""

    visible_selector = staticmethod(selectors.grants_visible_to)
    serializer_class = GrantSerializer
    filterset_class = GrantFilter

    def get_serializer_class(self) -> Any:
        return RevokeSerializer if self.action == "revoke" else GrantSerializer

    def _items_prefetch(self) -> Prefetch:
        items = data_items_visible_to(user=self.request.user).order_by("position", "id")  # type: ignore[arg-type]
        return Prefetch("items", queryset=items, to_attr="visible_items")

    def optimize(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        # Names come by join; the page's granted items in one prefetch, not one query per grant.
        # prefetch_related(None) drops the selector's own item prefetch, which the API replaces
        # with one limited to the caller's clearance.
        return (
            queryset.prefetch_related(None)
            .select_related("resource", "department")
            .prefetch_related(self._items_prefetch())
        )

    @extend_schema(
        summary="Revoke a grant (provider's approver or coordinator)",
        tags=["sharing"],
        operation_id="grants_revoke",
        request=RevokeSerializer,
        responses={200: GrantSerializer},
    )
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk: str) -> Response:
        grant = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = request.user
        assert isinstance(user, User)
        revoked = services.grant_revoke(
            actor=user, grant=grant, reason=serializer.validated_data["reason"]
        )
        prefetch_related_objects([revoked], self._items_prefetch())
        return Response(GrantSerializer(revoked, context=self.get_serializer_context()).data)
