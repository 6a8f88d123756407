"""Who may see, read and change a resource: each rule as a predicate and as a queryset filter.

The three questions of the access model (ARCHITECTURE.md):

1. see that the resource exists (metadata): the user's clearance covers the resource's level,
   and the resource is published, or belongs to the user's department, or is under review and
   the user is the platform coordinator;
2. read its data: (1), the resource is published, and it is shared unconditionally, or it is the
   user's department's own, or the department holds the guardian permission *and* a grant in force;
3. change it or decide on it: (1)'s clearance rule, and a role in the provider department
   (catalog editor / approver), or an explicit per-object delegation held in guardian.

Classification is compiled into SQL (``level <= clearance``) in every filter; it is never a
per-object grant and never a Python post-filter. The predicates are written separately on purpose:
the property test in tests/accounts checks that both forms, and ``user.has_perm``, always agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import DateTimeField, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from accounts.models import Role, User
from portal.compiled import CompiledQuery, Param

from .models import (
    DataItem,
    InformationSystem,
    Resource,
    ResourceGroupObjectPermission,
    ResourceUserObjectPermission,
    ShareType,
)

READ_DATA = "read_resource_data"
CHANGE = "change_resource"
DECIDE = "decide_resource"

NOTHING = Q(pk__in=[])

AnyUser = User | AnonymousUser


def _active(user: AnyUser) -> bool:
    return bool(user.is_authenticated and user.is_active)


# --- 1. metadata visibility ----------------------------------------------------------------


def resources_visible_q(user: AnyUser) -> Q:
    """Return the filter of resources whose existence the user may see."""
    if not _active(user):
        return NOTHING
    assert isinstance(user, User)
    states = Q(status=Resource.Status.PUBLISHED)
    if user.department_id is not None:
        states |= Q(provider_id=user.department_id)
    if user.has_role(Role.COORDINATOR):
        states |= Q(status__in=[Resource.Status.SUBMITTED, Resource.Status.RETIRED])
    return Q(level__lte=user.clearance) & states


def can_view_resource(user: AnyUser, resource: Resource) -> bool:
    """Return whether the user may see that the resource exists."""
    if not _active(user):
        return False
    assert isinstance(user, User)
    if resource.level > user.clearance:
        return False
    if resource.status == Resource.Status.PUBLISHED:
        return True
    if user.department_id is not None and resource.provider_id == user.department_id:
        return True
    return user.has_role(Role.COORDINATOR) and resource.status in (
        Resource.Status.SUBMITTED,
        Resource.Status.RETIRED,
    )


# --- 2. data access -------------------------------------------------------------------------


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
    from sharing.models import Grant  # sharing builds on catalog; import late to avoid a cycle

    assert user.department_id is not None
    return Exists(
        Grant.objects.in_force().filter(resource=OuterRef("pk"), department_id=user.department_id)
    )


def resources_readable_q(user: AnyUser) -> Q:
    """Return the filter of resources whose data the user may read (some items of)."""
    if not _active(user):
        return NOTHING
    assert isinstance(user, User)
    sources = Q(share_type=ShareType.UNCONDITIONAL)
    if user.department_id is not None:
        # SECURITY: both the guardian row and a grant in force are required; a grant past its
        # end time stops working even before the periodic task removes the guardian row.
        sources |= Q(provider_id=user.department_id)
        sources |= _group_permission(user, READ_DATA) & _grant_in_force(user)
    return Q(level__lte=user.clearance, status=Resource.Status.PUBLISHED) & sources


@dataclass(frozen=True)
class DataRead:
    """Whether a user may read a resource's data, and through which grant (if one is needed)."""

    allowed: bool
    grant: Any = None  # sharing.models.Grant: the grant in force for another department's read


_DENIED = DataRead(False)


def reading_grant(resource_id: Any, department_id: Any, at: Any) -> QuerySet[Any]:
    """Return the grant through which a department reads a conditional resource at a time.

    SECURITY: both the guardian row and a grant in force are required; a grant past its end time
    stops working even before the periodic task removes the guardian row. The arguments are
    values, or ``Param`` placeholders for the compiled form ``data_read`` runs.
    """
    from sharing.models import Grant

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


def data_read(user: AnyUser, resource: Resource) -> DataRead:
    """Decide whether the user may read at least part of the resource's data, once.

    Reads of conditional resources by another department need both a grant in force and the
    guardian row of the read-data permission (``reading_grant``).
    """
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


def items_within_q(clearance: Any, grant_id: Any = None) -> Q:
    """Return the filter of data items within a clearance and, given a grant, granted by it.

    The arguments are values, or ``Param`` placeholders for a compiled query.
    """
    within_clearance = Q(level__lte=clearance)
    return within_clearance if grant_id is None else within_clearance & Q(grants__id=grant_id)


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


# --- 3. change and decide -------------------------------------------------------------------


def _delegations(user: User, codename: str) -> QuerySet[ResourceUserObjectPermission]:
    """Return the user's per-object delegations for CHANGE or DECIDE."""
    return ResourceUserObjectPermission.objects.filter(
        user_id=user.pk,
        permission__codename=codename,
        permission__content_type__app_label="catalog",
    )


def _user_permission(user: User, codename: str, resource_ref: str = "pk") -> Exists:
    return Exists(_delegations(user, codename).filter(content_object=OuterRef(resource_ref)))


def resources_delegated(user: User, codename: str) -> QuerySet[ResourceUserObjectPermission, Any]:
    """Return the ids of the resources delegated to the user for CHANGE or DECIDE, as a subquery.

    Only the delegation: the clearance rule still applies (``resources_stewarded_q``).
    """
    return _delegations(user, codename).values("content_object_id")


def has_delegations(user: User, codename: str) -> bool:
    """Return whether any resource is delegated to the user for CHANGE or DECIDE (one query)."""
    return _delegations(user, codename).exists()


def _has_user_permission(user: User, resource: Resource, codename: str) -> bool:
    return _delegations(user, codename).filter(content_object=resource).exists()


_ROLE_FOR = {CHANGE: Role.EDITOR, DECIDE: Role.APPROVER}


def resources_stewarded_q(user: AnyUser, codename: str, *, through: str = "") -> Q:
    """Return the filter of resources the user may change (CHANGE) or decide on (DECIDE).

    ``through`` names a foreign key to the resource when the filter applies to another model
    (``"resource"`` on request lines): the condition then reads the joined resource row
    directly, where ``resource__in=<stewarded resources>`` would make PostgreSQL compute every
    stewarded resource of the city before looking at one line.
    """
    if not _active(user):
        return NOTHING
    assert isinstance(user, User)
    prefix = f"{through}__" if through else ""
    by_delegation: Q = Q(_user_permission(user, codename, f"{through}_id" if through else "pk"))
    if user.department_id is not None and user.has_role(_ROLE_FOR[codename]):
        by_delegation |= Q(**{f"{prefix}provider_id": user.department_id})
    return Q(**{f"{prefix}level__lte": user.clearance}) & by_delegation


def can_steward_resource(user: AnyUser, resource: Resource, codename: str) -> bool:
    """Return whether the user may change (CHANGE) or decide on (DECIDE) the resource."""
    if not _active(user):
        return False
    assert isinstance(user, User)
    if resource.level > user.clearance:
        return False
    if (
        user.department_id is not None
        and resource.provider_id == user.department_id
        and user.has_role(_ROLE_FOR[codename])
    ):
        return True
    return _has_user_permission(user, resource, codename)


def can_change_resource(user: AnyUser, resource: Resource) -> bool:
    """Return whether the user may edit the resource's metadata and data."""
    return can_steward_resource(user, resource, CHANGE)


def can_decide_resource(user: AnyUser, resource: Resource) -> bool:
    """Return whether the user may decide share requests for the resource."""
    return can_steward_resource(user, resource, DECIDE)


# Object permissions answered by the policy backend, keyed by "app_label.codename".
RESOURCE_PREDICATES = {
    "catalog.view_resource": can_view_resource,
    f"catalog.{READ_DATA}": can_read_resource_data,
    f"catalog.{CHANGE}": can_change_resource,
    f"catalog.{DECIDE}": can_decide_resource,
}


# --- information systems ---------------------------------------------------------------------
#
# The registry (备案) says which systems exist, not what data they hold, so it is not classified:
# every signed-in user sees the systems in service; a department's own members also see its
# retired ones; the coordinator sees every system. What a system provides is always
# listed through the resource visibility filter above.


def can_manage_systems_of(user: AnyUser | None, department_id: int | None) -> bool:
    """Return whether the user may register and change the department's systems.

    ``None`` is the system itself (management commands).
    """
    if user is None:
        return True
    if not _active(user):
        return False
    assert isinstance(user, User)
    if user.has_role(Role.COORDINATOR):
        return True
    return (
        department_id is not None
        and user.department_id == department_id
        and user.has_role(Role.EDITOR, Role.DEPARTMENT_ADMIN)
    )


def systems_visible_q(user: AnyUser) -> Q:
    """Return the filter of information systems the user may see."""
    if not _active(user):
        return NOTHING
    assert isinstance(user, User)
    if user.has_role(Role.COORDINATOR):
        return Q()
    visible = Q(status=InformationSystem.Status.ACTIVE)
    if user.department_id is not None:
        visible |= Q(department_id=user.department_id)
    return visible
