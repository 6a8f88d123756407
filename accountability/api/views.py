"""API views of accountability: the conflicts of linked items (数据打架 checked by values).

Reads go through accountability.selectors.links, as the portal's conflict pages do.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import User
from kernel.api import errors
from kernel.api.mixins import VisibleQuerysetMixin

from ..selectors import links as links_selectors
from . import examples
from .filters import ConflictFilter
from .serializers import ConflictLinkSerializer, ConflictRowsSerializer


def _schema(summary: str, **kwargs: Any) -> Any:
    return extend_schema(summary=summary, tags=["conflicts"], **kwargs)


@extend_schema_view(
    list=_schema(
        "List the item links the caller's department owns a side of, with their last comparison",
        description=(
            "The same links as the portal's conflict list: those where one side's resource is "
            "the caller's department's and within the caller's clearance. Other departments "
            "and the coordinator see none of a department's links here."
        ),
        examples=[examples.LINK],
    ),
    retrieve=_schema("Show one link's last comparison", examples=[examples.LINK]),
)
class ConflictViewSet(VisibleQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """Items of the caller's department's resources linked to the same data elsewhere."""

    visible_selector = staticmethod(links_selectors.conflict_links_for)
    serializer_class = ConflictLinkSerializer
    filterset_class = ConflictFilter
    cursor_ordering = ("id",)

    def paginate_queryset(self, queryset: Any) -> list[Any] | None:
        page = super().paginate_queryset(queryset)
        return None if page is None else links_selectors.with_items(page)

    def get_object(self) -> Any:
        return links_selectors.with_items([super().get_object()])[0]

    @_schema(
        "List the conflicting keys of a link's last comparison, masked",
        description=(
            "Every conflict the last comparison kept (at most 1000, by key): the key masked, "
            "each side's value only where the caller is cleared for its item and resource "
            "(null otherwise). Each read is recorded in the audit trail, as in the portal."
        ),
        operation_id="conflicts_rows_retrieve",
        responses={200: ConflictRowsSerializer, **errors.OBJECT_READ_ERRORS},
        examples=[examples.ROWS],
        filters=False,
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def rows(self, request: Request, pk: str) -> Response:
        link = self.get_object()
        user = request.user
        assert isinstance(user, User)
        stored = link.last_run.conflict_rows if link.last_run is not None else []
        listing = links_selectors.conflict_list(user=user, link=link, start=0, stop=len(stored))
        own_left = listing.own_side == "left"
        body = {
            "link": link.pk,
            "comparison": link.last_run_id,
            "own_values_shown": listing.show_left if own_left else listing.show_right,
            "other_values_shown": listing.show_right if own_left else listing.show_left,
            "results": [
                {
                    "index": row.index,
                    "key": row.key,
                    "own_value": row.left if own_left else row.right,
                    "other_value": row.right if own_left else row.left,
                }
                for row in listing.rows
            ],
        }
        return Response(ConflictRowsSerializer(body).data)
