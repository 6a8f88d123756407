"""Duplicate collection (数据打架 / 重复采集): one data item collected by several departments."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Department, User
from catalog.models import DataItem, Resource
from sharing.models import Grant

from ..policies import can_view_city_evaluation
from ..rules import normalise_item_name
from .facts import grants_in_force_q

BASE_CLASS = "1"  # 基础 class of the catalog's category tree


@dataclass
class Collector:
    """One department that collects the item: its resources and why it may be authoritative."""

    department: Department
    resource_ids: set[int] = field(default_factory=set)
    names: set[str] = field(default_factory=set)
    in_base_class: bool = False
    grants: int = 0
    first_published: datetime | None = None


@dataclass
class DuplicateGroup:
    key: str
    data_type: str
    collectors: list[Collector]
    authority: Collector

    @property
    def resource_count(self) -> int:
        return sum(len(c.resource_ids) for c in self.collectors)

    @property
    def department_count(self) -> int:
        return len(self.collectors)

    @property
    def names(self) -> list[str]:
        return sorted({n for c in self.collectors for n in c.names})


def _authority_key(collector: Collector) -> tuple:
    # The proposal rule, in order: a resource in the 基础 class (the base registers of people,
    # legal entities, ...), then the most grants in force on its resources (others already
    # rely on it), then the earliest publication, then the name for a stable order.
    published = collector.first_published or timezone.now()
    return (not collector.in_base_class, -collector.grants, published, collector.department.name)


def duplicate_groups(*, user: User, min_departments: int = 2) -> list[DuplicateGroup]:
    """Return data items published by several departments, grouped by normalised name and type.

    Two queries: the published items within the viewer's clearance, and the grants in force per
    resource. Names are normalised in Python (``rules.normalise_item_name``): spaces and
    punctuation dropped and the synonym table applied, which SQL cannot do portably.
    """
    if not can_view_city_evaluation(user):
        raise PermissionDenied(
            _("Only the platform coordinator sees the duplicate collection report.")
        )
    items = DataItem.objects.filter(
        level__lte=user.clearance,
        resource__level__lte=user.clearance,
        resource__status=Resource.Status.PUBLISHED,
    ).values(
        "name",
        "data_type",
        "resource_id",
        "resource__provider_id",
        "resource__category__code",
        "resource__published_at",
    )
    groups: dict[tuple[str, str], dict[int, Collector]] = defaultdict(dict)
    rows = list(items)
    departments = Department.objects.in_bulk({row["resource__provider_id"] for row in rows})
    # The same resources as a join, not an id list: at city scale the list of every published
    # resource passes the database driver's 65,535-parameter limit.
    grant_counts = dict(
        Grant.objects.filter(
            grants_in_force_q(timezone.now()),
            resource__status=Resource.Status.PUBLISHED,
            resource__level__lte=user.clearance,
        )
        .values("resource_id")
        .annotate(n=Count("pk"))
        .values_list("resource_id", "n")
    )
    for row in rows:
        key = (normalise_item_name(row["name"]), row["data_type"])
        provider = row["resource__provider_id"]
        collector = groups[key].get(provider)
        if collector is None:
            collector = groups[key][provider] = Collector(department=departments[provider])
        if row["resource_id"] not in collector.resource_ids:
            collector.resource_ids.add(row["resource_id"])
            collector.grants += grant_counts.get(row["resource_id"], 0)
        collector.names.add(row["name"])
        collector.in_base_class |= row["resource__category__code"].startswith(BASE_CLASS)
        published = row["resource__published_at"]
        if published and (
            collector.first_published is None or published < collector.first_published
        ):
            collector.first_published = published
    result = []
    for (name, data_type), by_department in groups.items():
        if len(by_department) < min_departments:
            continue
        collectors = sorted(by_department.values(), key=_authority_key)
        result.append(DuplicateGroup(name, data_type, collectors, collectors[0]))
    result.sort(key=lambda g: (-g.department_count, -g.resource_count, g.key))
    return result
