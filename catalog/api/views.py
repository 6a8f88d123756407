"""API views of the catalog. Reads go through selectors, writes through catalog.services."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import User
from catalog import policies, selectors, services
from catalog.models import Resource
from kernel.api.filters import StrictOrderingFilter
from kernel.api.mixins import VisibleQuerysetMixin
from kernel.api.pagination import CursorPage
from kernel.api.permissions import Allowed
from kernel.errors import ReferenceNotFound

from . import examples
from .filters import CategoryFilter, ResourceFilter, SystemFilter
from .serializers import (
    ActivitySerializer,
    CategorySerializer,
    CodeListEntryPageSerializer,
    CodeListEntrySerializer,
    CodeListSerializer,
    ConfirmNotPersonalSerializer,
    ResourceDetailSerializer,
    ResourceSerializer,
    ResourceSummarySerializer,
    ResourceWriteSerializer,
    RetireSerializer,
    ReturnSerializer,
    ScopeSerializer,
    SystemSerializer,
    VersionSerializer,
)


@extend_schema_view(
    list=extend_schema(summary="List categories", tags=["catalog"]),
    retrieve=extend_schema(summary="Show a category", tags=["catalog"]),
)
class CategoryViewSet(VisibleQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """The category tree of the national catalog (类/项/目/细目)."""

    visible_selector = staticmethod(selectors.categories_visible_to)
    serializer_class = CategorySerializer
    filterset_class = CategoryFilter
    cursor_ordering = ("code",)


@extend_schema_view(
    list=extend_schema(summary="List information systems", tags=["catalog"]),
    retrieve=extend_schema(summary="Show an information system", tags=["catalog"]),
)
class SystemViewSet(VisibleQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """Registered information systems in service."""

    visible_selector = staticmethod(selectors.systems_visible_to)
    serializer_class = SystemSerializer
    filterset_class = SystemFilter
    cursor_ordering = ("id",)

    def optimize(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.select_related("department")  # department_name: one join, not N queries


class CodeListEntryPage(CursorPage):
    """Pages of a code list's entries, in the list's order (not the view's, which orders lists)."""

    def get_ordering(self, request: Request, queryset: QuerySet[Any], view: Any) -> tuple[str, ...]:
        return ("position", "id")


@extend_schema_view(
    list=extend_schema(summary="List code lists", tags=["catalog"]),
    retrieve=extend_schema(
        summary="List a code list's codes",
        tags=["catalog"],
        responses={200: CodeListEntryPageSerializer},
        # The entries' pages take the same parameters as every list's.
        parameters=[
            OpenApiParameter(
                "code",
                str,
                OpenApiParameter.PATH,
                description="The code list's code, e.g. `GB/T 2261.1-2003`.",
            ),
            OpenApiParameter("cursor", str, description=CursorPage.cursor_query_description),
            OpenApiParameter(
                "page_size",
                {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": CursorPage.max_page_size,
                    "default": CursorPage.page_size,
                },
                description=CursorPage.page_size_query_description,
            ),
        ],
        description="The codes (entries) of the code list with this code (e.g. "
        "`GB/T 2261.1-2003`, its slash as is or as `%2F`), in the list's order, a page at a "
        "time; 404 for an unknown code.",
    ),
)
class CodeListViewSet(VisibleQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """Code lists (代码集): national and local standards' codes that data items take.

    Public standards: every authenticated caller reads them. They are kept by the platform
    coordinator; the API only reads.
    """

    visible_selector = staticmethod(selectors.code_lists_visible_to)
    serializer_class = CodeListSerializer
    cursor_ordering = ("code",)
    lookup_field = "code"
    # Codes hold slashes, dots and spaces (GB/T 2261.1-2003); the route's last "/" ends them.
    lookup_value_regex = ".+"

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        code_list = self.get_object()
        entries = selectors.code_list_entries(code_list=code_list)
        paginator = CodeListEntryPage()
        page = paginator.paginate_queryset(entries, request, view=self)
        assert page is not None
        return paginator.get_paginated_response(CodeListEntrySerializer(page, many=True).data)


class ActivityPage(CursorPage):
    """Pages of a resource's activity, newest first, by the audit trail's sequence."""

    ordering = "-sequence"


# ``?expand=`` of the resource list: what it may bring back beside each resource's item_count.
EXPAND = "expand"
EXPANSIONS = ("items",)


def _resource_schema(summary: str, **kwargs: Any) -> Any:
    return extend_schema(summary=summary, tags=["resources"], **kwargs)


@extend_schema_view(
    list=_resource_schema(
        "List resources",
        description="The resources the caller may see, each with `item_count`; their data items "
        "are on the detail (`GET /api/v1/resources/{id}/`), or here with `?expand=items`.",
        parameters=[
            OpenApiParameter(
                EXPAND,
                str,
                enum=list(EXPANSIONS),
                description="`items`: give each resource's data items too, exactly as its detail "
                "lists them. Without it the list gives only `item_count`. Any other value is a "
                "400 naming `expand`.",
            )
        ],
        examples=[examples.RESOURCE_LIST_EXAMPLE, examples.RESOURCE_LIST_EXPANDED_EXAMPLE],
    ),
    retrieve=_resource_schema("Show a resource", examples=[examples.RESOURCE_EXAMPLE]),
    create=_resource_schema(
        "Register a draft resource",
        request=ResourceWriteSerializer,
        responses={201: ResourceSerializer},
    ),
    update=_resource_schema(
        "Replace a resource's metadata",
        request=ResourceWriteSerializer,
        responses={200: ResourceSerializer},
    ),
    partial_update=_resource_schema(
        "Change a resource's metadata",
        request=ResourceWriteSerializer,
        responses={200: ResourceSerializer},
    ),
)
class ResourceViewSet(
    VisibleQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Information resources the caller may see; catalog editors register and change them."""

    visible_selector = staticmethod(selectors.resources_visible_to)
    serializer_class = ResourceSerializer
    filter_backends = [DjangoFilterBackend, StrictOrderingFilter]
    filterset_class = ResourceFilter
    ordering_fields = ["id", "name", "updated_at"]
    ordering = ["-id"]

    def get_permissions(self) -> list[BasePermission]:
        """Who may call what; the services check the object itself and answer 403."""
        extra: Sequence[type[BasePermission]] = {
            "create": [Allowed.by(policies.is_catalog_editor)],
            "publish": [Allowed.by(policies.can_review_resources)],
            "return_": [Allowed.by(policies.can_review_resources)],
        }.get(self.action, [])
        return [*super().get_permissions(), *(permission() for permission in extra)]  # type: ignore[list-item]

    def get_serializer_class(self) -> Any:
        return {
            "create": ResourceWriteSerializer,
            "update": ResourceWriteSerializer,
            "partial_update": ResourceWriteSerializer,
            "return_": ReturnSerializer,
            "retire": RetireSerializer,
            "scope": ScopeSerializer,
            "confirm_not_personal": ConfirmNotPersonalSerializer,
            "retrieve": ResourceDetailSerializer,
            "list": ResourceSummarySerializer,
        }.get(self.action, ResourceSerializer)

    def expands_items(self) -> bool:
        """Whether the list was asked for its resources' items: ``?expand=items``.

        Anything else given as ``expand`` (another word, an empty value, the parameter twice) is
        a 400 naming it, as for ``ordering``: a misspelt expansion answered without the items
        would look like resources without items.
        """
        values = self.request.query_params.getlist(EXPAND)
        if not values:
            return False
        if len(values) > 1:
            raise ValidationError({EXPAND: [_("Give expand once.")]})
        if values[0] not in EXPANSIONS:
            raise ValidationError(
                {
                    EXPAND: [
                        _("Unknown expansion: “%(value)s”. Expand one of: %(allowed)s.")
                        % {"value": values[0], "allowed": ", ".join(EXPANSIONS)}
                    ]
                }
            )
        return True

    def _items_prefetch(self) -> Prefetch:
        user = self.request.user
        items = (
            selectors.data_items_visible_to(user=user)  # type: ignore[arg-type]
            .select_related("personal_confirmation", "code_list")
            .order_by("position", "id")
        )
        return Prefetch("items", queryset=items, to_attr="visible_items")

    def optimize(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        # provider_name/category_code: joined; items: one query for the page, not one per row
        # (the list's as rows, in list()); the list without items counts them in its own query.
        queryset = queryset.select_related("provider", "category")
        if self.action == "list":
            if self.expands_items():
                return queryset
            user = self.request.user
            return queryset.annotate(
                item_count=selectors.data_item_count_visible_to(user=user)  # type: ignore[arg-type]
            )
        return queryset.prefetch_related(self._items_prefetch())

    def list(self, request: Request) -> Response:
        expand = self.expands_items()  # refused before anything is read
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        assert page is not None  # every list is paged (CursorPage)
        if expand:
            # The page's items as rows, serialised without a model instance or DRF field each.
            rows = selectors.data_item_rows_visible_to(
                user=self.actor, resource_ids=[resource.pk for resource in page]
            )
            for resource in page:
                resource.visible_items = rows[resource.pk]
        context = {**self.get_serializer_context(), "expand_items": expand}
        serializer = ResourceSummarySerializer(page, many=True, context=context)
        return self.get_paginated_response(serializer.data)

    def present(self, resource: Resource, code: int = status.HTTP_200_OK) -> Response:
        """Answer with the resource a service returned, its items filtered as in every read."""
        prefetch_related_objects([resource], self._items_prefetch())
        return Response(
            ResourceSerializer(resource, context=self.get_serializer_context()).data, status=code
        )

    @property
    def actor(self) -> User:
        user = self.request.user
        assert isinstance(user, User)
        return user

    def create(self, request: Request) -> Response:
        serializer = cast(ResourceWriteSerializer, self.get_serializer(data=request.data))
        serializer.is_valid(raise_exception=True)
        if self.actor.department is None:  # nobody to register for; the service's rule
            raise PermissionDenied
        resource = services.resource_create(
            actor=self.actor, provider=self.actor.department, **serializer.service_arguments()
        )
        return self.present(resource, status.HTTP_201_CREATED)

    def update(self, request: Request, pk: str, partial: bool = False) -> Response:
        resource = self.get_object()
        serializer = cast(
            ResourceWriteSerializer,
            self.get_serializer(resource, data=request.data, partial=partial),
        )
        serializer.is_valid(raise_exception=True)
        updated = services.resource_update(
            actor=self.actor, resource=resource, **serializer.service_arguments()
        )
        return self.present(updated)

    def partial_update(self, request: Request, pk: str) -> Response:
        return self.update(request, pk, partial=True)

    @_resource_schema(
        "Submit a draft for review",
        operation_id="resources_submit",
        request=None,
        responses={200: ResourceSerializer},
    )
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str) -> Response:
        resource = services.resource_submit(actor=self.actor, resource=self.get_object())
        return self.present(resource)

    @_resource_schema(
        "Publish a submitted resource (coordinator)",
        operation_id="resources_publish",
        request=None,
        responses={200: ResourceSerializer},
    )
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str) -> Response:
        resource = services.resource_publish(actor=self.actor, resource=self.get_object())
        return self.present(resource)

    @_resource_schema(
        "Return a submitted resource to its editors (coordinator)",
        operation_id="resources_return",
        request=ReturnSerializer,
        responses={200: ResourceSerializer},
    )
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request: Request, pk: str) -> Response:
        resource = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        returned = services.resource_return(
            actor=self.actor, resource=resource, comment=serializer.validated_data["comment"]
        )
        return self.present(returned)

    @_resource_schema(
        "Retire (下架) a published resource",
        operation_id="resources_retire",
        request=RetireSerializer,
        responses={200: ResourceSerializer},
    )
    @action(detail=True, methods=["post"])
    def retire(self, request: Request, pk: str) -> Response:
        resource = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        retired = services.resource_retire(
            actor=self.actor, resource=resource, reason=serializer.validated_data["reason"]
        )
        return self.present(retired)

    @_resource_schema(
        "Set who sees a resource's catalog entry (its editors, or the coordinator's override)",
        operation_id="resources_scope",
        request=ScopeSerializer,
        responses={200: ResourceSerializer},
    )
    @action(detail=True, methods=["post"])
    def scope(self, request: Request, pk: str) -> Response:
        resource = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        changed = services.resource_scope_set(
            actor=self.actor,
            resource=resource,
            scope=serializer.validated_data["catalog_scope"],
            reason=serializer.validated_data["catalog_scope_reason"],
        )
        return self.present(changed)

    @_resource_schema(
        "Confirm, with a reason, that an item flagged as personal data is not",
        operation_id="resources_confirm_not_personal",
        request=ConfirmNotPersonalSerializer,
        responses={200: ResourceSerializer},
    )
    @action(detail=True, methods=["post"], url_path="confirm-not-personal")
    def confirm_not_personal(self, request: Request, pk: str) -> Response:
        resource = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        item = resource.items.filter(pk=serializer.validated_data["item"]).first()
        if item is None:
            raise ReferenceNotFound({"item": [_("The resource has no such data item.")]})
        services.item_personal_confirm(
            actor=self.actor, item=item, reason=serializer.validated_data["reason"]
        )
        # Read again: the object's items were fetched before the confirmation.
        return self.present(self.optimize(Resource.objects.all()).get(pk=resource.pk))

    @_resource_schema(
        "List a resource's published versions the caller may see, newest first",
        operation_id="resources_versions",
        request=None,
        responses={200: VersionSerializer(many=True)},
        examples=[examples.VERSIONS_EXAMPLE],
        filters=False,
    )
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def versions(self, request: Request, pk: str) -> Response:
        entries = selectors.resource_versions(user=self.actor, resource=self.get_object())
        return Response(VersionSerializer(entries, many=True).data)

    @_resource_schema(
        "List a resource's activity (its changes) the caller may see, newest first",
        description=(
            "Who sees the resource's catalog entry sees its activity, the same as the portal's "
            "activity page: edits of the entry with what changed, status changes (submitted, "
            "published, returned, retired with the reason), catalog scope changes and data "
            "versions put in use. An edit whose version is above the caller's clearance is "
            "left out; `actor` (the account) is given to the provider department and the "
            "coordinator only, others receive null and the acting department. Pages follow "
            "`next` (cursor)."
        ),
        operation_id="resources_activity",
        request=None,
        responses={200: ActivitySerializer(many=True)},
        examples=[examples.ACTIVITY_EXAMPLE],
        filters=False,
    )
    @action(
        detail=True,
        methods=["get"],
        pagination_class=ActivityPage,
        filter_backends=[],
        filterset_class=None,
    )
    def activity(self, request: Request, pk: str) -> Response:
        resource = self.get_object()
        events = selectors.resource_activity_events(user=self.actor, resource=resource)
        page = self.paginate_queryset(events)
        entries = selectors.resource_activity_entries(
            user=self.actor, resource=resource, events=page or []
        )
        return self.get_paginated_response(ActivitySerializer(entries, many=True).data)
