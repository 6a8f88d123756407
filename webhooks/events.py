"""The portal's events, turned into deliveries: who hears of each, and what it is told.

Each receiver decides the audience by ``webhooks.policies`` (the parties of a request, grant
or correction; the departments that may see a resource) and builds a minimal payload per
subscribing department: ids, codes, states, times, names only within that department's
visibility, and the API path to fetch the details with the department's own token (which
answers by the caller's own rights).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.dispatch import Signal

from accounts.models import Department
from catalog.models import Resource

from . import policies, selectors, services
from .models import EventKind, Subscription

Payload = dict[str, Any]


def _resource(resource: Resource, department: Department) -> Payload | None:
    """Return what a department is told of a resource: nothing unless its viewer sees it."""
    if not policies.department_sees_resource(department, resource):
        return None
    return {
        "id": resource.pk,
        "code": resource.code,
        "name": resource.name,
        "status": resource.status,
        "version": resource.version,
        "url": services.api_url("api:resource-detail", resource.pk),
    }


def _fan_out(
    kind: str, department_ids: set[int] | None, build: Any, *, need_resource: Resource | None
) -> None:
    """Queue the event for every listening subscription whose department may hear of it."""
    chosen: list[tuple[Subscription, Payload]] = []
    for subscription, department in selectors.subscriptions_listening(
        department_ids=department_ids, kind=kind
    ):
        resource = _resource(need_resource, department) if need_resource is not None else None
        if need_resource is not None and resource is None and department_ids is None:
            continue  # a resource event: only to those who may see the entry
        data = build(department, resource)
        if data is not None:
            chosen.append((subscription, data))
    services.deliveries_create(kind=kind, payloads=chosen)


# --- share requests ---------------------------------------------------------------------------


def _request_data(request: Any) -> Payload:
    return {
        "share_request": {
            "id": request.pk,
            "number": request.number,
            "status": request.status,
            "requester_department": request.requester_department_id,
            "provider": request.provider_id,
            "decided_at": request.decided_at,
            "url": services.api_url("api:share-request-detail", request.pk),
        }
    }


def on_request_decided(sender: Any, *, request: Any, **kwargs: Any) -> None:
    """A request was approved, rejected or settled: tell its two parties."""
    _fan_out(
        EventKind.REQUEST_DECIDED,
        {request.requester_department_id, request.provider_id},
        lambda department, resource: _request_data(request),
        need_resource=None,
    )


def on_request_returned(sender: Any, *, request: Any, **kwargs: Any) -> None:
    """The provider asked for changes: tell the two parties."""
    _fan_out(
        EventKind.REQUEST_RETURNED,
        {request.requester_department_id, request.provider_id},
        lambda department, resource: _request_data(request),
        need_resource=None,
    )


# --- grants -----------------------------------------------------------------------------------


def _grant(kind: str, grant: Any) -> None:
    def build(department: Department, resource: Payload | None) -> Payload:
        return {
            "grant": {
                "id": grant.pk,
                "status": grant.status,
                "department": grant.department_id,
                "provider": grant.resource.provider_id,
                "valid_from": grant.valid_from,
                "valid_until": grant.valid_until,
                "revoked_at": grant.revoked_at,
                "request": grant.request_id,
                "url": services.api_url("api:grant-detail", grant.pk),
            },
            "resource": resource,
        }

    _fan_out(
        kind,
        {grant.department_id, grant.resource.provider_id},
        build,
        need_resource=grant.resource,
    )


def on_grant_created(sender: Any, *, grant: Any, **kwargs: Any) -> None:
    _grant(EventKind.GRANT_CREATED, grant)


def on_grant_expiring(sender: Any, *, grant: Any, **kwargs: Any) -> None:
    _grant(EventKind.GRANT_EXPIRING, grant)


def on_grant_revoked(sender: Any, *, grant: Any, **kwargs: Any) -> None:
    _grant(EventKind.GRANT_REVOKED, grant)


# --- resources and their data ----------------------------------------------------------------


def on_resource_changed(sender: Any, *, resource: Resource, change: str, **kwargs: Any) -> None:
    """A published resource's items, level or scope changed: every department that sees it."""
    _fan_out(
        EventKind.RESOURCE_CHANGED,
        None,
        lambda department, seen: {"resource": seen, "change": change},
        need_resource=resource,
    )


def on_resource_retired(sender: Any, *, resource: Resource, **kwargs: Any) -> None:
    """A resource was retired (下架): every department whose scope admits it."""
    _fan_out(
        EventKind.RESOURCE_RETIRED,
        None,
        lambda department, seen: {"resource": seen},
        need_resource=resource,
    )


def on_version_activated(sender: Any, *, version: Any, **kwargs: Any) -> None:
    """A new data version is in use: every department that sees the resource."""
    _fan_out(
        EventKind.DATA_VERSION,
        None,
        lambda department, seen: {
            "resource": seen,
            "version": version.number,
            "data_url": services.api_url("api:resource-data-rows", version.resource_id),
        },
        need_resource=version.resource,
    )


# --- corrections -----------------------------------------------------------------------------


def on_correction_answered(sender: Any, *, correction: Any, **kwargs: Any) -> None:
    """A correction was answered: tell the filing department and the provider."""

    def build(department: Department, resource: Payload | None) -> Payload:
        return {
            "correction": {
                "id": correction.pk,
                "status": correction.status,
                "department": correction.department_id,
                "provider": correction.resource.provider_id,
                "answered_at": correction.answered_at,
                "url": services.api_url("api:correction-detail", correction.pk),
            },
            "resource": resource,
        }

    _fan_out(
        EventKind.CORRECTION_ANSWERED,
        {correction.department_id, correction.resource.provider_id},
        build,
        need_resource=correction.resource,
    )


# --- live interfaces -------------------------------------------------------------------------


def _interface(kind: str, interface: Any) -> None:
    """An interface's circuit opened or closed (``exchange.signals``): those who see its resource."""
    _fan_out(
        kind,
        None,
        lambda department, seen: {
            "interface": {
                "id": interface.pk,
                "name": interface.name,
                "url": services.api_url("api:interface-detail", interface.pk),
            },
            "resource": seen,
        },
        need_resource=interface.resource,
    )


def on_interface_down(sender: Any, *, interface: Any, **kwargs: Any) -> None:
    _interface(EventKind.INTERFACE_DOWN, interface)


def on_interface_up(sender: Any, *, interface: Any, **kwargs: Any) -> None:
    _interface(EventKind.INTERFACE_UP, interface)


def connect() -> None:
    """Connect the receivers (``WebhooksConfig.ready``)."""
    from catalog.signals import resource_changed, resource_retired
    from datasets.signals import version_activated
    from exchange.signals import interface_down, interface_up
    from sharing import signals as sharing_signals

    pairs: list[tuple[Signal, Callable[..., None]]] = [
        (sharing_signals.request_decided, on_request_decided),
        (sharing_signals.request_returned, on_request_returned),
        (sharing_signals.grant_created, on_grant_created),
        (sharing_signals.grant_expiring, on_grant_expiring),
        (sharing_signals.grant_revoked, on_grant_revoked),
        (sharing_signals.correction_answered, on_correction_answered),
        (resource_changed, on_resource_changed),
        (resource_retired, on_resource_retired),
        (version_activated, on_version_activated),
        (interface_down, on_interface_down),
        (interface_up, on_interface_up),
    ]
    for signal, receiver in pairs:
        signal.connect(receiver, dispatch_uid=f"webhooks-{receiver.__name__}")
