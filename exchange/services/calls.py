"""A call through the broker: the data-read decision, the limits, the upstream call, the audit.

``interface_call`` answers a grant holder's call with only the output fields they may read,
personal items masked as rows are, records outside the grant's row scope dropped. The order of
refusals: not visible (404, before this service), no read access (``Http404`` here, shown as
the rows API's 403), over the department's rate (``CallThrottled``, 429), circuit open
(``CircuitOpen``, 503), upstream failure (``UpstreamFailed``, 502 or 504). Every call past the
decision and the rate leaves one audit event: who, which interface, the keyed digest of the
parameters (``audit.services.parameters_digest``), the result, the upstream status and the latency, never the data.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from audit.models import AuditEvent
from audit.services import parameters_digest, record
from catalog.models import DataItem
from datasets.selectors.access import Access, projection_for
from datasets.validation import region_item_name
from kernel.errors import RuleViolation, StateConflict
from kernel.policies import require

from .. import limits, policies, selectors
from ..broker import Kind, Outcome, send
from ..models import Interface, InterfaceParameter
from ..signals import interface_down, interface_up
from .availability import call_counted

MAX_VALUE_LENGTH = 1000
Scalar = str | int | float | bool | None


class CallThrottled(Exception):
    """The caller's department is over its rate on this interface."""

    def __init__(self, retry_after: float) -> None:
        super().__init__(retry_after)
        self.retry_after = retry_after


class CircuitOpen(Exception):
    """The interface failed repeatedly; calls are refused until its circuit closes."""

    def __init__(self, retry_after: float) -> None:
        super().__init__(retry_after)
        self.retry_after = retry_after


class UpstreamFailed(Exception):
    """The upstream did not answer usefully (timeout, connection, status, body, target)."""

    def __init__(self, outcome: Outcome) -> None:
        super().__init__(outcome.kind)
        self.outcome = outcome


@dataclass
class CallResult:
    """The answer of a call: the readable output fields and the records, masked and scoped."""

    fields: list[str]
    results: list[dict[str, Any]]
    latency_ms: float
    digest: str
    masked: list[str] = field(default_factory=list)


def _upstream_params(
    interface: Interface, access: Access, given: dict[str, Any]
) -> dict[str, Scalar]:
    """Return the input as the upstream names it; refuse unknown or unreadable inputs."""
    inputs = [
        p for p in interface.parameters.all() if p.direction == InterfaceParameter.Direction.INPUT
    ]
    by_key: dict[str, InterfaceParameter] = {}
    for parameter in inputs:
        by_key.setdefault(parameter.data_item.name, parameter)
        by_key.setdefault(parameter.upstream_name, parameter)
    readable = {item.pk for item in access.items}
    errors: dict[str, list[str]] = {}
    upstream: dict[str, Scalar] = {}
    for key, value in given.items():
        found = by_key.get(key)
        if found is None:
            errors[key] = [_("The interface takes no input of that name.")]
            continue

        if found.data_item_id not in readable:
            errors[key] = [_("You may not query by a data item you may not read.")]
        elif value is not None and not isinstance(value, (str, int, float, bool)):
            errors[key] = [_("Give a single value.")]
        elif isinstance(value, str) and len(value) > MAX_VALUE_LENGTH:
            errors[key] = [_("Keep each value within 1000 characters.")]
        else:
            upstream[found.upstream_name] = value
    if errors:
        raise RuleViolation(errors)
    return upstream


def _project(
    interface: Interface, access: Access, records: list[dict[str, Any]]
) -> tuple[list[str], list[dict[str, Any]], list[str]]:
    """Return the readable output fields, the records in scope with only them, masked."""
    outputs = [
        p for p in interface.parameters.all() if p.direction == InterfaceParameter.Direction.OUTPUT
    ]
    projection = projection_for(access, None)
    maskers: dict[str, Callable[[str | None], str | None] | None] = dict(
        zip(projection.names, projection.maskers, strict=True)
    )
    fields = [p for p in outputs if p.data_item.name in maskers]
    if access.row_scope:
        # SECURITY: a scoped grant on an interface returning no region code gets nothing.
        region = next((p for p in outputs if p.data_item.name == region_item_name()), None)
        if region is None:
            records = []
        else:
            records = [
                r
                for r in records
                if str(r.get(region.upstream_name) or "").startswith(access.row_scope)
            ]
    results = []
    for raw in records:
        row: dict[str, Any] = {}
        for parameter in fields:
            value = raw.get(parameter.upstream_name)
            mask = maskers[parameter.data_item.name]
            if mask is not None and value is not None:
                value = mask(value if isinstance(value, str) else str(value))
            row[parameter.data_item.name] = value
        results.append(row)
    masked = [
        p.data_item.name
        for p in fields
        if p.data_item.kind != DataItem.Kind.NONE and p.data_item_id not in access.clear_item_ids
    ]
    return [p.data_item.name for p in fields], results, masked


def _audit(
    actor: User,
    action: str,
    interface: Interface,
    digest: str,
    outcome: Outcome,
    fields: list[str] | None = None,
    records: int = 0,
) -> None:
    # No savepoint of its own: inside a call's transaction, after the figures, its commit is
    # the next round trip (the chain's lock is held from the append to that commit).
    with transaction.atomic(savepoint=False):
        record(
            actor=actor,
            action=action,
            obj=interface,
            result=AuditEvent.Result.SUCCESS if outcome.ok else AuditEvent.Result.FAILURE,
            details={
                "resource": interface.resource_id,
                "digest": digest,
                "result": outcome.kind,
                "status": outcome.status,
                "latency_ms": outcome.latency_ms,
                "records": records,
                "fields": fields or [],
            },
        )


def _circuit(interface: Interface, outcome: Outcome) -> None:
    """Update the circuit after a real call, and say so when it opens or recovers."""
    if outcome.ok:
        if limits.breaker_success(interface.pk):
            interface_up.send(sender=Interface, interface=interface)
    elif outcome.kind in Kind.FAILURES and limits.breaker_failure(interface.pk):
        interface_down.send(sender=Interface, interface=interface, reason=outcome.kind)


def interface_call(*, actor: User, interface: Interface, params: dict[str, Any]) -> CallResult:
    """Call a published interface for a reader of its resource's data; see the module."""
    if interface.status != Interface.Status.PUBLISHED:
        raise StateConflict(_("Only a published interface can be called."))
    access = selectors.interface_access(user=actor, interface=interface)  # Http404: no read
    upstream = _upstream_params(interface, access, params)
    decision, open_until = limits.call_admitted(actor.department_id, interface.pk)
    if not decision.allowed:
        raise CallThrottled(decision.retry_after)
    digest = parameters_digest(upstream)
    if open_until is not None:
        outcome = Outcome(Kind.CIRCUIT_OPEN)
        with transaction.atomic():
            call_counted(interface=interface, department_id=actor.department_id, outcome=outcome)
            _audit(actor, "interface.call", interface, digest, outcome)
        raise CircuitOpen(max(1.0, open_until - time.time()))
    outcome = send(interface, upstream)
    if not outcome.ok:
        with transaction.atomic():  # the figures and the evidence in one commit
            call_counted(interface=interface, department_id=actor.department_id, outcome=outcome)
            _audit(actor, "interface.call", interface, digest, outcome)
        _circuit(interface, outcome)
        raise UpstreamFailed(outcome)
    fields, results, masked = _project(interface, access, outcome.records)
    with transaction.atomic():
        call_counted(interface=interface, department_id=actor.department_id, outcome=outcome)
        _audit(actor, "interface.call", interface, digest, outcome, fields, len(results))
    _circuit(interface, outcome)
    return CallResult(fields, results, outcome.latency_ms, digest, masked)


def interface_test_call(
    *, actor: User | None, interface: Interface, params: dict[str, Any]
) -> CallResult:
    """Call the interface as its provider, whatever its status, to see that it answers.

    The resource's editors see their own data within their clearance, in clear. The circuit
    is neither asked nor changed and the call counts in no availability figure; it is audited.
    """
    require(
        actor,
        policies.can_change_interface,
        interface,
        message=_("Only the resource's catalog editors may test its interfaces."),
    )
    if interface.status == Interface.Status.RETIRED:
        raise StateConflict(_("A retired interface is not called."))
    assert actor is not None
    access = selectors.interface_test_access(user=actor, interface=interface)
    upstream = _upstream_params(interface, access, params)
    digest = parameters_digest(upstream)
    outcome = send(interface, upstream)
    if not outcome.ok:
        _audit(actor, "interface.test_call", interface, digest, outcome)
        raise UpstreamFailed(outcome)
    fields, results, masked = _project(interface, access, outcome.records)
    _audit(actor, "interface.test_call", interface, digest, outcome, fields, len(results))
    return CallResult(fields, results, outcome.latency_ms, digest, masked)
