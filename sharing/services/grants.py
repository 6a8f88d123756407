"""Writes to grants. The guardian permission row is written and removed with the Grant row."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from accounts.models import Department, Role, User
from audit.services import record
from catalog import policies
from catalog.models import DataItem, Resource
from kernel.errors import RuleViolation, StateConflict
from kernel.policies import require

from .. import policies as sharing_policies
from .. import scope, signals
from ..models import Grant, Notification, ShareRequest
from ..signals import send_on_commit
from .notifications import notify, people_with_role

READ_DATA_PERM = f"catalog.{policies.READ_DATA}"


@transaction.atomic
def grant_create(
    *,
    actor: User | None,
    resource: Resource,
    department: Department,
    items: Sequence[DataItem],
    valid_from: datetime,
    valid_until: datetime,
    purpose: str = "",
    request: ShareRequest | None = None,
    row_scope_region: str = "",
    clear_items: Sequence[DataItem] = (),
    clear_reason: str = "",
) -> Grant:
    """Give a department read access to some items of a resource for a period.

    ``row_scope_region`` limits the rows to a region-code prefix ("" every row); ``clear_items``
    (personal items among ``items``) are delivered unmasked, for ``clear_reason``.
    """
    require(
        actor,
        sharing_policies.can_create_grant,
        resource,
        message=_("You may not decide on this resource."),
    )
    errors: list[str] = []
    conflict = resource.status != Resource.Status.PUBLISHED
    if conflict:
        errors.append(_("Only a published resource can be granted."))
    if department.pk == resource.provider_id:
        errors.append(_("A department does not need a grant for its own resource."))
    if valid_until <= valid_from:
        errors.append(_("The end of the period must be after its start."))
    if not items:
        errors.append(_("Choose at least one data item."))
    if any(item.resource_id != resource.pk for item in items):
        errors.append(_("Every granted item must belong to the resource."))
    granted = {item.pk for item in items}
    if any(i.pk not in granted or i.kind == DataItem.Kind.NONE for i in clear_items):
        errors.append(
            _("Only personal data items that the approval grants can be delivered in clear.")
        )
    if clear_items and not clear_reason.strip():
        errors.append(
            _("State why the requester's legal basis allows these items to be delivered unmasked.")
        )
    if not scope.is_allowed(row_scope_region, department):
        errors.append(
            _(
                "Rows can be limited only to the requesting department's own region or an area "
                "that holds it (a prefix of %(code)s), or left whole."
            )
            % {"code": department.region_code}
        )
    # A grant past its end that the periodic task has not tidied yet must not block a new one.
    for stale in Grant.objects.filter(
        resource=resource,
        department=department,
        status=Grant.Status.ACTIVE,
        valid_until__lte=timezone.now(),
    ):
        _end(stale, Grant.Status.EXPIRED)
        record(actor=None, action="grant.expire", obj=stale)
    if Grant.objects.filter(
        resource=resource, department=department, status=Grant.Status.ACTIVE
    ).exists():
        conflict = True
        errors.append(
            _("%(department)s already holds an active grant on this resource.")
            % {"department": department}
        )
    if errors:
        raise (StateConflict if conflict else RuleViolation)(errors)
    grant = Grant.objects.create(
        resource=resource,
        department=department,
        provider_id=resource.provider_id,
        valid_from=valid_from,
        valid_until=valid_until,
        purpose=purpose,
        granted_by=actor,
        request=request,
        row_scope_region=row_scope_region,
        clear_reason=clear_reason.strip() if clear_items else "",
    )
    grant.items.set(items)
    if clear_items:
        grant.clear_items.set(clear_items)
    assign_perm(READ_DATA_PERM, department.group, resource)
    record(
        actor=actor,
        action="grant.create",
        obj=grant,
        details={
            "resource": resource.pk,
            "department": department.pk,
            "items": [i.pk for i in items],
            "valid_until": valid_until.isoformat(),
            "request": request.pk if request else None,
            "row_scope_region": row_scope_region,
            "clear_items": [i.pk for i in clear_items],
            "clear_reason": grant.clear_reason,
        },
    )
    send_on_commit(signals.grant_created, Grant, grant=grant)
    return grant


def _end(grant: Grant, status: str) -> None:
    grant.status = status
    grant.save()
    remove_perm(READ_DATA_PERM, grant.department.group, grant.resource)


@transaction.atomic
def grant_revoke(*, actor: User | None, grant: Grant, reason: str) -> Grant:
    """Revoke an active grant, with a reason; the department loses access at once."""
    grant = (
        Grant.objects.select_for_update()
        .select_related("resource", "department__group")
        .get(pk=grant.pk)
    )
    require(
        actor, sharing_policies.may_revoke_grant, grant, message=_("You may not revoke this grant.")
    )
    if not reason.strip():
        raise RuleViolation({"reason": _("Give the reason for revoking the grant.")})
    if grant.status != Grant.Status.ACTIVE:
        raise StateConflict(_("Only an active grant can be revoked."))
    grant.revoked_at = timezone.now()
    grant.revoked_by = actor
    grant.revoke_reason = reason.strip()
    _end(grant, Grant.Status.REVOKED)
    record(actor=actor, action="grant.revoke", obj=grant, details={"reason": grant.revoke_reason})
    notify(
        grant_holders(grant),
        kind=Notification.Kind.GRANT_REVOKED,
        url=reverse("sharing:grant_detail", args=[grant.pk]),
        min_clearance=grant.resource.level,
        resource=grant.resource,
        reason=grant.revoke_reason,
    )
    send_on_commit(signals.grant_revoked, Grant, grant=grant)
    return grant


def grant_holders(grant: Grant) -> list[User]:
    """Return who speaks for the consumer side of a grant: the requester and the approvers."""
    people = list(people_with_role(grant.department_id, Role.APPROVER))
    if grant.request_id is not None and grant.request is not None:
        people.append(grant.request.requested_by)
    return people


def grants_expire(*, now: datetime | None = None) -> int:
    """Mark grants past their end as expired and remove their guardian rows; return how many.

    Access already stops at ``valid_until`` (the policy checks the period); this tidies up.
    """
    now = now or timezone.now()
    count = 0
    due = Grant.objects.filter(status=Grant.Status.ACTIVE, valid_until__lte=now).values_list(
        "pk", flat=True
    )
    for pk in list(due):
        with transaction.atomic():
            grant = (
                Grant.objects.select_for_update()
                .select_related("resource", "department__group")
                .get(pk=pk)
            )
            if grant.status != Grant.Status.ACTIVE:
                continue
            _end(grant, Grant.Status.EXPIRED)
            record(actor=None, action="grant.expire", obj=grant)
            count += 1
    return count
