"""Who may see, read and change a resource, and who keeps the catalog: predicates and filters.

Sections 1–3 answer the three questions of the access model (see the package's docstring), each
as a predicate and as a queryset filter; the per-object data-read decision is in ``data``.
Section 4 says who does what in the catalog's upkeep: registering, reviewing, retiring,
importing and delegating resources.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Q, QuerySet

from accounts.models import Role, User

from ..models import (
    CatalogScope,
    Resource,
    ResourceUserObjectPermission,
)

READ_DATA = "read_resource_data"
CHANGE = "change_resource"
DECIDE = "decide_resource"

NOTHING = Q(pk__in=[])

AnyUser = User | AnonymousUser


def _active(user: AnyUser) -> bool:
    return bool(user.is_authenticated and user.is_active)


# --- 1. metadata visibility ----------------------------------------------------------------
#
# Two independent conditions, both needed:
#
# - the status rule: published, or the user's department's own (drafts, entries under review or
#   retired), or, for the coordinator, under review or retired;
# - the scope rule (目录共享范围, ``Resource.catalog_scope``): the provider department always
#   sees its own entries; otherwise ``departments`` is seen by every user of a department,
#   ``cleared`` by users whose clearance covers the resource's level, and ``provider`` by the
#   coordinator when their clearance covers it. Each scope sees no more than the one before it.
#
# The level protects the data (question 2), not the entry: under ``departments`` an L1 user
# learns that an L4 resource exists, with its items' names and levels, and reads none of it.


def _lookups(prefix: str) -> Any:
    def q(**lookups: Any) -> Q:
        return Q(**{f"{prefix}{name}": value for name, value in lookups.items()})

    return q


def _own_q(user: User, prefix: str, own: bool) -> Q:
    if not own or user.department_id is None:
        return NOTHING
    return _lookups(prefix)(provider_id=user.department_id)


def _scope_q(user: User, prefix: str = "", *, own: bool = True) -> Q:
    """Return the scope rule alone: the entries whose catalog scope admits the user.

    ``own=False`` leaves out the rule's first clause (the department's own entries).
    """
    q = _lookups(prefix)
    scopes = _own_q(user, prefix, own) | q(
        catalog_scope=CatalogScope.CLEARED, level__lte=user.clearance
    )
    if user.department_id is not None:
        scopes |= q(catalog_scope=CatalogScope.DEPARTMENTS)
    if user.has_role(Role.COORDINATOR):
        scopes |= q(catalog_scope=CatalogScope.PROVIDER, level__lte=user.clearance)
    return scopes


def _visible_q(user: User, prefix: str = "", *, own: bool = True) -> Q:
    """Return the visibility filter on resources, or on rows reaching them through ``prefix``.

    ``own=False`` leaves out the department's own entries from both rules: what remains is
    the part every user of the same clearance and roles sees (``resources_shared_q``).
    """
    q = _lookups(prefix)
    own_entries = _own_q(user, prefix, own)
    states = q(status=Resource.Status.PUBLISHED) | own_entries
    if user.has_role(Role.COORDINATOR):
        states |= q(status__in=[Resource.Status.SUBMITTED, Resource.Status.RETIRED])
    return states & _scope_q(user, prefix, own=own)


def resources_in_scope_q(user: AnyUser, *, through: str) -> Q:
    """Return the filter of rows (requests' lines, grants) whose resource's scope admits the user.

    The scope rule without the status rule: a request or a grant stays visible to its parties
    when its resource is retired, as it did when the rule was the clearance.
    """
    if not _active(user):
        return NOTHING
    assert isinstance(user, User)
    return _scope_q(user, f"{through}__")


def resource_in_scope(user: AnyUser, resource: Resource) -> bool:
    """Return whether the resource's catalog scope admits the user (``resources_in_scope_q``)."""
    if not _active(user):
        return False
    assert isinstance(user, User)
    return _scope_admits(user, resource)


def resources_visible_q(user: AnyUser) -> Q:
    """Return the filter of resources whose existence (catalog entry) the user may see.

    The one rule of question 1: every list, count, facet, suggestion, export and API list of
    resources starts from it (``catalog.selectors.resources_visible_to``).
    """
    if not _active(user):
        return NOTHING
    assert isinstance(user, User)
    return _visible_q(user)


def resources_visible_through_q(user: AnyUser, *, through: str) -> Q:
    """Return the filter of rows (a resource's interfaces) whose resource the user may see."""
    if not _active(user):
        return NOTHING
    assert isinstance(user, User)
    return _visible_q(user, f"{through}__")


def resources_shared_q(user: AnyUser) -> Q:
    """Return the part of ``resources_visible_q`` that does not depend on the department.

    Both rules admit the department's own entries whatever else they say, so the visible
    resources are exactly these together with the department's own entries::

        visible(user) = shared(user) | provider = user's department

    Users with equal ``resources_shared_key`` see the same shared part, so counts over a
    whole city can be made once for all of them (the catalog's facets).
    """
    if not _active(user):
        return NOTHING
    assert isinstance(user, User)
    return _visible_q(user, own=False)


def resources_shared_key(user: User) -> tuple[Any, ...]:
    """Return everything ``resources_shared_q`` decides by (as ``resources_visible_key``)."""
    return (
        user.is_active,
        user.clearance,
        user.department_id is not None,
        user.has_role(Role.COORDINATOR),
    )


def resources_visible_key(user: User) -> tuple[Any, ...]:
    """Return everything ``resources_visible_q`` decides by, for keys of per-user caches.

    Users with equal keys see the same resources, so they may share cached counts; change this
    together with the filter.
    """
    return (user.is_active, user.clearance, user.department_id, user.has_role(Role.COORDINATOR))


def _scope_admits(user: User, resource: Resource) -> bool:
    if user.department_id is not None and resource.provider_id == user.department_id:
        return True
    scope = resource.catalog_scope
    if scope == CatalogScope.DEPARTMENTS:
        return user.department_id is not None
    if scope == CatalogScope.CLEARED:
        return resource.level <= user.clearance
    return user.has_role(Role.COORDINATOR) and resource.level <= user.clearance


def can_view_resource(user: AnyUser, resource: Resource) -> bool:
    """Return whether the user may see that the resource exists (its catalog entry)."""
    if not _active(user):
        return False
    assert isinstance(user, User)
    if not _scope_admits(user, resource):
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


def items_within_q(clearance: Any, grant_id: Any = None) -> Q:
    """Return the filter of data items within a clearance and, given a grant, granted by it.

    The arguments are values, or ``Param`` placeholders for a compiled query.
    """
    within_clearance = Q(level__lte=clearance)
    return within_clearance if grant_id is None else within_clearance & Q(grants__id=grant_id)


def items_visible_q(user: AnyUser) -> Q:
    """Return the filter of the data items whose definitions the user may see.

    The items of the resources the user may see, whatever their level: an item's name, type and
    level are the entry's metadata (so a department can ask for it). Its values are data, read
    only within clearance (``items_within_q``, applied by ``sharing.policies.reading``).
    """
    if not _active(user):
        return NOTHING
    assert isinstance(user, User)
    return _visible_q(user, "resource__")


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


# Where ``has_delegations`` keeps its answer on the user instance (like ``User.roles``).
_DELEGATED = "_delegated_codenames"


def _delegated_codenames(user: User) -> frozenset[str]:
    """Return which of CHANGE and DECIDE any resource is delegated to the user for.

    One query for both (the codenames of the user's delegations, read from their user index;
    most users hold none, a delegate a few), kept on the user instance for its life: a
    request's, its user being loaded for it.
    """
    kept = user.__dict__.get(_DELEGATED)
    if kept is None:
        kept = frozenset(
            ResourceUserObjectPermission.objects.filter(
                user_id=user.pk,
                permission__codename__in=(CHANGE, DECIDE),
                permission__content_type__app_label="catalog",
            )
            .order_by()
            .values_list("permission__codename", flat=True)
            .distinct()
        )
        user.__dict__[_DELEGATED] = kept
    return kept


def has_delegations(user: User, codename: str, *more: str) -> bool:
    """Return whether any resource is delegated to the user for CHANGE or DECIDE.

    With several codenames, whether any resource is delegated for any of them. Asked of the
    database once per user instance, for both codenames (``_delegated_codenames``): a page
    whose filters ask (the request policy of a list, the navigation's badges, My work) asks
    once. ``resource_delegate`` forgets the answer of the user it changes
    (``forget_delegations``).
    """
    asked = {codename, *more}
    assert asked <= {CHANGE, DECIDE}, asked
    return not asked.isdisjoint(_delegated_codenames(user))


def forget_delegations(user: User) -> None:
    """Drop the answer ``has_delegations`` kept on the user instance (after a delegation)."""
    user.__dict__.pop(_DELEGATED, None)


def _has_user_permission(user: User, resource: Resource, codename: str) -> bool:
    return _delegations(user, codename).filter(content_object=resource).exists()


_ROLE_FOR = {CHANGE: Role.EDITOR, DECIDE: Role.APPROVER}


def resources_stewarded_q(
    user: AnyUser, codename: str, *, through: str = "", delegations: bool = True
) -> Q:
    """Return the filter of resources the user may change (CHANGE) or decide on (DECIDE).

    ``through`` names a foreign key to the resource when the filter applies to another model
    (``"resource"`` on request lines): the condition then reads the joined resource row
    directly, where ``resource__in=<stewarded resources>`` would make PostgreSQL compute every
    stewarded resource of the city before looking at one line.

    ``delegations=False`` is for a caller that asked ``has_delegations`` and was told the user
    holds none: the delegation branch, which would match nothing, is left out, so the filter is
    the department's own resources and an index on the provider serves it (an OR with the
    delegation test makes PostgreSQL read every resource of the city).
    """
    if not _active(user):
        return NOTHING
    assert isinstance(user, User)
    prefix = f"{through}__" if through else ""
    by_delegation: Q = (
        Q(_user_permission(user, codename, f"{through}_id" if through else "pk"))
        if delegations
        else NOTHING
    )
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


# --- 4. keeping the catalog -----------------------------------------------------------------
#
# The role tests below take signed-in users (the pages are behind sign-in); services ask them
# through ``kernel.policies.require``, which lets the system actor (``None``) through.


def clearance_covers(user: User, level: int) -> bool:
    """Return whether the user's clearance covers a classification level.

    Nobody files a resource they could not see afterwards, nor steward one above it.
    """
    return level <= user.clearance


def is_catalog_editor(user: User) -> bool:
    """Return whether the user holds the catalog editor role (in whatever department)."""
    return user.has_role(Role.EDITOR)


def is_catalog_editor_of(user: User, department_id: int | None) -> bool:
    """Return whether the user is a catalog editor of the department: they register its resources."""
    return (
        department_id is not None
        and user.department_id == department_id
        and user.has_role(Role.EDITOR)
    )


def can_list_maintained_resources(user: User) -> bool:
    """Return whether the user has a list of resources to maintain.

    Catalog editors, and anyone a resource within their clearance is delegated to for change.
    """
    if is_catalog_editor(user):
        return True
    return Resource.objects.filter(resources_stewarded_q(user, CHANGE)).exists()


def _is_coordinator(user: User) -> bool:
    return user.has_role(Role.COORDINATOR)


def can_manage_categories(user: User) -> bool:
    """Return whether the user may add to the category tree: the platform coordinator."""
    return _is_coordinator(user)


def can_manage_synonyms(user: User) -> bool:
    """Return whether the user keeps the search's synonym dictionary: the platform coordinator."""
    return _is_coordinator(user)


def can_manage_code_lists(user: User) -> bool:
    """Return whether the user keeps the code lists (代码集): the platform coordinator (and the
    superuser, who holds every permission of the admin site anyway)."""
    return bool(user.is_authenticated and user.is_active) and (
        _is_coordinator(user) or bool(user.is_superuser)
    )


def can_read_code_lists(user: User) -> bool:
    """Return whether the user may read the code lists: public standards, so every signed-in,
    active account."""
    return bool(user.is_authenticated and user.is_active)


def can_review_resources(user: User) -> bool:
    """Return whether the user reviews submitted resources (publish or return): the coordinator."""
    return _is_coordinator(user)


def resources_reviewable_q(user: User) -> Q:
    """Return the filter of the visible resources the reviewer may publish or return.

    Those within clearance (``can_publish_resource``, ``can_return_resource``): the review
    queue lists only what its reader can act on, although they may see more of the catalog.
    """
    return Q(level__lte=user.clearance)


def can_publish_resource(user: User, resource: Resource) -> bool:
    """Return whether the user may publish the resource: a reviewer whose clearance covers it."""
    return can_review_resources(user) and clearance_covers(user, resource.level)


def _coordinator_keeps(user: User, resource: Resource) -> bool:
    """Return whether the coordinator acts on the entry: they see it and are cleared for it.

    Seeing an entry no longer implies clearance for its level (catalog scope ``departments``);
    the coordinator's actions on it (review, retire, scope) keep needing both, as before.
    """
    return (
        _is_coordinator(user)
        and clearance_covers(user, resource.level)
        and can_view_resource(user, resource)
    )


def can_see_activity_actors(user: AnyUser, resource: Resource) -> bool:
    """Return whether the user sees who (the account) made each change in a resource's activity.

    The provider department's own users and the platform coordinator; everyone else who sees
    the entry learns only which department acted, never the staff member's name.
    """
    if not isinstance(user, User) or not _active(user) or not can_view_resource(user, resource):
        return False
    return user.department_id == resource.provider_id or _is_coordinator(user)


def activity_within_q(user: AnyUser) -> Q:
    """Filter (audit events of one resource) to the activity entries the user's clearance admits.

    An edit of the entry is shown only if the version it made is within the user's clearance,
    as in the version history (an older, more sensitive version must not show through its
    diff); status changes, scope changes and data versions name no hidden content.
    """
    if not isinstance(user, User) or not _active(user):
        return NOTHING
    return ~Q(action="resource.update") | Q(level__lte=user.clearance)


def can_return_resource(user: User, resource: Resource) -> bool:
    """Return whether the user may return a submitted resource to its editors."""
    return _coordinator_keeps(user, resource)


def can_retire_resource(user: User, resource: Resource) -> bool:
    """Return whether the user may withdraw (下架) the resource.

    Those who may change it, and the coordinator for any resource they see and are cleared for.
    """
    return can_change_resource(user, resource) or _coordinator_keeps(user, resource)


def can_override_catalog_scope(user: User) -> bool:
    """Return whether the user may override any visible entry's catalog scope: the coordinator."""
    return _is_coordinator(user)


def can_set_catalog_scope(user: User, resource: Resource) -> bool:
    """Return whether the user may set who sees the resource's entry (its catalog scope).

    Those who may change the resource (its editors choose the scope with the rest of its
    metadata), and the coordinator, who may override it on any resource they see and are
    cleared for.
    """
    return _coordinator_keeps(user, resource) or can_change_resource(user, resource)


def can_delegate_stewardship(user: User, resource: Resource) -> bool:
    """Return whether the user may delegate (or take back) stewardship of the resource.

    The provider department's administrator.
    """
    return user.department_id == resource.provider_id and user.has_role(Role.DEPARTMENT_ADMIN)


def can_import_resources(user: User) -> bool:
    """Return whether the user may import spreadsheets of resources.

    The coordinator (for any department), and catalog editors of a department (for it).
    """
    return _is_coordinator(user) or (user.department_id is not None and user.has_role(Role.EDITOR))


def can_import_resources_for(user: User, department_id: int | None) -> bool:
    """Return whether the user may import resources provided by the department."""
    return _is_coordinator(user) or is_catalog_editor_of(user, department_id)


def can_see_import_job(user: User, job: Any) -> bool:
    """Return whether the user may see (and confirm) a catalog import job: only its uploader.

    A workbook can name any department's resources and their items: nobody else reads the
    preview, not even the coordinator, and an uploader who lost the right to import no longer
    sees it either.
    """
    return (
        bool(user.is_authenticated) and job.created_by_id == user.pk and can_import_resources(user)
    )


def can_import_published(user: User) -> bool:
    """Return whether the user may import resources as published at once, skipping review.

    Only the reviewer of the catalog, the coordinator.
    """
    return can_review_resources(user)
