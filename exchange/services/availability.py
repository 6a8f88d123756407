"""Availability figures of the interfaces, counted as calls happen and by a periodic probe.

``call_counted`` adds one call to the day's row of its interface and consumer department with
``F()`` updates (one UPDATE, compiled once: every call makes it; an INSERT the first time of
the day), so the figures never need a scan of calls. ``interfaces_probe`` asks every published interface once (the task worker runs
it periodically) and records up or down; a run of failures tells the provider's editors.
"""

from __future__ import annotations

import bisect
from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import DateField, F, IntegerField
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from audit.services import record
from kernel.compiled import CompiledUpdate, Param
from sharing.models import Notification
from sharing.selectors import people_with_role
from sharing.services.notifications import notify

from ..broker import Kind, Outcome, send
from ..models import LATENCY_BUCKETS, Interface, InterfaceDailyStat, InterfaceProbe
from ..signals import interface_down, interface_up

ERROR_FIELD = {
    Kind.TIMEOUT: "timeouts",
    Kind.CONNECT: "connect_errors",
    Kind.STATUS: "status_errors",
    Kind.BAD_RESPONSE: "bad_responses",
    Kind.CIRCUIT_OPEN: "circuit_open",
    Kind.TARGET_REFUSED: "target_refused",
}


def bucket_of(latency_ms: float) -> int:
    """Return the index of the latency bucket of a call (0 … len(LATENCY_BUCKETS))."""
    return bisect.bisect_left(LATENCY_BUCKETS, latency_ms)


# Every column a call may add to, each by a placeholder (0 or 1): one statement for every kind
# of call, compiled once (kernel.compiled), for a department and for callers without one.
_COUNTED = (
    "calls",
    *InterfaceDailyStat.ERROR_FIELDS,
    *(f"lat_{i}" for i in range(len(LATENCY_BUCKETS) + 1)),
)


def _counting(department: bool) -> Any:
    rows = InterfaceDailyStat.objects.filter(
        interface_id=Param("interface"), day=Param("day", DateField())
    )
    rows = (
        rows.filter(department_id=Param("department"))
        if department
        else rows.filter(department__isnull=True)
    )
    return rows, {name: F(name) + Param(name, IntegerField()) for name in _COUNTED}


_COUNT = CompiledUpdate(lambda: _counting(True))
_COUNT_NO_DEPARTMENT = CompiledUpdate(lambda: _counting(False))


def call_counted(
    *,
    interface: Interface,
    department_id: int | None,
    outcome: Outcome,
    now: datetime | None = None,
) -> None:
    """Add one call to the day's figures of the interface and the consumer department."""
    day: date = timezone.localdate(now or timezone.now())
    added: dict[str, Any] = dict.fromkeys(_COUNTED, 0)
    added["calls"] = 1
    error = ERROR_FIELD.get(outcome.kind)
    if error:
        added[error] = 1
    if outcome.kind != Kind.CIRCUIT_OPEN:  # a refused call took no time upstream
        added[f"lat_{bucket_of(outcome.latency_ms)}"] = 1

    def update() -> int:
        if department_id is None:
            return _COUNT_NO_DEPARTMENT(interface=interface.pk, day=day, **added)
        return _COUNT(interface=interface.pk, day=day, department=department_id, **added)

    # No savepoint of its own: one statement, inside the caller's transaction when there is one.
    with transaction.atomic(savepoint=False):
        if update():
            return
        first = {name: value for name, value in added.items() if value}
        try:
            with transaction.atomic():
                InterfaceDailyStat.objects.create(
                    interface_id=interface.pk, department_id=department_id, day=day, **first
                )
        except IntegrityError:  # another worker created the row first
            update()


# A probe finding the interface down this many times in a row tells its provider.
PROBES_DOWN = 3


def _probe_up(outcome: Outcome) -> bool:
    """An interface that answered at all is up (a 4xx is its answer to a probe without input)."""
    if outcome.ok:
        return True
    return outcome.kind == Kind.STATUS and outcome.status is not None and outcome.status < 500


def interface_probe(*, interface: Interface, now: datetime | None = None) -> InterfaceProbe:
    """Ask the interface once without input, record the answer, say when it goes down or up."""
    now = now or timezone.now()
    before = list(
        interface.probes.order_by("-checked_at", "-id").values_list("up", flat=True)[:PROBES_DOWN]
    )
    outcome = send(interface, {})
    up = _probe_up(outcome)
    probe = InterfaceProbe.objects.create(
        interface=interface,
        checked_at=now,
        up=up,
        result=outcome.kind,
        status=outcome.status,
        latency_ms=outcome.latency_ms,
    )
    run = [up, *before]
    if (
        not up
        and run[:PROBES_DOWN] == [False] * PROBES_DOWN
        and (len(run) == PROBES_DOWN or run[PROBES_DOWN])
    ):
        interface_down.send(sender=Interface, interface=interface, reason=outcome.kind)
    elif up and before[:PROBES_DOWN] == [False] * PROBES_DOWN:
        interface_up.send(sender=Interface, interface=interface)
    return probe


def interfaces_probe(*, now: datetime | None = None) -> dict[str, int]:
    """Probe every published interface once (the periodic health check); return the counts."""
    counts = {"up": 0, "down": 0}
    published = (
        Interface.objects.filter(status=Interface.Status.PUBLISHED)
        .select_related("resource")
        .order_by("pk")
    )
    for interface in published.iterator(chunk_size=200):
        probe = interface_probe(interface=interface, now=now)
        counts["up" if probe.up else "down"] += 1
    return counts


@transaction.atomic
def interface_down_record(*, interface: Interface, reason: str) -> None:
    """Record that the interface is down and tell its provider's catalog editors."""
    resource = interface.resource
    record(actor=None, action="interface.down", obj=interface, details={"reason": reason})
    notify(
        people_with_role(resource.provider_id, Role.EDITOR, min_clearance=resource.level),
        kind=Notification.Kind.INTERFACE_DOWN,
        url=reverse("exchange:interface_detail", args=[interface.pk]),
        min_clearance=resource.level,
        interface=interface.name,
        resource=resource.name,
        reason=reason,
    )


@transaction.atomic
def interface_up_record(*, interface: Interface) -> None:
    """Record that the interface answers again."""
    record(actor=None, action="interface.up", obj=interface)


def on_interface_down(
    sender: Any, *, interface: Interface, reason: str = "", **kwargs: Any
) -> None:
    interface_down_record(interface=interface, reason=reason)


def on_interface_up(sender: Any, *, interface: Interface, **kwargs: Any) -> None:
    interface_up_record(interface=interface)
