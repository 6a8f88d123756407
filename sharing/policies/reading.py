"""Who may read a resource's data, and which of its items: what a grant permits.

The second question of the access model (``catalog.policies``). Reading another department's
conditional data needs a grant in force, so the rule lives with the grants; data delivery
(``datasets``, above this app) applies it, and corrections are filed by whoever it lets read. The
per-object decision is ``data_read``; the queryset form is ``resources_readable_q``; the property
test in tests/accounts checks that the two always agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS
from django.db.models import DateTimeField, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from accounts.models import User
from catalog.models import DataItem, Resource, ResourceGroupObjectPermission, ShareType
from catalog.policies import (
    NOTHING,
    READ_DATA,
    AnyUser,
    can_view_resource,
    items_within_q,
    resources_visible_q,
)
from kernel.compiled import CompiledQuery, Param

from ..models import Grant


@dataclass(frozen=True)
class DataRead:
    """Whether a user may read a resource's data, and through which grant (if one is needed)."""

    allowed: bool
    grant: Grant | None = None  # the grant in force for another department's read


_DENIED = DataRead(False)


def reading_grant(resource_id: Any, department_id: Any, at: Any) -> QuerySet[Any]:
    """Return the grant through which a department reads a conditional resource at a time.

    SECURITY: both the guardian row and a grant in force are required; a grant past its end time
    stops working even before the periodic task removes the guardian row. The arguments are
    values, or ``Param`` placeholders for the compiled form ``data_read`` runs.
    """
    permitted = ResourceGroupObjectPermission.objects.filter(
        content_object_id=resource_id,
        group__department__pk=department_id,
        permission__codename=READ_DATA,
    )
    return (
        Grant.objects.in_force(at)
        .filter(resource_id=resource_id, department_id=department_id)
        .filter(Exists(permitted))
        .order_by("-created_at", "-id")[:1]
    )


# One query finds the grant with the guardian row; compiled once, it is the hottest query of a
# key lookup through the API.
_READING_GRANT = CompiledQuery(
    lambda: reading_grant(Param("resource"), Param("department"), Param("at", DateTimeField()))
)


def _group_permission(user: User, codename: str) -> Exists:
    assert user.department_id is not None
    return Exists(
        ResourceGroupObjectPermission.objects.filter(
            content_object=OuterRef("pk"),
            group__department__pk=user.department_id,
            permission__codename=codename,
            permission__content_type__app_label="catalog",
        )
    )


def _grant_in_force(user: User) -> Exists:
    assert user.department_id is not None
    return Exists(
        Grant.objects.in_force().filter(resource=OuterRef("pk"), department_id=user.department_id)
    )


def resources_readable_q(user: AnyUser) -> Q:
    """Return the filter of resources whose data the user may read (the items within clearance)."""
    if not (user.is_authenticated and user.is_active):
        return NOTHING
    assert isinstance(user, User)
    sources = Q(share_type=ShareType.UNCONDITIONAL)
    if user.department_id is not None:
        # SECURITY: both the guardian row and a grant in force are required; a grant past its
        # end time stops working even before the periodic task removes the guardian row.
        sources |= Q(provider_id=user.department_id)
        sources |= _group_permission(user, READ_DATA) & _grant_in_force(user)
    # The entry's level is not compared: it may exceed the user's clearance (catalog scope
    # ``departments``); each item is, in ``readable_items_q``, so only the items within
    # clearance are ever delivered.
    return resources_visible_q(user) & Q(status=Resource.Status.PUBLISHED) & sources


# The fields of the entry the decision rests on.
DECISION_FIELDS = ("status", "share_type", "catalog_scope", "level", "provider")


def _decided_on_primary(resource: Resource) -> bool:
    """Make sure the entry's decision fields are the primary's; return False if it is gone.

    SECURITY: a page may have loaded the resource from the read replica (kernel/db_router.py),
    which can be seconds behind: a retirement or a change of share type must stop the next read
    at once, as a revoked grant does. One primary-key read, only for a copy from the replica.
    """
    if resource._state.db in (None, DEFAULT_DB_ALIAS):
        return True
    try:
        resource.refresh_from_db(using=DEFAULT_DB_ALIAS, fields=DECISION_FIELDS)
    except Resource.DoesNotExist:
        return False
    return True


def data_read(user: AnyUser, resource: Resource) -> DataRead:
    """Decide whether the user may read at least part of the resource's data, once.

    Reads of conditional resources by another department need both a grant in force and the
    guardian row of the read-data permission (``reading_grant``). The entry's own fields are
    taken from the primary database (``_decided_on_primary``).
    """
    if not _decided_on_primary(resource):
        return _DENIED
    if not can_view_resource(user, resource) or resource.status != Resource.Status.PUBLISHED:
        return _DENIED
    assert isinstance(user, User)
    if resource.share_type == ShareType.UNCONDITIONAL:
        return DataRead(True)
    if user.department_id is None:
        return _DENIED
    if resource.provider_id == user.department_id:
        return DataRead(True)
    grants = _READING_GRANT(resource=resource.pk, department=user.department_id, at=timezone.now())
    return DataRead(True, grants[0]) if grants else _DENIED


def can_read_resource_data(user: AnyUser, resource: Resource) -> bool:
    """Return whether the user may read at least part of the resource's data."""
    return data_read(user, resource).allowed


def readable_items_q(user: User, resource: Resource, decision: DataRead) -> Q:
    """Return the filter of the resource's data items the user may read.

    ``decision`` is ``data_read(user, resource)``, already taken by the caller: its grant
    limits the items, so the grant is never looked up twice.
    """
    if resource.share_type == ShareType.UNCONDITIONAL or resource.provider_id == user.department_id:
        return items_within_q(user.clearance)
    grant = decision.grant
    if not decision.allowed or grant is None:
        return NOTHING
    return items_within_q(user.clearance, grant.pk)


def readable_items(user: AnyUser, resource: Resource) -> list[DataItem]:
    """Return the data items of the resource the user may read, in order."""
    decision = data_read(user, resource)
    if not decision.allowed:
        return []
    assert isinstance(user, User)
    readable = readable_items_q(user, resource, decision)
    return list(resource.items.filter(readable).order_by("position", "id"))


# Object permissions answered by the policy backend (portal.backends), keyed by
# "app_label.codename": the permission is declared on the catalog's Resource.
RESOURCE_PREDICATES = {f"catalog.{READ_DATA}": can_read_resource_data}
