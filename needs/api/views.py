"""API views of data needs. Reads go through needs.selectors, writes through needs.services."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import User
from kernel.api.mixins import VisibleQuerysetMixin
from needs import selectors, services
from needs.models import Need

from .filters import NeedFilter
from .serializers import (
    NeedCreateSerializer,
    NeedLinkSerializer,
    NeedRefuseSerializer,
    NeedRegisterSerializer,
    NeedRequestResultSerializer,
    NeedRouteSerializer,
    NeedSerializer,
)


def _schema(summary: str, **kwargs: Any) -> Any:
    return extend_schema(summary=summary, tags=["needs"], **kwargs)


def _actor(request: Request) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@extend_schema_view(
    list=_schema("List data needs (every department's, with their state)"),
    retrieve=_schema("Show a data need"),
)
class NeedViewSet(
    VisibleQuerysetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """数据需求: data a department needs and cannot find in the catalog, and the answers."""

    visible_selector = staticmethod(selectors.needs_visible_to)
    serializer_class = NeedSerializer
    filterset_class = NeedFilter

    def get_serializer_class(self) -> Any:
        return {
            "create": NeedCreateSerializer,
            "route": NeedRouteSerializer,
            "link": NeedLinkSerializer,
            "register": NeedRegisterSerializer,
            "refuse": NeedRefuseSerializer,
        }.get(self.action, NeedSerializer)

    def _input(self) -> dict[str, Any]:
        serializer = self.get_serializer(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def present(self, need: Need, code: int = status.HTTP_200_OK) -> Response:
        """Answer with the need as the caller now sees it, re-read through the selector."""
        fresh = self.get_queryset().get(pk=need.pk)
        return Response(
            NeedSerializer(fresh, context=self.get_serializer_context()).data, status=code
        )

    @_schema(
        "File a data need (any department's staff)",
        request=NeedCreateSerializer,
        responses={201: NeedSerializer},
    )
    def create(self, request: Request) -> Response:
        data = self._input()
        need = services.need_file(
            actor=_actor(request),
            title=data["title"],
            description=data["description"],
            data_items=data["data_items"],
            legal_basis=data["legal_basis"],
            purpose=data["purpose"],
            purpose_other=data.get("purpose_other", ""),
            business=data["business"],
            suggested_provider_id=data.get("suggested_provider"),
        )
        return self.present(need, status.HTTP_201_CREATED)

    @_schema(
        "Route a need to a provider department (coordinator)",
        operation_id="needs_route",
        request=NeedRouteSerializer,
        responses={200: NeedSerializer},
    )
    @action(detail=True, methods=["post"])
    def route(self, request: Request, pk: str) -> Response:
        need = self.get_object()
        data = self._input()
        services.need_route(actor=_actor(request), need=need, provider_id=data["provider"])
        return self.present(need)

    @_schema(
        "Claim an unrouted need for the caller's department (its approvers)",
        operation_id="needs_claim",
        request=None,
        responses={200: NeedSerializer},
    )
    @action(detail=True, methods=["post"])
    def claim(self, request: Request, pk: str) -> Response:
        need = self.get_object()
        services.need_claim(actor=_actor(request), need=need)
        return self.present(need)

    @_schema(
        "Answer a need with a published resource of the provider's (its approvers)",
        operation_id="needs_link",
        request=NeedLinkSerializer,
        responses={200: NeedSerializer},
    )
    @action(detail=True, methods=["post"])
    def link(self, request: Request, pk: str) -> Response:
        need = self.get_object()
        data = self._input()
        services.need_link(
            actor=_actor(request),
            need=need,
            resource_id=data["resource"],
            answer=data.get("answer", ""),
        )
        return self.present(need)

    @_schema(
        "Answer that a new resource is registered for the need (the provider's approvers)",
        operation_id="needs_register",
        request=NeedRegisterSerializer,
        responses={200: NeedSerializer},
    )
    @action(detail=True, methods=["post"])
    def register(self, request: Request, pk: str) -> Response:
        need = self.get_object()
        data = self._input()
        services.need_register(actor=_actor(request), need=need, answer=data.get("answer", ""))
        return self.present(need)

    @_schema(
        "Refuse a need, citing the legal basis (the provider's approvers)",
        operation_id="needs_refuse",
        request=NeedRefuseSerializer,
        responses={200: NeedSerializer},
    )
    @action(detail=True, methods=["post"])
    def refuse(self, request: Request, pk: str) -> Response:
        need = self.get_object()
        data = self._input()
        services.need_refuse(actor=_actor(request), need=need, reason=data["reason"])
        return self.present(need)

    @_schema(
        "Make a share request from an answered need (requesting department's staff)",
        operation_id="needs_request",
        request=None,
        responses={201: NeedRequestResultSerializer},
    )
    @action(detail=True, methods=["post"], url_path="request")
    def make_request(self, request: Request, pk: str) -> Response:
        need = self.get_object()
        share_request = services.need_request(actor=_actor(request), need=need)
        return Response({"share_request": share_request.pk}, status=status.HTTP_201_CREATED)
