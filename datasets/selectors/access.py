"""Who may read what of a resource's data: the readable items, the grant, the active version.

``data_access`` is where every read of rows starts (``datasets.selectors.rows``): Http404 for a
user who may not read the resource's data, otherwise the readable items (granted, within
clearance), the items delivered in clear and the grant's row scope.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from accounts.models import User
from catalog import policies as catalog_policies
from catalog.models import DataItem, Resource, ShareType
from kernel.compiled import CompiledQuery, Param
from sharing import policies
from sharing.models import Grant

from ..masking import mask_detected, masker_for
from ..models import DatasetVersion


@dataclass
class Access:
    """What one user may get from one resource's data."""

    items: list[DataItem]
    grant_id: int | None
    clear_item_ids: set[int]
    row_scope: str
    version: DatasetVersion | None = None

    def item_named(self, name: str) -> DataItem | None:
        return next((item for item in self.items if item.name == name), None)


@dataclass
class Projection:
    """The readable, masked columns of one stored version."""

    names: list[str]
    positions: list[int]
    maskers: list[Callable[[str | None], str | None] | None]

    def apply(self, data: list[Any]) -> list[Any]:
        return [
            mask(data[p]) if mask else data[p]
            for p, mask in zip(self.positions, self.maskers, strict=True)
        ]


def _items_query(granted: bool) -> QuerySet[DataItem]:
    items = DataItem.objects.filter(resource_id=Param("resource"))
    if not granted:  # the provider's own data, or an unconditional resource
        return items.filter(catalog_policies.items_within_q(Param("clearance"))).order_by(
            "position", "id"
        )
    # The granted items and, in the same query, whether the grant delivers each in clear.
    clear_rows = Grant.clear_items.through.objects.filter(
        grant_id=Param("grant"), dataitem_id=OuterRef("pk")
    )
    return (
        items.filter(catalog_policies.items_within_q(Param("clearance"), Param("grant")))
        .annotate(clear=Exists(clear_rows))
        .order_by("position", "id")
    )


def resources_readable_by(*, user: User) -> QuerySet[Resource]:
    """Return the resources whose data the user may read."""
    return Resource.objects.filter(policies.resources_readable_q(user))


def resource_items_readable(*, user: User, resource: Resource) -> list[DataItem]:
    """Return the data items of the resource the user may read."""
    return policies.readable_items(user, resource)


class DataAccess(StrEnum):
    """What the viewer can do about the resource's data."""

    OWN = "own"  # the viewer's department provides it
    UNCONDITIONAL = "unconditional"
    GRANTED = "granted"
    REQUEST = "request"  # conditional: apply for a grant
    NOT_SHARED = "not_shared"  # with its legal basis
    UNAVAILABLE = "unavailable"  # not published (draft, under review, retired)


def data_access_state(*, user: User, resource: Resource) -> tuple[DataAccess, policies.DataRead]:
    """Return what the viewer of a visible resource can do about its data, and the read decision.

    The decision is ``policies.data_read(user, resource)`` (its grant, if one is used), so a
    caller asking further rules that rest on it does not look the grant up again.
    """
    if resource.status != Resource.Status.PUBLISHED:
        return DataAccess.UNAVAILABLE, policies.DataRead(False)
    if user.department_id is not None and resource.provider_id == user.department_id:
        return DataAccess.OWN, policies.DataRead(True)
    if resource.share_type == ShareType.UNCONDITIONAL:
        return DataAccess.UNCONDITIONAL, policies.DataRead(True)
    decision = policies.data_read(user, resource)
    if decision.allowed:
        return DataAccess.GRANTED, decision
    if resource.share_type == ShareType.CONDITIONAL:
        return DataAccess.REQUEST, decision
    return DataAccess.NOT_SHARED, decision


# A key lookup's queries, compiled once: building them cost the ORM more Python time than the
# database took to answer them (docs/performance.md).
_ACTIVE_VERSION = CompiledQuery(
    lambda: DatasetVersion.objects.filter(
        resource_id=Param("resource"), status=DatasetVersion.Status.ACTIVE
    ).order_by("-pk")[:1]
)
_ITEMS = CompiledQuery(lambda: _items_query(granted=False))
_GRANTED_ITEMS = CompiledQuery(lambda: _items_query(granted=True))


def data_access(*, user: User, resource: Resource, stored: bool = True) -> Access:
    """Return what the user may read of the resource's data; Http404 if nothing.

    ``stored``: whether the reader reads the stored rows, whose active version comes along;
    an interface call reads none (its version stays None, a query saved).
    """
    decision = policies.data_read(user, resource)
    if not decision.allowed:
        raise Http404
    versions = _ACTIVE_VERSION(resource=resource.pk) if stored else []
    version = versions[0] if versions else None
    grant = decision.grant
    if grant is None:
        # The provider's own data (its staff see it as stored, within clearance), or an
        # unconditional resource (no grant, nothing in clear).
        items = _ITEMS(resource=resource.pk, clearance=user.clearance)
        if not items and resource.level > user.clearance:  # every item is above the clearance
            raise Http404
        own = user.department_id is not None and resource.provider_id == user.department_id
        return Access(items, None, {item.pk for item in items} if own else set(), "", version)
    items = _GRANTED_ITEMS(resource=resource.pk, clearance=user.clearance, grant=grant.pk)
    if not items and resource.level > user.clearance:  # the granted items are all above it
        raise Http404
    clear = {item.pk for item in items if item.clear}  # type: ignore[attr-defined]
    return Access(items, grant.pk, clear, grant.row_scope_region, version)


def _masker(item: DataItem) -> Callable[[str | None], str | None] | None:
    """Return how an item's values are masked for a reader who does not get it in clear.

    A personal item by its kind's rule; a string item tagged "not personal" by what each value
    looks like (the safety net: a valid ID number, mobile or bank card is masked all the same).
    """
    if item.kind != DataItem.Kind.NONE:
        return masker_for(item.kind)
    return mask_detected if item.data_type == DataItem.DataType.C else None


def projection_for(access: Access, version: DatasetVersion | None) -> Projection:
    stored = version.columns if version is not None else [i.name for i in access.items]
    names, positions, maskers = [], [], []
    for item in access.items:
        if item.name not in stored:
            continue  # an item added after this version was stored
        names.append(item.name)
        positions.append(stored.index(item.name))
        maskers.append(None if item.pk in access.clear_item_ids else _masker(item))
    return Projection(names, positions, maskers)
