"""Every read of the live exchange, through the policies: interfaces and their availability."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import CharField, Prefetch, QuerySet, Sum, prefetch_related_objects
from django.http import Http404

from accounts.models import User
from catalog import policies as catalog_policies
from catalog.models import DataItem, Resource
from datasets.selectors.access import Access, data_access
from kernel.compiled import CompiledQuery, Param

from . import policies
from .models import (
    LATENCY_BUCKETS,
    Interface,
    InterfaceDailyStat,
    InterfaceParameter,
    InterfaceProbe,
)


def interfaces_visible_to(*, user: User) -> QuerySet[Interface]:
    """Return the interfaces whose entry the user may see."""
    return Interface.objects.filter(policies.interfaces_visible_q(user))


def with_parameters(queryset: QuerySet[Interface]) -> QuerySet[Interface]:
    """Return the interfaces with their resource and parameters (and the parameters' items)."""
    return queryset.select_related("resource", "resource__provider").prefetch_related(
        Prefetch(
            "parameters",
            queryset=InterfaceParameter.objects.select_related("data_item").order_by(
                "direction", "id"
            ),
        )
    )


def interface_acted_on(*, pk: int) -> Interface:
    """Return an interface its actor just changed, for the answer to the action itself."""
    return with_parameters(Interface.objects.filter(pk=pk)).get()


def _parameters_for_call(build: Any) -> CompiledQuery[InterfaceParameter]:
    """Compile the lookup of an interface's parameters, each with its data item and, through
    the interface, the resource: the interface, its entry and its parameters in one query."""
    return CompiledQuery(
        lambda: build(
            InterfaceParameter.objects.select_related("interface__resource", "data_item")
        ).order_by("direction", "id")
    )


# A call's lookups, compiled once (kernel.compiled): on the broker's hot path, building the
# querysets cost more than the database took to answer them (docs/performance.md).
_CALL_BY_PK = _parameters_for_call(lambda q: q.filter(interface_id=Param("pk")))
_CALL_BY_PATH = _parameters_for_call(
    lambda q: q.filter(
        interface__resource__code=Param("code", CharField()),
        interface__name=Param("name", CharField()),
        interface__status=Interface.Status.PUBLISHED,
    )
)
# An interface without parameters (registration refuses one; kept for what a migration or the
# admin might leave behind).
_BARE_BY_PK = CompiledQuery(
    lambda: Interface.objects.select_related("resource").filter(pk=Param("pk"))
)
_BARE_BY_PATH = CompiledQuery(
    lambda: Interface.objects.select_related("resource").filter(
        resource__code=Param("code", CharField()),
        name=Param("name", CharField()),
        status=Interface.Status.PUBLISHED,
    )
)


def _assembled(parameters: list[InterfaceParameter], bare: list[Interface]) -> Interface | None:
    """Return the interface of its parameters' rows, the parameters in its prefetch cache."""
    if not parameters:
        found = bare[0] if bare else None
        if found is not None:
            prefetch_related_objects([found], "parameters")
        return found
    interface = parameters[0].interface
    for parameter in parameters:
        parameter.interface = interface
    cached = interface.parameters.all()
    cached._result_cache = parameters
    cached._prefetch_done = True  # type: ignore[attr-defined]
    interface._prefetched_objects_cache = {"parameters": cached}  # type: ignore[attr-defined]
    return interface


def _visible_for_call(user: User, found: Interface | None) -> Interface:
    """Return an interface looked up for a call if the user sees it (the predicate, no filter
    to build: a call's lookup is on the broker's hot path); else Http404."""
    if found is None or not policies.can_view_interface(user, found):
        raise Http404
    return found


def interface_get_for_call(*, user: User, pk: int) -> Interface:
    """Return the interface to call by id, with its parameters, if the user sees it, else Http404.

    Read from the primary (kernel.compiled), as the decision that follows is.
    """
    parameters = _CALL_BY_PK(pk=pk)
    return _visible_for_call(user, _assembled(parameters, [] if parameters else _BARE_BY_PK(pk=pk)))


def interface_get_by_path(*, user: User, code: str, name: str) -> Interface:
    """Return a published interface by its stable path (resource code, name), else Http404."""
    parameters = _CALL_BY_PATH(code=code, name=name)
    bare = [] if parameters else _BARE_BY_PATH(code=code, name=name)
    return _visible_for_call(user, _assembled(parameters, bare))


def interfaces_published_of(*, user: User, resource: Resource) -> list[Interface]:
    """Return the published interfaces of a resource the user sees (its share methods)."""
    return list(
        interfaces_visible_to(user=user)
        .filter(resource=resource, status=Interface.Status.PUBLISHED)
        .order_by("name")
    )


def interfaces_of_resource(*, user: User, resource: Resource) -> list[Interface]:
    """Return every interface of a resource the user sees, drafts too for its own department."""
    return list(interfaces_visible_to(user=user).filter(resource=resource).order_by("name", "id"))


def interface_access(*, user: User, interface: Interface) -> Access:
    """Return what the caller may read through the interface: the rows' decision; Http404 if none.

    The same decision as a read of the resource's rows (``datasets.selectors.access``):
    visibility, a grant in force (or the provider's own data, or an unconditional resource),
    the granted items within the caller's clearance, the items delivered in clear, the row scope.
    """
    return data_access(user=user, resource=interface.resource, stored=False)


def interface_test_access(*, user: User, interface: Interface) -> Access:
    """Return what the provider's editor reads in a test call: the resource's items within
    their clearance, in clear, every row (it is their department's own data)."""
    items = list(
        DataItem.objects.filter(
            catalog_policies.items_within_q(user.clearance), resource_id=interface.resource_id
        ).order_by("position", "id")
    )
    return Access(items, None, {item.pk for item in items}, "")


# --- availability -----------------------------------------------------------------------------

AVAILABILITY_DAYS = 30
_SUMS = {
    name: Sum(name)
    for name in (
        "calls",
        *InterfaceDailyStat.ERROR_FIELDS,
        *(f"lat_{i}" for i in range(len(LATENCY_BUCKETS) + 1)),
    )
}


@dataclass
class Figures:
    """Calls, errors by kind, availability and latency percentiles of a set of day rows."""

    calls: int
    errors: dict[str, int]
    p50: int | None
    p95: int | None

    @property
    def failed(self) -> int:
        return sum(self.errors.values())

    @property
    def availability(self) -> float | None:
        """The share of calls that got an answer, in percent (None without calls)."""
        if not self.calls:
            return None
        return round(100 * (self.calls - self.failed) / self.calls, 2)


def _percentile(histogram: list[int], share: float) -> int | None:
    """Return the upper bound (ms) of the bucket holding the share of the timed calls."""
    total = sum(histogram)
    if not total:
        return None
    wanted, seen = share * total, 0
    for index, count in enumerate(histogram):
        seen += count
        if seen >= wanted:
            return LATENCY_BUCKETS[index] if index < len(LATENCY_BUCKETS) else None
    return None


def figures_of(sums: dict[str, Any]) -> Figures:
    """Return the figures of summed day rows (``values().annotate(**_SUMS)`` or aggregate)."""
    histogram = [int(sums.get(f"lat_{i}") or 0) for i in range(len(LATENCY_BUCKETS) + 1)]
    return Figures(
        calls=int(sums.get("calls") or 0),
        errors={name: int(sums.get(name) or 0) for name in InterfaceDailyStat.ERROR_FIELDS},
        p50=_percentile(histogram, 0.5),
        p95=_percentile(histogram, 0.95),
    )


def interfaces_with_availability(*, user: User, resource: Resource) -> set[int]:
    """Return the ids of the resource's interfaces whose availability the user sees."""
    return set(
        Interface.objects.filter(
            policies.interfaces_availability_q(user), resource=resource
        ).values_list("pk", flat=True)
    )


def interface_get_for_availability(*, user: User, pk: int) -> Interface:
    """Return the interface if the user sees its availability (its editors, the coordinator)."""
    found = (
        Interface.objects.filter(policies.interfaces_availability_q(user), pk=pk)
        .select_related("resource", "resource__provider")
        .first()
    )
    if found is None:
        raise Http404
    return found


def interface_days(*, interface: Interface, today: date) -> list[tuple[date, Figures]]:
    """Return the interface's figures of each of the last days (every consumer together)."""
    since = today - timedelta(days=AVAILABILITY_DAYS - 1)
    rows = (
        InterfaceDailyStat.objects.filter(interface=interface, day__gte=since)
        .values("day")
        .annotate(**_SUMS)
        .order_by("-day")
    )
    return [(row["day"], figures_of(row)) for row in rows]


def interface_departments(*, interface: Interface, today: date) -> QuerySet[Any]:
    """Return the interface's summed figures per consumer department over the last days."""
    since = today - timedelta(days=AVAILABILITY_DAYS - 1)
    return (
        InterfaceDailyStat.objects.filter(interface=interface, day__gte=since)
        .values("department_id", "department__name")
        .annotate(**_SUMS)
        .order_by("-calls", "department_id")
    )


def interface_probes(*, interface: Interface, limit: int = 10) -> list[InterfaceProbe]:
    """Return the interface's latest health probes."""
    return list(interface.probes.order_by("-checked_at", "-id")[:limit])


def interfaces_city(*, user: User, today: date) -> QuerySet[Any]:
    """Return every interface the coordinator sees with its summed figures over the last days."""
    since = today - timedelta(days=AVAILABILITY_DAYS - 1)
    return (
        InterfaceDailyStat.objects.filter(
            interface__in=Interface.objects.filter(policies.interfaces_availability_q(user)),
            day__gte=since,
        )
        .values(
            "interface_id",
            "interface__name",
            "interface__resource__name",
            "interface__resource__provider__name",
        )
        .annotate(**_SUMS)
        .order_by("interface__resource__provider__name", "interface__name", "interface_id")
    )


def availability_by_provider(*, max_level: int, first: date, last: date) -> dict[int, Figures]:
    """Return the summed figures of each provider department's interfaces over the days (the
    scorecards' 接口可用率), of resources up to the level, in one query."""
    rows = (
        InterfaceDailyStat.objects.filter(
            interface__resource__level__lte=max_level, day__gte=first, day__lte=last
        )
        .values("interface__resource__provider_id")
        .annotate(**_SUMS)
        .order_by()
    )
    return {row["interface__resource__provider_id"]: figures_of(row) for row in rows}
