"""Registering and reviewing interfaces: each change validated, in a transaction, audited.

An interface goes draft → submitted → published → retired; the coordinator reviews a submitted
one like a resource (publish, or return it to draft with a comment). Its secret is stored
encrypted and appears in no answer and no audit event (only whether one is set).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.services import record
from catalog.models import DataItem, Resource
from kernel.errors import RuleViolation, StateConflict
from kernel.policies import require

from .. import policies, secrets
from ..egress import check_target
from ..models import INTERFACE_NAME, UPSTREAM_NAME, Interface, InterfaceParameter

HEADER_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9-]{0,63}\Z")
# Headers the portal sets itself: an interface may not replace them with its secret.
RESERVED_HEADERS = {"host", "content-length", "content-type", "connection", "transfer-encoding"}
TIMEOUT_MS = (100, 30_000)
MAX_PARAMETERS = 200


@dataclass(frozen=True)
class ParameterSpec:
    """One parameter as the provider states it: a data item of the resource by id."""

    data_item: int
    direction: str
    upstream_name: str


def _validated_parameters(
    resource: Resource, specs: Sequence[ParameterSpec]
) -> list[InterfaceParameter]:
    if len(specs) > MAX_PARAMETERS:
        raise RuleViolation(
            {"parameters": [_("At most %(n)d parameters.") % {"n": MAX_PARAMETERS}]}
        )
    items = {item.pk: item for item in DataItem.objects.filter(resource=resource)}
    errors: dict[str, list[str]] = {}
    seen_items: set[tuple[str, int]] = set()
    seen_names: set[tuple[str, str]] = set()
    built = []
    for index, spec in enumerate(specs):
        key = f"parameters.{index}"
        item = items.get(spec.data_item)
        if item is None:
            errors[f"{key}.data_item"] = [_("Choose a data item of this interface's resource.")]
            continue
        if spec.direction not in InterfaceParameter.Direction.values:
            errors[f"{key}.direction"] = [_("Choose input or output.")]
            continue
        try:
            UPSTREAM_NAME(spec.upstream_name)
        except ValidationError as error:
            errors[f"{key}.upstream_name"] = list(error.messages)
            continue
        if (spec.direction, item.pk) in seen_items:
            errors[f"{key}.data_item"] = [_("Each data item appears once per direction.")]
            continue
        if (spec.direction, spec.upstream_name) in seen_names:
            errors[f"{key}.upstream_name"] = [_("Each upstream name appears once per direction.")]
            continue
        seen_items.add((spec.direction, item.pk))
        seen_names.add((spec.direction, spec.upstream_name))
        built.append(
            InterfaceParameter(
                data_item=item, direction=spec.direction, upstream_name=spec.upstream_name
            )
        )
    if not errors and not any(p.direction == InterfaceParameter.Direction.OUTPUT for p in built):
        errors["parameters"] = [_("Map at least one output to a data item.")]
    if errors:
        raise RuleViolation(errors)
    return built


def _validated_auth(auth_kind: str, auth_header: str, secret: str) -> tuple[str, str]:
    if auth_kind == Interface.AuthKind.NONE:
        if secret or auth_header:
            raise RuleViolation(
                {"secret": [_("An interface without authentication takes no secret or header.")]}
            )
        return "", ""
    if not secret:
        raise RuleViolation({"secret": [_("Give the secret the portal sends to the interface.")]})
    if len(secret) > 512:
        raise RuleViolation({"secret": [_("Keep the secret within 512 characters.")]})
    if auth_kind == Interface.AuthKind.BEARER:
        if auth_header:
            raise RuleViolation(
                {"auth_header": [_("A bearer token goes in the Authorization header; name none.")]}
            )
        return "", secret
    if not HEADER_NAME.match(auth_header) or auth_header.lower() in RESERVED_HEADERS:
        raise RuleViolation(
            {"auth_header": [_("Name the header that carries the key, e.g. X-Api-Key.")]}
        )
    return auth_header, secret


@transaction.atomic
def interface_register(
    *,
    actor: User | None,
    resource: Resource,
    name: str,
    base_url: str,
    method: str,
    parameters: Sequence[ParameterSpec],
    description: str = "",
    timeout_ms: int = 3000,
    auth_kind: str = Interface.AuthKind.NONE,
    auth_header: str = "",
    secret: str = "",
) -> Interface:
    """Register a draft interface of the resource with its parameters (the resource's editors)."""
    require(
        actor,
        policies.can_register_interface,
        resource,
        message=_("Only the resource's catalog editors may register its interfaces."),
    )
    locked = Resource.objects.select_for_update().get(pk=resource.pk)
    if locked.status == Resource.Status.RETIRED:
        raise StateConflict(_("A retired resource takes no new interface."))
    try:
        INTERFACE_NAME(name)
    except ValidationError as error:
        raise RuleViolation({"name": error.messages}) from None
    if method not in Interface.Method.values:
        raise RuleViolation({"method": [_("Choose GET or POST.")]})
    if not TIMEOUT_MS[0] <= timeout_ms <= TIMEOUT_MS[1]:
        raise RuleViolation({"timeout_ms": [_("Give a timeout from 100 to 30000 milliseconds.")]})
    if auth_kind not in Interface.AuthKind.values:
        raise RuleViolation({"auth_kind": [_("Choose none, header or bearer.")]})
    base_url = base_url.strip()
    if len(base_url) > 500:
        raise RuleViolation({"base_url": [_("Keep the address within 500 characters.")]})
    try:
        check_target(base_url)
    except RuleViolation as refusal:
        raise RuleViolation({"base_url": refusal.message_dict["url"]}) from None
    header, secret = _validated_auth(auth_kind, auth_header.strip(), secret)
    built = _validated_parameters(locked, parameters)
    if Interface.objects.filter(resource=locked, name=name).exists():
        raise StateConflict({"name": [_("This resource already has an interface of that name.")]})
    interface = Interface(
        resource=locked,
        name=name,
        description=description.strip(),
        base_url=base_url,
        method=method,
        timeout_ms=timeout_ms,
        auth_kind=auth_kind,
        auth_header=header,
        secret_encrypted=secrets.encrypt(secret),
        created_by=actor,
    )
    try:
        with transaction.atomic():
            interface.save()
    except IntegrityError:
        raise StateConflict(
            {"name": [_("This resource already has an interface of that name.")]}
        ) from None
    for parameter in built:
        parameter.interface = interface
    InterfaceParameter.objects.bulk_create(built)
    record(
        actor=actor,
        action="interface.register",
        obj=interface,
        details={
            "resource": locked.pk,
            "name": name,
            "base_url": base_url,
            "method": method,
            "auth_kind": auth_kind,
            "secret_set": bool(secret),
            "parameters": [[p.direction, p.data_item.pk, p.upstream_name] for p in built],
        },
    )
    return interface


def _transition(interface: Interface, allowed: Sequence[str], target: str) -> Interface:
    locked = Interface.objects.select_for_update().select_related("resource").get(pk=interface.pk)
    if locked.status not in allowed:
        raise StateConflict(
            _("This interface is “%(status)s”; it cannot become “%(target)s”.")
            % {"status": locked.get_status_display(), "target": Interface.Status(target).label}
        )
    locked.status = target
    return locked


@transaction.atomic
def interface_submit(*, actor: User | None, interface: Interface) -> Interface:
    """Send a draft interface to the coordinator for review (the resource's editors)."""
    require(
        actor,
        policies.can_change_interface,
        interface,
        message=_("Only the resource's catalog editors may do this."),
    )
    locked = _transition(interface, [Interface.Status.DRAFT], Interface.Status.SUBMITTED)
    locked.save(update_fields=["status", "updated_at"])
    record(actor=actor, action="interface.submit", obj=locked)
    return locked


@transaction.atomic
def interface_publish(*, actor: User | None, interface: Interface) -> Interface:
    """Publish a submitted interface of a published resource (the coordinator)."""
    require(
        actor,
        policies.can_review_interface,
        interface,
        message=_("Only the platform coordinator may do this."),
    )
    locked = _transition(interface, [Interface.Status.SUBMITTED], Interface.Status.PUBLISHED)
    if locked.resource.status != Resource.Status.PUBLISHED:
        raise StateConflict(_("Publish the resource before its interfaces."))
    try:
        check_target(locked.base_url)  # the allowlist may have changed since registration
    except RuleViolation as refusal:
        raise RuleViolation({"base_url": refusal.message_dict["url"]}) from None
    locked.review_comment = ""
    locked.published_at = timezone.now()
    locked.save(update_fields=["status", "review_comment", "published_at", "updated_at"])
    record(actor=actor, action="interface.publish", obj=locked)
    return locked


@transaction.atomic
def interface_return(*, actor: User | None, interface: Interface, comment: str) -> Interface:
    """Return a submitted interface to its editors with the coordinator's comment."""
    require(
        actor,
        policies.can_review_interface,
        interface,
        message=_("Only the platform coordinator may do this."),
    )
    comment = comment.strip()
    if not comment:
        raise RuleViolation(
            {"comment": [_("Say what must change before the interface can be published.")]}
        )
    if len(comment) > 500:
        raise RuleViolation({"comment": [_("Keep the comment within 500 characters.")]})
    locked = _transition(interface, [Interface.Status.SUBMITTED], Interface.Status.DRAFT)
    locked.review_comment = comment
    locked.save(update_fields=["status", "review_comment", "updated_at"])
    record(actor=actor, action="interface.return", obj=locked, details={"comment": comment})
    return locked


@transaction.atomic
def interface_retire(*, actor: User | None, interface: Interface) -> Interface:
    """Retire a published interface: the broker no longer calls it (the resource's editors)."""
    require(
        actor,
        policies.can_change_interface,
        interface,
        message=_("Only the resource's catalog editors may do this."),
    )
    locked = _transition(interface, [Interface.Status.PUBLISHED], Interface.Status.RETIRED)
    locked.save(update_fields=["status", "updated_at"])
    record(actor=actor, action="interface.retire", obj=locked)
    return locked
