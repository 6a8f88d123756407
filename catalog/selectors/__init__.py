"""Every read of the catalog that a page, the API, an export or search uses.

Each selector takes ``user=`` and applies the access policy in SQL.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from kernel.compiled import CompiledQuery, Param

from .. import policies
from ..models import (
    CatalogImportJob,
    Category,
    CodeList,
    CodeListEntry,
    DataItem,
    InformationSystem,
    PersonalDataConfirmation,
    Resource,
    ResourceVersion,
    SynonymGroup,
    expired_q,
)
from ..versions import VersionDiff, snapshot_diff


def resources_visible_to(*, user: User) -> QuerySet[Resource]:
    """Return the resources whose existence the user may see."""
    return Resource.objects.filter(policies.resources_visible_q(user))


def resources_changeable_by(*, user: User) -> QuerySet[Resource]:
    """Return the resources the user may edit."""
    return Resource.objects.filter(policies.resources_stewarded_q(user, policies.CHANGE))


def resources_decidable_by(*, user: User) -> QuerySet[Resource]:
    """Return the resources whose share requests the user may decide."""
    return Resource.objects.filter(policies.resources_stewarded_q(user, policies.DECIDE))


def resource_get_visible(*, user: User, pk: int) -> Resource:
    """Return one resource the user may see, or raise ``Resource.DoesNotExist``.

    Callers turn the exception into a 404: what a user may not see does not exist for them.
    """
    return resources_visible_to(user=user).select_related("provider", "category").get(pk=pk)


_RESOURCE_BY_PK = CompiledQuery(lambda: Resource.objects.filter(pk=Param("pk")))


def resource_get_visible_bare(*, user: User, pk: int) -> Resource:
    """``resource_get_visible`` without the related rows, from one query compiled once.

    The visibility predicate gives the same answer as the filter (tests/accounts checks that
    they agree); the data API's key lookups start here.
    """
    found = _RESOURCE_BY_PK(pk=pk)
    if not found or not policies.can_view_resource(user, found[0]):
        raise Resource.DoesNotExist
    return found[0]


# --- maintenance: the editors' and the coordinator's lists ----------------------------------


def _stewarded_q(user: User, codename: str) -> Q:
    """``resources_stewarded_q``, asking first whether the user holds a delegation (one query).

    Without one the filter is the department's own resources, which an index on the provider
    serves, instead of a test of every resource of the city for a delegation.
    """
    return policies.resources_stewarded_q(
        user,
        codename,
        delegations=user.is_authenticated and policies.has_delegations(user, codename),
    )


def resources_of_my_department(*, user: User) -> QuerySet[Resource]:
    """Return the resources the user maintains: their department's (any state) and delegated ones.

    Drafts, returned drafts (with the coordinator's comment), submitted, published and retired
    resources are all listed; clearance still applies.
    """
    maintained = Q(provider_id=user.department_id) if user.department_id else policies.NOTHING
    # Most users hold no delegation, and without one what a user stewards is within their
    # department's own resources: only delegates pay for the OR, which no index can order.
    # Everyone else's list is one department's, read in its order from the index
    # ``resource_provider_updated`` a page at a time (an ``IN (every resource the user
    # stewards)`` made PostgreSQL read the whole catalog for it on each request).
    if user.is_authenticated and policies.has_delegations(user, policies.CHANGE):
        maintained |= policies.resources_stewarded_q(user, policies.CHANGE)
    return (
        resources_visible_to(user=user)
        .filter(maintained)
        .select_related("category", "provider")
        .order_by("-updated_at", "-id")
    )


def resources_expired(*, user: User) -> QuerySet[Resource]:
    """Return the resources the user maintains that are past their validity date, oldest first."""
    return resources_of_my_department(user=user).filter(expired_q()).order_by("valid_until", "id")


def resources_review_queue(*, user: User) -> QuerySet[Resource]:
    """Return the submitted resources awaiting the coordinator's review, oldest first."""
    if not user.is_authenticated or not policies.can_review_resources(user):
        return Resource.objects.none()
    return (
        resources_visible_to(user=user)
        .filter(policies.resources_reviewable_q(user), status=Resource.Status.SUBMITTED)
        .select_related("category", "provider")
        .order_by("updated_at", "id")
    )


def _count(queryset: QuerySet[Resource], limit: int | None) -> int:
    return queryset.order_by()[:limit].count() if limit else queryset.order_by().count()


def resources_review_count(*, user: User, limit: int | None = None) -> int:
    """Return how many resources await the user's review (the review queue's length).

    ``limit``: count no further (the navigation's badge says "99+" past 99).
    """
    if not user.is_authenticated or not policies.can_review_resources(user):
        return 0
    return _count(
        resources_visible_to(user=user).filter(
            policies.resources_reviewable_q(user), status=Resource.Status.SUBMITTED
        ),
        limit,
    )


def resources_returned(*, user: User) -> QuerySet[Resource]:
    """Return the drafts the user may change that came back from review, latest first."""
    return (
        Resource.objects.filter(_stewarded_q(user, policies.CHANGE))
        .filter(status=Resource.Status.DRAFT)
        .exclude(review_comment="")
        .select_related("provider")
        .order_by("-updated_at", "-id")
    )


def resources_returned_count(*, user: User, limit: int | None = None) -> int:
    """Return how many drafts the user may change came back from review with a comment.

    ``limit``: count no further (the navigation's badge says "99+" past 99).
    """
    return _count(resources_returned(user=user), limit)


def resource_get_changeable(*, user: User, pk: int) -> Resource:
    """Return a resource the user may see; raise ``PermissionDenied`` if they may not change it.

    Raises ``Resource.DoesNotExist`` first when the user may not even see it.
    """
    resource = resource_get_visible(user=user, pk=pk)
    if not policies.can_change_resource(user, resource):
        raise PermissionDenied(_("You may see this resource but not change it."))
    return resource


def resource_can_change(*, user: User, resource: Resource) -> bool:
    """Return whether the user may edit the resource (for showing actions)."""
    return policies.can_change_resource(user, resource)


def resource_related_by_codes(*, user: User, codes: Sequence[str]) -> dict[str, Resource]:
    """Return the visible resources among the given codes, keyed by code."""
    return {
        r.code: r
        for r in resources_visible_to(user=user).filter(code__in=list(codes))
        if r.code is not None
    }


# --- versions ----------------------------------------------------------------------------------


@dataclass
class VersionEntry:
    version: ResourceVersion
    diff: VersionDiff | None  # None for the first version the user may see

    @property
    def is_first(self) -> bool:
        return self.diff is None


def resource_versions(*, user: User, resource: Resource) -> list[VersionEntry]:
    """Return the resource's published versions the user may see, newest first, with diffs.

    A version whose level is above the user's clearance is absent, and each visible version
    is compared with the previous *visible* one, so no diff reveals a hidden version.
    """
    if not policies.can_view_resource(user, resource):
        return []
    versions = list(
        ResourceVersion.objects.filter(resource=resource, level__lte=user.clearance)
        .select_related("created_by")
        .order_by("number")
    )
    # SECURITY: a snapshot names its related resources by code; codes the user may not see
    # (above their clearance, unpublished) are dropped before anything is shown or compared.
    codes = {code for v in versions for code in v.snapshot.get("related", [])}
    visible = set(
        resources_visible_to(user=user).filter(code__in=codes).values_list("code", flat=True)
    )
    for version in versions:
        version.snapshot = {
            **version.snapshot,
            "related": [c for c in version.snapshot.get("related", []) if c in visible],
        }
    entries: list[VersionEntry] = []
    previous: ResourceVersion | None = None
    for version in versions:
        diff = snapshot_diff(previous.snapshot, version.snapshot) if previous else None
        entries.append(VersionEntry(version, diff))
        previous = version
    entries.reverse()
    return entries


# --- information systems -----------------------------------------------------------------------


def systems_visible_to(*, user: User) -> QuerySet[InformationSystem]:
    """Return the information systems the user may see (see ``policies.systems_visible_q``)."""
    return (
        InformationSystem.objects.filter(policies.systems_visible_q(user))
        .select_related("department")
        .order_by("department__region_code", "department__name", "name")
    )


def system_resource_counts(*, user: User, system_ids: Sequence[int]) -> dict[int, int]:
    """Return, per system, how many of the resources it provides the user may see.

    One grouped query for a whole page; hidden resources do not exist for the user, so they
    are not counted either.
    """
    rows = (
        resources_visible_to(user=user)
        .filter(source_system_id__in=list(system_ids))
        .values("source_system_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["source_system_id"]: row["n"] for row in rows}


def system_get_visible(*, user: User, pk: int) -> InformationSystem:
    """Return one visible system, or raise ``InformationSystem.DoesNotExist``."""
    return systems_visible_to(user=user).get(pk=pk)


def import_job_get(*, user: User, pk: int) -> CatalogImportJob:
    """Return the user's own catalog import job, or raise ``CatalogImportJob.DoesNotExist``.

    Another person's job does not exist for the user (``policies.can_see_import_job``).
    """
    job = CatalogImportJob.objects.get(pk=pk)
    if not policies.can_see_import_job(user, job):
        raise CatalogImportJob.DoesNotExist
    return job


def system_resources(*, user: User, system: InformationSystem) -> QuerySet[Resource]:
    """Return the resources the system provides that the user may see, in code order.

    Only the columns the system's page shows: on PostgreSQL the ``resource_system_order``
    index holds them with the visibility filter's, so a page and its count read that index
    alone, however many resources the system provides.
    """
    return (
        resources_visible_to(user=user)
        .filter(source_system=system)
        .only("pk", "code", "name", "level", "status")
        .order_by("code", "name", "pk")
    )


def system_can_manage(*, user: User, system: InformationSystem) -> bool:
    """Return whether the user may change the system's registration."""
    return policies.can_manage_systems_of(user, system.department_id)


@dataclass(frozen=True)
class SystemActions:
    """What the user may do with one system now (the buttons of its page)."""

    edit: bool
    file: bool
    decide: bool
    reconfirm: bool
    retire: bool


def system_actions(*, user: User, system: InformationSystem) -> SystemActions:
    """Return which filing steps the user may take on the system in its present state."""
    status = InformationSystem.Status
    manage = policies.can_manage_systems_of(user, system.department_id)
    department = policies.can_file_systems_of(user, system.department_id)
    return SystemActions(
        edit=manage and system.status in (status.DRAFT, status.RETURNED, status.APPROVED),
        file=department and system.status in (status.DRAFT, status.RETURNED),
        decide=system.status == status.FILED
        and policies.can_decide_system(user, system.filed_by_id),
        reconfirm=department and system.status == status.APPROVED,
        retire=manage and system.status == status.APPROVED,
    )


def systems_reconfirm_cutoff(now: datetime | None = None) -> datetime:
    """Return the instant before which an approved system's last confirmation is overdue."""
    days = int(getattr(settings, "PORTAL_SYSTEM_RECONFIRM_DAYS", 365))
    return (now or timezone.now()) - timedelta(days=days)


def systems_unconfirmed(now: datetime | None = None) -> QuerySet[InformationSystem]:
    """Return the approved systems not re-confirmed within the period (every department's).

    Callers restrict it: the zombie report (the coordinator) shows them all, a department's
    queue only its own (``systems_to_reconfirm``).
    """
    return (
        InformationSystem.objects.filter(status=InformationSystem.Status.APPROVED)
        .filter(Q(confirmed_at__isnull=True) | Q(confirmed_at__lt=systems_reconfirm_cutoff(now)))
        .select_related("department")
        .order_by("confirmed_at", "department__name", "name")
    )


def systems_to_reconfirm(*, user: User) -> QuerySet[InformationSystem]:
    """Return the user's department's approved systems whose yearly re-confirmation is due."""
    if user.department_id is None or not policies.can_file_systems_of(user, user.department_id):
        return InformationSystem.objects.none()
    return systems_unconfirmed().filter(department_id=user.department_id)


def systems_to_decide(*, user: User) -> QuerySet[InformationSystem]:
    """Return the filings awaiting the coordinator's decision (none for anyone else)."""
    if not policies.can_decide_systems(user):
        return InformationSystem.objects.none()
    return (
        InformationSystem.objects.filter(status=InformationSystem.Status.FILED)
        .exclude(filed_by=user)
        .select_related("department")
        .order_by("filed_at", "pk")
    )


def systems_returned(*, user: User) -> QuerySet[InformationSystem]:
    """Return the user's department's filings returned by the coordinator."""
    if user.department_id is None or not policies.can_file_systems_of(user, user.department_id):
        return InformationSystem.objects.none()
    return InformationSystem.objects.filter(
        department_id=user.department_id, status=InformationSystem.Status.RETURNED
    ).order_by("-decided_at", "pk")


def systems_for_provider(*, department_id: int) -> QuerySet[InformationSystem]:
    """Return the provider's approved systems (the choices of a resource's source system)."""
    return InformationSystem.objects.filter(
        department_id=department_id, status=InformationSystem.Status.APPROVED
    )


# --- export ----------------------------------------------------------------------------------


def category_names() -> dict[str, str]:
    """Return every category's name by code (the category tree is public reference data)."""
    return dict(Category.objects.values_list("code", "name"))


def data_items_visible_to(*, user: User) -> QuerySet[DataItem]:
    """Return the data items whose definitions the user may see: the items of visible resources.

    Above the user's clearance too (``policies.items_visible_q``); reading their values is the
    data rule's question.
    """
    if not (user.is_authenticated and user.is_active):
        return DataItem.objects.none()
    return DataItem.objects.filter(policies.items_visible_q(user))


# The columns of a data item as a resource's entry gives it in the API
# (``catalog.api.serializers.ResourceDataItemSerializer``): its code list's code and name and
# the reason of its personal-data confirmation joined, nothing else of either table.
ITEM_ROW_FIELDS = (
    "id",
    "resource_id",
    "name",
    "data_type",
    "length",
    "level",
    "kind",
    "is_key",
    "description",
    "code_list_id",
    "code_list__code",
    "code_list__name",
    "personal_confirmation__reason",
)


def data_item_rows_visible_to(
    *, user: User, resource_ids: Sequence[int]
) -> dict[int, list[dict[str, Any]]]:
    """Return, by resource id, the rows of those resources' items ``data_items_visible_to``
    gives, in each entry's order (position, then id): ``ITEM_ROW_FIELDS`` of each item.

    One query for a page of resources, and no model instance per item: the API's resource list
    with ``?expand=items`` gives about ten items for each of its 50 resources.
    """
    rows: dict[int, list[dict[str, Any]]] = {pk: [] for pk in resource_ids}
    if not rows:
        return rows
    items = (
        data_items_visible_to(user=user)
        .filter(resource_id__in=list(rows))
        .order_by("resource_id", "position", "id")
        .values(*ITEM_ROW_FIELDS)
    )
    for row in items:
        rows[row["resource_id"]].append(row)
    return rows


def data_item_count_visible_to(*, user: User) -> Coalesce:
    """Return, to annotate a queryset of resources, how many of each one's data items the user
    may see: the items ``data_items_visible_to`` gives (and a resource's detail lists), counted
    in SQL by one correlated subquery, so a page of resources costs one query whatever its size.
    """
    counted = (
        data_items_visible_to(user=user)
        .filter(resource=OuterRef("pk"))
        .order_by()
        .values("resource")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def categories_visible_to(*, user: User) -> QuerySet[Category]:
    """Return the category tree: the national classification is public to every signed-in user."""
    if not (user.is_authenticated and user.is_active):
        return Category.objects.none()
    return Category.objects.all()


def code_lists_visible_to(*, user: User) -> QuerySet[CodeList]:
    """Return the code lists with their entry counts: public standards, for every signed-in user."""
    if not policies.can_read_code_lists(user):
        return CodeList.objects.none()
    return CodeList.objects.annotate(entry_count=Count("entries"))


def code_list_entries(*, code_list: CodeList) -> QuerySet[CodeListEntry]:
    """Return a code list's entries in its order (the caller got the list from
    ``code_lists_visible_to``)."""
    return CodeListEntry.objects.filter(code_list=code_list).order_by("position", "id")


# --- the synonym dictionary (its screen; the search reads catalog.synonyms) --------------------


def synonym_groups(*, contains: str = "") -> QuerySet[SynonymGroup]:
    """Return the synonym groups with their terms, those holding ``contains`` if given."""
    groups = SynonymGroup.objects.all()
    if contains:
        groups = groups.filter(terms__term__contains=contains).distinct()
    return groups.prefetch_related("terms").order_by("-updated_at", "-id")


def synonym_group_get(*, pk: int) -> SynonymGroup:
    """Return one synonym group with its terms, or raise ``SynonymGroup.DoesNotExist``."""
    return SynonymGroup.objects.prefetch_related("terms").get(pk=pk)


def personal_confirmations(*, resource: Resource | None) -> dict[str, PersonalDataConfirmation]:
    """Return the resource's not-personal confirmations by item name (for its edit page)."""
    if resource is None or resource.pk is None:
        return {}
    confirmations = PersonalDataConfirmation.objects.filter(item__resource=resource).select_related(
        "item", "confirmed_by"
    )
    return {c.item.name: c for c in confirmations}


# --- activity (the change history, from the audit trail) --------------------------------------

from .activity import ActivityEntry as ActivityEntry  # noqa: E402
from .activity import resource_activity_entries as resource_activity_entries  # noqa: E402
from .activity import resource_activity_events as resource_activity_events  # noqa: E402
