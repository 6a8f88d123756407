"""API views of departments and of the caller."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import User
from accounts.selectors import departments_visible_to
from kernel.api.mixins import VisibleQuerysetMixin

from .filters import DepartmentFilter
from .serializers import DepartmentSerializer, MeSerializer


@extend_schema_view(
    list=extend_schema(summary="List departments", tags=["directory"]),
    retrieve=extend_schema(summary="Show a department", tags=["directory"]),
)
class DepartmentViewSet(VisibleQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """The city's departments: providers and consumers of resources."""

    visible_selector = staticmethod(departments_visible_to)
    serializer_class = DepartmentSerializer
    filterset_class = DepartmentFilter
    cursor_ordering = ("id",)


class MeView(generics.GenericAPIView):
    """The caller: account, department, roles and clearance."""

    serializer_class = MeSerializer
    pagination_class = None

    def get_serializer_context(self) -> dict:
        return {**super().get_serializer_context(), "token": self.request.auth}

    @extend_schema(summary="Show the caller", tags=["directory"])
    def get(self, request: Request) -> Response:
        assert isinstance(request.user, User)
        return Response(self.get_serializer(request.user).data)
