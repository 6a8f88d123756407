"""Duplicate collection (数据打架 / 重复采集): one data item collected by several departments.

Computing the report groups every published data item of the city: it runs in the task worker
after audited writes and nightly (accountability.services ``duplicates_refresh_due``) and is
stored (``DuplicateReport``); the report page and the link suggestions read a page of stored
groups. With ``PORTAL_FIGURES_REFRESH_ON_READ`` (tests, a demo on SQLite) a page computes a
missing or outdated report itself.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, IntegerField, Max, Min, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Department, User
from catalog.models import DataItem, Resource
from sharing.models import Grant

from ..models import DuplicateGroupRow, DuplicateReport
from ..periods import clock
from ..policies import can_view_city_evaluation
from ..rules import normalise_item_name
from .facts import grants_in_force_q

BASE_CLASS = "1"  # 基础 class of the catalog's category tree
# The collecting departments a stored group keeps, in the proposal's order; the page names
# these and counts the rest (a common item is collected by most of the city's departments).
COLLECTORS_STORED = 50
# Variants of one name held by one department whose resources are checked one by one, per query.
_OVERLAP_CHUNK = 50


@dataclass
class Collector:
    """One department that collects the item: its resources and why it may be authoritative."""

    department_id: int
    resource_count: int = 0
    first_resource_id: int = 0
    names: set[str] = field(default_factory=set)
    in_base_class: bool = False
    grants: int = 0
    first_published: datetime | None = None

    def stored(self) -> list[Any]:
        """Return the collector as a stored group keeps it."""
        return [
            self.department_id,
            self.first_resource_id,
            self.resource_count,
            self.grants,
            self.in_base_class,
        ]


@dataclass
class DuplicateGroup:
    key: str
    data_type: str
    collectors: list[Collector]

    @property
    def authority(self) -> Collector:
        return self.collectors[0]

    @property
    def resource_count(self) -> int:
        return sum(c.resource_count for c in self.collectors)

    @property
    def department_count(self) -> int:
        return len(self.collectors)

    @property
    def names(self) -> list[str]:
        return sorted({n for c in self.collectors for n in c.names})


def _authority_key(collector: Collector, names: dict[int, str]) -> tuple:
    # The proposal rule, in order: a resource in the 基础 class (the base registers of people,
    # legal entities, ...), then the most grants in force on its resources (others already
    # rely on it), then the earliest publication, then the name for a stable order.
    published = collector.first_published or timezone.now()
    return (
        not collector.in_base_class,
        -collector.grants,
        published,
        names.get(collector.department_id, ""),
        collector.department_id,
    )


def duplicate_groups(*, user: User, min_departments: int = 2) -> list[DuplicateGroup]:
    """Compute the report as the coordinator sees it (the whole city: a worker's job)."""
    if not can_view_city_evaluation(user):
        raise PermissionDenied(
            _("Only the platform coordinator sees the duplicate collection report.")
        )
    return duplicate_groups_compute(max_level=user.clearance, min_departments=min_departments)


def duplicate_groups_compute(
    *, max_level: int, now: datetime | None = None, min_departments: int = 2
) -> list[DuplicateGroup]:
    """Return data items published by several departments, grouped by normalised name and type.

    The database groups the published items within the clearance by name, type and
    department, and the grants in force the same way (two queries whose answers grow with the
    vocabulary times the departments, not with the items). Names are then normalised in Python
    (``rules.normalise_item_name``: spaces and punctuation dropped, the synonym table applied,
    which SQL cannot do portably); where one department holds several variants of a name, its
    resources holding two of them are counted once (a query per ``_OVERLAP_CHUNK`` variants).
    Each resource has at most one item of a name (``data_item_name_unique``), so counting items
    of a name counts resources.
    """
    now = now or clock()
    published = Q(resource__status=Resource.Status.PUBLISHED, resource__level__lte=max_level)
    rows = (
        DataItem.objects.filter(published, level__lte=max_level)
        .values("name", "data_type", "resource__provider_id")
        .annotate(
            resources=Count("pk"),
            first_resource=Min("resource_id"),
            first_published=Min("resource__published_at"),
            base=Max(
                Case(
                    When(resource__category__code__startswith=BASE_CLASS, then=Value(1)),
                    default=Value(0),
                    output_field=IntegerField(),
                )
            ),
        )
        .order_by()
    )
    keys: dict[str, str] = {}
    groups: dict[tuple[str, str], dict[int, Collector]] = defaultdict(dict)
    for row in rows.iterator(chunk_size=10_000):
        name = row["name"]
        key = keys.get(name)
        if key is None:
            key = keys[name] = normalise_item_name(name)
        provider = row["resource__provider_id"]
        collector = groups[(key, row["data_type"])].get(provider)
        if collector is None:
            collector = groups[(key, row["data_type"])][provider] = Collector(provider)
            collector.first_resource_id = row["first_resource"]
        collector.resource_count += row["resources"]
        collector.first_resource_id = min(collector.first_resource_id, row["first_resource"])
        collector.names.add(name)
        collector.in_base_class |= bool(row["base"])
        published_at = row["first_published"]
        if published_at and (
            collector.first_published is None or published_at < collector.first_published
        ):
            collector.first_published = published_at
    shared = {
        group: by_department
        for group, by_department in groups.items()
        if len(by_department) >= min_departments
    }
    # Grants in force on the resources holding each name, by department: a grant is joined to
    # its resource's items, and a resource holds one item of a name.
    grant_rows = (
        Grant.objects.filter(
            grants_in_force_q(now),
            resource__status=Resource.Status.PUBLISHED,
            resource__level__lte=max_level,
            resource__items__level__lte=max_level,
        )
        .values("resource__items__name", "resource__items__data_type", "resource__provider_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in grant_rows.iterator(chunk_size=10_000):
        name = row["resource__items__name"]
        key = keys.get(name) or normalise_item_name(name)
        collector = shared.get((key, row["resource__items__data_type"]), {}).get(
            row["resource__provider_id"]
        )
        if collector is not None:
            collector.grants += row["n"]
    _count_overlaps_once(shared, max_level=max_level, now=now)
    departments = dict(
        Department.objects.filter(
            pk__in={pk for by_department in shared.values() for pk in by_department}
        ).values_list("pk", "name")
    )
    result = []
    for (key, data_type), by_department in shared.items():
        collectors = sorted(by_department.values(), key=lambda c: _authority_key(c, departments))
        result.append(DuplicateGroup(key, data_type, collectors))
    result.sort(key=lambda g: (-g.department_count, -g.resource_count, g.key, g.data_type))
    return result


def _count_overlaps_once(
    groups: dict[tuple[str, str], dict[int, Collector]], *, max_level: int, now: datetime
) -> None:
    """Count once a resource holding two variants of a group's name (身份证号 and 公民身份号码).

    Only departments holding several variants of a name are looked at: their resources that
    hold more than one are subtracted, with their grants, from the sums over names.
    """
    overlaps = [
        (key, data_type, department_id, collector)
        for (key, data_type), by_department in groups.items()
        for department_id, collector in by_department.items()
        if len(collector.names) > 1
    ]
    for start in range(0, len(overlaps), _OVERLAP_CHUNK):
        chunk = overlaps[start : start + _OVERLAP_CHUNK]
        within = Q()
        for _key, data_type, department_id, collector in chunk:
            within |= Q(
                resource__provider_id=department_id,
                data_type=data_type,
                name__in=sorted(collector.names),
            )
        held: dict[tuple[int, int, str], list[str]] = defaultdict(list)
        for resource_id, provider_id, data_type, name in DataItem.objects.filter(
            within,
            level__lte=max_level,
            resource__status=Resource.Status.PUBLISHED,
            resource__level__lte=max_level,
        ).values_list("resource_id", "resource__provider_id", "data_type", "name"):
            held[(resource_id, provider_id, data_type)].append(name)
        by_group = {(key, data_type, pk): c for key, data_type, pk, c in chunk}
        repeated: dict[int, list[tuple[Collector, int]]] = defaultdict(list)
        for (resource_id, provider_id, data_type), names in held.items():
            by_key: dict[str, int] = defaultdict(int)
            for name in names:
                by_key[normalise_item_name(name)] += 1
            for key, count in by_key.items():
                found = by_group.get((key, data_type, provider_id))
                if found is not None and count > 1:
                    found.resource_count -= count - 1
                    repeated[resource_id].append((found, count - 1))
        if repeated:
            for resource_id, n in (
                Grant.objects.filter(grants_in_force_q(now), resource_id__in=list(repeated))
                .values("resource_id")
                .annotate(n=Count("pk"))
                .values_list("resource_id", "n")
                .order_by()
            ):
                for collector, extra in repeated[resource_id]:
                    collector.grants -= extra * n


# --- the stored report ---------------------------------------------------------------------


def report_is_current(report: DuplicateReport, now: datetime | None = None) -> bool:
    """Return whether no audited write happened since the report and it is of the same day."""
    from .figures import audit_head  # figures -> scorecards -> links -> here

    now = now or clock()
    return report.watermark == audit_head() and timezone.localdate(
        report.computed_at
    ) == timezone.localdate(now)


def stored_report(*, user: User) -> DuplicateReport | None:
    """Return the stored report at the coordinator's clearance, or None while it is computed.

    With refresh on read a missing or outdated report is computed here; otherwise a missing one
    queues the refresh that computes it (every active coordinator's clearance is computed).
    """
    from ..services import duplicates_refresh, figures_schedule_refresh
    from .figures import refresh_on_read

    if not can_view_city_evaluation(user):
        raise PermissionDenied(
            _("Only the platform coordinator sees the duplicate collection report.")
        )
    report = DuplicateReport.objects.filter(max_level=user.clearance).first()
    if refresh_on_read() and (report is None or not report_is_current(report)):
        return duplicates_refresh(max_level=user.clearance)
    if report is None:
        figures_schedule_refresh()
    return report


@dataclass
class StoredCollector:
    department_id: int
    first_resource_id: int
    resource_count: int
    grants: int
    in_base_class: bool
    department: Department | None = None


@dataclass
class StoredGroup:
    """A stored group as the page shows it: the departments named, the rest counted."""

    row: DuplicateGroupRow
    collectors: list[StoredCollector]

    @property
    def authority(self) -> StoredCollector:
        return self.collectors[0]

    @property
    def others(self) -> list[StoredCollector]:
        return self.collectors[1:]

    @property
    def unnamed(self) -> int:
        """The collecting departments beyond those stored."""
        return self.row.department_count - len(self.collectors)


def report_groups(report: DuplicateReport) -> Any:
    """Return the report's groups in the proposal's order, as a queryset to paginate."""
    return DuplicateGroupRow.objects.filter(report=report).order_by("position")


def with_departments(rows: Iterable[DuplicateGroupRow]) -> list[StoredGroup]:
    """Return a page of stored groups with their departments, read in one query."""
    groups = [
        StoredGroup(row, [StoredCollector(*stored) for stored in row.collectors]) for row in rows
    ]
    departments = Department.objects.in_bulk(
        {c.department_id for group in groups for c in group.collectors}
    )
    for group in groups:
        # A department deleted since the report was computed is left out until the next one.
        group.collectors = [c for c in group.collectors if c.department_id in departments]
        for collector in group.collectors:
            collector.department = departments[collector.department_id]
    return [group for group in groups if group.collectors]
