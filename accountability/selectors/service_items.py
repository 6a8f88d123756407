"""Service items and whether each required material can now be obtained by sharing."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from accounts.models import Department, User
from catalog.models import Resource, ShareType
from catalog.selectors import resources_visible_to

from ..models import ServiceItem, ServiceMaterial
from ..policies import can_view_service_items

# Why a material is, or is not, obtainable by sharing.
OBTAINABLE_UNCONDITIONAL = "unconditional"
OBTAINABLE_CONDITIONAL = "conditional"
NOT_LINKED = "not_linked"
NOT_PUBLISHED = "not_published"
NOT_SHARED = "not_shared"
OBTAINABLE = frozenset({OBTAINABLE_UNCONDITIONAL, OBTAINABLE_CONDITIONAL})


def _obtainable_q(prefix: str) -> Q:
    return Q(
        **{
            f"{prefix}status": Resource.Status.PUBLISHED,
            f"{prefix}share_type__in": [ShareType.UNCONDITIONAL, ShareType.CONDITIONAL],
        }
    )


@dataclass(frozen=True)
class ResourceRef:
    """A linked resource as the viewer may see it: with name and code, or only its provider."""

    pk: int | None
    name: str
    code: str
    provider: Department
    visible: bool


def _ref(resource: Resource, visible_ids: set[int]) -> ResourceRef:
    visible = resource.pk in visible_ids
    return ResourceRef(
        pk=resource.pk if visible else None,
        name=resource.name if visible else "",
        code=(resource.code or "") if visible else "",
        provider=resource.provider,
        visible=visible,
    )


@dataclass(frozen=True)
class MaterialRow:
    material: ServiceMaterial
    status: str
    resource: ResourceRef | None

    @property
    def obtainable(self) -> bool:
        return self.status in OBTAINABLE


def material_status(resource: Resource | None) -> str:
    """Return whether a material's data can be obtained by sharing, and if not, why."""
    if resource is None:
        return NOT_LINKED
    if resource.status != Resource.Status.PUBLISHED:
        return NOT_PUBLISHED
    if resource.share_type == ShareType.NONE:
        return NOT_SHARED
    if resource.share_type == ShareType.UNCONDITIONAL:
        return OBTAINABLE_UNCONDITIONAL
    return OBTAINABLE_CONDITIONAL


def service_items_list(*, user: User, query: str = "") -> QuerySet[ServiceItem]:
    """Return the service items with their material counts (every signed-in user)."""
    if not can_view_service_items(user):
        return ServiceItem.objects.none()
    items = ServiceItem.objects.select_related("department").annotate(
        material_count=Count("materials", distinct=True),
        obtainable_count=Count(
            "materials", filter=_obtainable_q("materials__resource__"), distinct=True
        ),
    )
    if query.strip():
        text = query.strip()
        items = items.filter(Q(name__icontains=text) | Q(code__icontains=text))
    return items.order_by("department__name", "code")


def service_item_get(*, user: User, pk: int) -> ServiceItem:
    """Return one service item, or raise ``ServiceItem.DoesNotExist``."""
    if not can_view_service_items(user):
        raise ServiceItem.DoesNotExist
    return ServiceItem.objects.select_related("department").get(pk=pk)


def service_item_detail(
    *, user: User, item: ServiceItem
) -> tuple[list[MaterialRow], list[ResourceRef]]:
    """Return the item's materials with their sharing status, and the resources it produces.

    A linked resource the viewer may not see is shown only as "a resource of <department>".
    Three queries: materials with their resources, produced resources, visible ids among both.
    """
    materials = list(item.materials.select_related("resource__provider").order_by("position", "pk"))
    produced = list(item.produces.select_related("provider").order_by("name"))
    linked = {m.resource_id for m in materials if m.resource_id} | {r.pk for r in produced}
    visible_ids = (
        set(resources_visible_to(user=user).filter(pk__in=linked).values_list("pk", flat=True))
        if linked
        else set()
    )
    rows = [
        MaterialRow(
            material=m,
            status=material_status(m.resource),
            resource=_ref(m.resource, visible_ids) if m.resource is not None else None,
        )
        for m in materials
    ]
    return rows, [_ref(r, visible_ids) for r in produced]
