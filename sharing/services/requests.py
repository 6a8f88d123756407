"""The share request workflow: basket, submission, sign-off, decision, coordination.

Every transition consults ``models.TRANSITIONS``. A decision locks the request row
(``select_for_update``) and re-reads its state inside the transaction, so of two approvers
deciding at once exactly one decision is recorded and the other gets a clear message.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping, Sequence
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import Role, User
from audit.services import record
from catalog import policies as catalog_policies
from catalog.models import DataItem, Resource, ShareType
from kernel.errors import RuleViolation, StateConflict
from workcalendar.workdays import Deadline, deadline_after

from .. import policies, scope, signals
from ..models import (
    OPEN_STATUSES,
    TRANSITIONS,
    BasketEntry,
    Grant,
    Notification,
    PurposeCategory,
    RequestLine,
    RequestStatus,
    ShareRequest,
)
from ..signals import send_on_commit
from .grants import grant_create
from .notifications import coordinators, notify, people_with_role

logger = logging.getLogger(__name__)

ItemChoice = Mapping[int, Sequence[int]]


# --- helpers ----------------------------------------------------------------------------------


def _url(request: ShareRequest) -> str:
    return reverse("sharing:request_detail", args=[request.pk])


def request_level(request: ShareRequest) -> int:
    """Return the highest level of the resources a request names."""
    return max(
        (line.resource.level for line in request.lines.select_related("resource")), default=1
    )


def request_naming_level(request: ShareRequest) -> int:
    """Return the lowest clearance a user of a department needs to be told of the request.

    A requester may ask for an entry above their clearance that every department sees; they
    are told the answer (its items are delivered within their clearance all the same).
    """
    return max(
        (policies.naming_level(line.resource) for line in request.lines.select_related("resource")),
        default=1,
    )


def request_deadline(start: date) -> Deadline:
    """Return the reply deadline of a request sent to its provider on ``start``."""
    return deadline_after(start, settings.SHARE_REPLY_WORKING_DAYS)


def _require(request: ShareRequest, action: str) -> None:
    sources, _target = TRANSITIONS[action]
    if request.status in sources:
        return
    if request.decided_by_id is not None and request.decided_at is not None:
        raise StateConflict(
            _(
                "%(request)s is no longer open to this action: %(person)s already decided it "
                "on %(time)s (%(status)s)."
            )
            % {
                "request": request,
                "person": request.decided_by,
                "time": date_format(timezone.localtime(request.decided_at), "DATETIME_FORMAT"),
                "status": request.get_status_display(),
            }
        )
    raise StateConflict(
        _("%(request)s is no longer open to this action: it is now “%(status)s”.")
        % {"request": request, "status": request.get_status_display()}
    )


def _lock(request: ShareRequest) -> ShareRequest:
    # SECURITY/consistency: re-read under a row lock; a concurrent decision waits here and then
    # sees the state the first one left.
    return ShareRequest.objects.select_for_update().get(pk=request.pk)


def resource_problem(*, actor: User, resource: Resource) -> str | None:
    """Return why the actor's department cannot request the resource, or None."""
    refusal = _resource_refusal(actor=actor, resource=resource)
    return None if refusal is None else refusal.messages[0]


def _resource_refusal(*, actor: User, resource: Resource) -> ValidationError | None:
    """Return why the actor's department cannot request the resource, of its kind, or None.

    The resource's state (not published) and what already exists (a grant in force, an open
    request) are conflicts; asking for one's own or an unconditional resource breaks a rule.
    """
    if resource.status != Resource.Status.PUBLISHED:
        return StateConflict(_("%(resource)s is not published.") % {"resource": resource.name})
    if resource.provider_id == actor.department_id:
        return RuleViolation(
            _("%(resource)s belongs to your own department: no request is needed.")
            % {"resource": resource.name}
        )
    if resource.share_type == ShareType.UNCONDITIONAL:
        return RuleViolation(
            _(
                "%(resource)s is shared unconditionally: its data is open to you directly from "
                "the catalog, no request is needed."
            )
            % {"resource": resource.name}
        )
    if Grant.objects.in_force().filter(resource=resource, department=actor.department).exists():
        return StateConflict(
            _("Your department already holds a grant in force on %(resource)s.")
            % {"resource": resource.name}
        )
    pending = (
        ShareRequest.objects.filter(
            requester_department_id=actor.department_id,
            status__in=OPEN_STATUSES,
            lines__resource=resource,
        )
        .order_by("pk")
        .first()
    )
    if pending is not None:
        return StateConflict(
            _("Your department already has an open request for %(resource)s: %(request)s.")
            % {"resource": resource.name, "request": pending}
        )
    return None


def _require_department(actor: User) -> None:
    if actor.department_id is None:
        raise PermissionDenied(_("Only staff of a department can request data."))


# --- basket -----------------------------------------------------------------------------------


@transaction.atomic
def basket_add(*, actor: User, resource: Resource) -> BasketEntry:
    """Put a resource the actor may see into the actor's request basket."""
    _require_department(actor)
    if not catalog_policies.can_view_resource(actor, resource):
        raise Resource.DoesNotExist  # what the actor may not see does not exist
    refusal = _resource_refusal(actor=actor, resource=resource)
    if refusal is not None:
        raise refusal
    entry, _created = BasketEntry.objects.get_or_create(user=actor, resource=resource)
    return entry


@transaction.atomic
def basket_remove(*, actor: User, resource_id: int) -> None:
    """Take a resource out of the actor's basket."""
    BasketEntry.objects.filter(user=actor, resource_id=resource_id).delete()


# --- submission -------------------------------------------------------------------------------


def _validate_terms(
    *,
    legal_basis: str,
    purpose: str,
    purpose_other: str,
    scenario: str,
    valid_from: date,
    valid_until: date,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not legal_basis.strip():
        errors["legal_basis"] = _("State the legal basis for using the data.")
    if purpose not in PurposeCategory.values:
        errors["purpose"] = _("Choose the purpose.")
    elif purpose == PurposeCategory.OTHER and not purpose_other.strip():
        errors["purpose_other"] = _("Describe the other purpose.")
    if not scenario.strip():
        errors["scenario"] = _("Describe the application scenario.")
    if valid_from < timezone.localdate():
        errors["valid_from"] = _("The period cannot start in the past.")
    if valid_until < valid_from:
        errors["valid_until"] = _("The end of the period must not be before its start.")
    return errors


def _chosen_items(
    actor: User, resource: Resource, chosen: Sequence[int] | None, errors: list[str]
) -> list[DataItem]:
    allowed = {i.pk: i for i in policies.items_nameable_by(actor, resource)}
    if chosen is None:  # default: every item the requester may see
        items = list(allowed.values())
    else:
        # SECURITY: an item above the requester's clearance is treated like one that does not
        # exist, so the message cannot confirm that it does.
        unknown = [pk for pk in chosen if pk not in allowed]
        if unknown:
            errors.append(
                _("Some chosen data items do not belong to %(resource)s.")
                % {"resource": resource.name}
            )
        items = [allowed[pk] for pk in chosen if pk in allowed]
    if not items:
        errors.append(
            _("Choose at least one data item of %(resource)s.") % {"resource": resource.name}
        )
    return items


def _send(request: ShareRequest, *, actor: User, now: datetime) -> None:
    """Move a request out of the requesting department: to the provider or the coordinator."""
    request.submitted_at = now
    request.reminded_due_date = None
    request.overdue_notified_date = None
    level = request_level(request)
    if request.to_coordinator:
        request.status = RequestStatus.NEGOTIATION
        request.due_date, request.due_date_provisional = None, False
        request.save()
        notify(
            coordinators(min_clearance=level),
            kind=Notification.Kind.NEGOTIATION,
            url=_url(request),
            min_clearance=level,
            object=request,
            department=request.requester_department,
            reason=request.escalation_reason or request.legal_basis,
        )
        return
    request.status = RequestStatus.SUBMITTED
    deadline = request_deadline(timezone.localdate(now))
    request.due_date, request.due_date_provisional = deadline.day, deadline.provisional
    request.save()
    notify(
        people_with_role(request.provider_id, Role.APPROVER, min_clearance=level),
        kind=Notification.Kind.REQUEST_SUBMITTED,
        url=_url(request),
        min_clearance=level,
        object=request,
        department=request.requester_department,
        due=request.due_date.isoformat(),
    )


def _leave_department(request: ShareRequest, *, actor: User, now: datetime) -> None:
    if request.requester_department.requires_outgoing_signoff:
        request.status = RequestStatus.SIGNOFF
        request.submitted_at = now
        request.due_date, request.due_date_provisional = None, False
        request.save()
        level = request_level(request)
        notify(
            people_with_role(request.requester_department_id, Role.APPROVER, min_clearance=level),
            kind=Notification.Kind.SIGNOFF_NEEDED,
            url=_url(request),
            min_clearance=level,
            object=request,
            department=request.provider,
        )
    else:
        _send(request, actor=actor, now=now)


@transaction.atomic
def share_requests_submit(
    *,
    actor: User,
    legal_basis: str,
    purpose: str,
    scenario: str,
    valid_from: date,
    valid_until: date,
    purpose_other: str = "",
    items: ItemChoice | None = None,
    resources: Sequence[Resource] | None = None,
) -> list[ShareRequest]:
    """Submit the actor's basket: one request per provider (not-shared resources apart).

    With ``resources`` (the API), those resources are requested instead and the basket is left
    as it is; the split, the checks and the notifications are the same.
    """
    _require_department(actor)
    field_errors = _validate_terms(
        legal_basis=legal_basis,
        purpose=purpose,
        purpose_other=purpose_other,
        scenario=scenario,
        valid_from=valid_from,
        valid_until=valid_until,
    )
    if resources is None:
        candidates = [
            entry.resource
            for entry in BasketEntry.objects.filter(user=actor)
            .select_related("resource__provider")
            .order_by("resource__provider_id", "id")
        ]
    else:
        candidates = sorted(
            {r.pk: r for r in resources}.values(), key=lambda r: (r.provider_id, r.pk)
        )
    candidates = [r for r in candidates if catalog_policies.can_view_resource(actor, r)]
    errors: list[str] = []
    if not candidates:
        errors.append(
            _("Your request basket is empty.") if resources is None else _("Choose a resource.")
        )
    groups: dict[tuple[int, bool], list[tuple[Resource, list[DataItem]]]] = {}
    conflict = False
    for resource in candidates:
        refusal = _resource_refusal(actor=actor, resource=resource)
        if refusal is not None:
            conflict = conflict or isinstance(refusal, StateConflict)
            errors.extend(refusal.messages)
            continue
        chosen = _chosen_items(actor, resource, (items or {}).get(resource.pk), errors)
        key = (resource.provider_id, resource.share_type == ShareType.NONE)
        groups.setdefault(key, []).append((resource, chosen))
    if field_errors or errors:
        # A resource's state or an existing grant or request is a conflict; the rest break
        # the rules of a request.
        kind = StateConflict if conflict else RuleViolation
        raise kind({**field_errors, **({"__all__": errors} if errors else {})})
    assert actor.department is not None  # _require_department
    now = timezone.now()
    created: list[ShareRequest] = []
    for (provider_id, not_shared), lines in groups.items():
        request = ShareRequest.objects.create(
            requester_department=actor.department,
            requested_by=actor,
            provider_id=provider_id,
            status=RequestStatus.SIGNOFF,  # replaced by _leave_department below
            to_coordinator=not_shared,
            legal_basis=legal_basis.strip(),
            purpose=purpose,
            purpose_other=purpose_other.strip(),
            scenario=scenario.strip(),
            valid_from=valid_from,
            valid_until=valid_until,
            escalation_reason=legal_basis.strip() if not_shared else "",
        )
        for resource, chosen in lines:
            line = RequestLine.objects.create(request=request, resource=resource)
            line.items.set(chosen)
        record(
            actor=actor,
            action="share_request.submit",
            obj=request,
            details={
                "resources": [r.pk for r, _i in lines],
                "items": {str(r.pk): [i.pk for i in chosen] for r, chosen in lines},
                "period": [valid_from.isoformat(), valid_until.isoformat()],
            },
        )
        _leave_department(request, actor=actor, now=now)
        created.append(request)
    if resources is None:
        BasketEntry.objects.filter(user=actor).delete()
    return created


@transaction.atomic
def share_request_resubmit(
    *,
    actor: User,
    request: ShareRequest,
    legal_basis: str,
    purpose: str,
    scenario: str,
    valid_from: date,
    valid_until: date,
    purpose_other: str = "",
    items: ItemChoice | None = None,
) -> ShareRequest:
    """Apply the requester's changes and send the request again; the reply clock restarts."""
    request = _lock(request)
    if not policies.can_act_as_requester(actor, request):
        raise PermissionDenied(_("Only the requesting department can change this request."))
    _require(request, "resubmit")
    field_errors = _validate_terms(
        legal_basis=legal_basis,
        purpose=purpose,
        purpose_other=purpose_other,
        scenario=scenario,
        valid_from=valid_from,
        valid_until=valid_until,
    )
    errors: list[str] = []
    lines = list(request.lines.select_related("resource"))
    chosen = {
        line.pk: _chosen_items(actor, line.resource, (items or {}).get(line.resource_id), errors)
        for line in lines
    }
    if field_errors or errors:
        raise RuleViolation({**field_errors, **({"__all__": errors} if errors else {})})
    request.legal_basis = legal_basis.strip()
    request.purpose = purpose
    request.purpose_other = purpose_other.strip()
    request.scenario = scenario.strip()
    request.valid_from = valid_from
    request.valid_until = valid_until
    for line in lines:
        line.items.set(chosen[line.pk])
    record(
        actor=actor,
        action="share_request.resubmit",
        obj=request,
        details={
            "items": {str(line.resource_id): [i.pk for i in chosen[line.pk]] for line in lines},
            "period": [valid_from.isoformat(), valid_until.isoformat()],
        },
    )
    _leave_department(request, actor=actor, now=timezone.now())
    return request


# --- sign-off, decision, coordination ---------------------------------------------------------


def _tell_requester(request: ShareRequest, *, kind: str, reason: str, actor: User) -> None:
    notify(
        [request.requested_by],
        kind=kind,
        url=_url(request),
        min_clearance=request_naming_level(request),
        object=request,
        department=actor.department or "",
        status=request.status,
        reason=reason,
    )


@transaction.atomic
def share_request_signoff(
    *, actor: User, request: ShareRequest, approve: bool, comment: str = ""
) -> ShareRequest:
    """Let the requesting department's approver send the request on, or return it for changes."""
    request = _lock(request)
    _require(request, "signoff" if approve else "return")
    if not policies.can_signoff_request(actor, request):
        raise PermissionDenied(_("You may not sign off this request."))
    if approve:
        record(
            actor=actor, action="share_request.signoff", obj=request, details={"comment": comment}
        )
        _send(request, actor=actor, now=timezone.now())
        return request
    if not comment.strip():
        raise RuleViolation({"reason": _("Say what should be changed.")})
    request.status = RequestStatus.CHANGES_REQUESTED
    request.changes_comment = comment.strip()
    request.save()
    record(actor=actor, action="share_request.return", obj=request, details={"reason": comment})
    _tell_requester(request, kind=Notification.Kind.CHANGES_ASKED, reason=comment, actor=actor)
    return request


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _approve(
    request: ShareRequest,
    *,
    actor: User,
    items: ItemChoice | None,
    valid_from: date | None,
    valid_until: date | None,
    reason: str,
    row_scope: str | None = None,
    clear_items: Collection[int] = (),
    clear_reason: str = "",
    action: str = "share_request.approve",
) -> list[Grant]:
    """Create the grants of an approval; approval may narrow items and period, never widen.

    The approval also sets what the grants deliver: ``row_scope`` limits rows to a prefix of the
    requesting department's region code ("" every row; None the default of ``scope``), and
    ``clear_items`` are personal items among those granted that are delivered unmasked, for the
    stated ``clear_reason``.
    """
    start = valid_from or request.valid_from
    end = valid_until or request.valid_until
    errors: list[str] = []
    field_errors: dict[str, list[str]] = {}
    if start < request.valid_from or end > request.valid_until:
        errors.append(_("An approval may shorten the requested period, not extend it."))
    if end < start:
        errors.append(_("The end of the period must not be before its start."))
    if end < timezone.localdate():
        errors.append(_("The approved period has already ended."))
    requester = request.requester_department
    region = (
        scope.default_scope(requester, request.provider) if row_scope is None else row_scope.strip()
    )
    if not scope.is_allowed(region, requester):
        field_errors["row_scope_region"] = [
            _(
                "Rows can be limited only to the requesting department's own region or an area "
                "that holds it (a prefix of %(code)s), or left whole."
            )
            % {"code": requester.region_code}
        ]
    lines = list(request.lines.select_related("resource").prefetch_related("items"))
    granted: list[tuple[RequestLine, list[DataItem]]] = []
    for line in lines:
        asked = {i.pk: i for i in line.items.all()}
        chosen = (items or {}).get(line.resource_id)
        if chosen is None:
            granted.append((line, list(asked.values())))
            continue
        if any(pk not in asked for pk in chosen):
            errors.append(
                _("An approval may only grant items that were requested (%(resource)s).")
                % {"resource": line.resource.name}
            )
        picked = [asked[pk] for pk in chosen if pk in asked]
        if picked:
            granted.append((line, picked))
    if not granted:
        errors.append(_("Approve at least one data item, or reject the request."))
    clear_ids = set(clear_items)
    personal = {
        i.pk
        for _line, chosen_items in granted
        for i in chosen_items
        if i.kind != DataItem.Kind.NONE
    }
    if clear_ids - personal:
        field_errors["clear_items"] = [
            _("Only personal data items that the approval grants can be delivered in clear.")
        ]
    if clear_ids and not clear_reason.strip():
        field_errors["clear_reason"] = [
            _("State why the requester's legal basis allows these items to be delivered unmasked.")
        ]
    if field_errors:
        raise RuleViolation({**field_errors, **({NON_FIELD_ERRORS: errors} if errors else {})})
    if errors:
        raise RuleViolation(errors)
    reason_in_clear = clear_reason.strip() if clear_ids else ""
    grants = [
        grant_create(
            actor=actor,
            resource=line.resource,
            department=requester,
            items=chosen_items,
            valid_from=_day_start(start),
            valid_until=_day_start(end + timedelta(days=1)),
            purpose=request.get_purpose_display()[:200],
            request=request,
            row_scope_region=region,
            clear_items=[i for i in chosen_items if i.pk in clear_ids],
            clear_reason=reason_in_clear,
        )
        for line, chosen_items in granted
    ]
    request.status = RequestStatus.APPROVED
    request.decided_at = timezone.now()
    request.decided_by = actor
    request.decision_reason = reason.strip()
    request.save()
    record(
        actor=actor,
        action=action,
        obj=request,
        details={
            "reason": reason.strip(),
            "grants": [g.pk for g in grants],
            "items": {str(line.resource_id): [i.pk for i in chosen] for line, chosen in granted},
            "period": [start.isoformat(), end.isoformat()],
            "row_scope_region": region,
            "row_scope_default": row_scope is None,
            "clear_items": sorted(clear_ids),
            "clear_reason": reason_in_clear,
            "legal_basis": request.legal_basis if clear_ids else "",
        },
    )
    return grants


def _refuse(request: ShareRequest, *, actor: User, reason: str, status: str, action: str) -> None:
    if not reason.strip():
        raise RuleViolation({"reason": _("A refusal must state its reason.")})
    request.status = status
    request.decided_at = timezone.now()
    request.decided_by = actor
    request.decision_reason = reason.strip()
    request.save()
    record(actor=actor, action=action, obj=request, details={"reason": reason.strip()})


DECISIONS = ("approve", "reject", "changes")


@transaction.atomic
def share_request_decide(
    *,
    actor: User,
    request: ShareRequest,
    decision: str,
    reason: str = "",
    items: ItemChoice | None = None,
    valid_from: date | None = None,
    valid_until: date | None = None,
    row_scope: str | None = None,
    clear_items: Collection[int] = (),
    clear_reason: str = "",
) -> ShareRequest:
    """Record the provider's decision: approve (creating the grants), reject, or ask for changes."""
    if decision not in DECISIONS:
        raise ValidationError({"decision": _("Choose a decision.")})
    request = _lock(request)
    _require(
        request, {"approve": "approve", "reject": "reject", "changes": "ask_changes"}[decision]
    )
    if not policies.can_decide_request(actor, request):
        raise PermissionDenied(_("You may not decide this request."))
    if decision == "approve":
        _approve(
            request,
            actor=actor,
            items=items,
            valid_from=valid_from,
            valid_until=valid_until,
            reason=reason,
            row_scope=row_scope,
            clear_items=clear_items,
            clear_reason=clear_reason,
        )
    elif decision == "reject":
        _refuse(
            request,
            actor=actor,
            reason=reason,
            status=RequestStatus.REJECTED,
            action="share_request.reject",
        )
    else:
        if not reason.strip():
            raise RuleViolation({"reason": _("Say what should be changed.")})
        request.status = RequestStatus.CHANGES_REQUESTED
        request.changes_comment = reason.strip()
        request.due_date, request.due_date_provisional = None, False
        request.save()
        record(
            actor=actor, action="share_request.ask_changes", obj=request, details={"reason": reason}
        )
        _tell_requester(request, kind=Notification.Kind.CHANGES_ASKED, reason=reason, actor=actor)
        send_on_commit(signals.request_returned, ShareRequest, request=request)
        return request
    _tell_requester(
        request, kind=Notification.Kind.REQUEST_DECIDED, reason=request.decision_reason, actor=actor
    )
    send_on_commit(signals.request_decided, ShareRequest, request=request)
    return request


@transaction.atomic
def share_request_escalate(*, actor: User, request: ShareRequest, reason: str) -> ShareRequest:
    """Ask the coordinator to settle a rejected request (协商/协调)."""
    request = _lock(request)
    if not policies.can_act_as_requester(actor, request):
        raise PermissionDenied(_("Only the requesting department can ask for coordination."))
    _require(request, "escalate")
    if not reason.strip():
        raise RuleViolation({"reason": _("Explain why the coordinator should settle this.")})
    request.escalation_reason = reason.strip()
    request.to_coordinator = True
    record(actor=actor, action="share_request.escalate", obj=request, details={"reason": reason})
    _send(request, actor=actor, now=timezone.now())
    return request


@transaction.atomic
def share_request_settle(
    *,
    actor: User,
    request: ShareRequest,
    approve: bool,
    reason: str,
    items: ItemChoice | None = None,
    valid_from: date | None = None,
    valid_until: date | None = None,
    row_scope: str | None = None,
    clear_items: Collection[int] = (),
    clear_reason: str = "",
) -> ShareRequest:
    """Record the coordinator's settlement; an approval creates grants like any other."""
    request = _lock(request)
    _require(request, "settle_approve" if approve else "settle_refuse")
    if not policies.can_settle_request(actor, request):
        raise PermissionDenied(_("Only the platform coordinator settles this request."))
    if not reason.strip():
        raise RuleViolation({"reason": _("The coordinator's decision must state its reason.")})
    if approve:
        _approve(
            request,
            actor=actor,
            items=items,
            valid_from=valid_from,
            valid_until=valid_until,
            reason=reason,
            row_scope=row_scope,
            clear_items=clear_items,
            clear_reason=clear_reason,
            action="share_request.settle_approve",
        )
    else:
        _refuse(
            request,
            actor=actor,
            reason=reason,
            status=RequestStatus.REFUSED,
            action="share_request.settle_refuse",
        )
    _tell_requester(request, kind=Notification.Kind.REQUEST_DECIDED, reason=reason, actor=actor)
    people = people_with_role(request.provider_id, Role.APPROVER)
    notify(
        people,
        kind=Notification.Kind.REQUEST_DECIDED,
        url=_url(request),
        min_clearance=request_level(request),
        object=request,
        status=request.status,
        reason=reason,
    )
    send_on_commit(signals.request_decided, ShareRequest, request=request)
    return request


@transaction.atomic
def share_request_withdraw(*, actor: User, request: ShareRequest) -> ShareRequest:
    """Withdraw an open request of the actor's department."""
    request = _lock(request)
    if not policies.can_act_as_requester(actor, request):
        raise PermissionDenied(_("Only the requesting department can withdraw this request."))
    _require(request, "withdraw")
    request.status = RequestStatus.WITHDRAWN
    request.save()
    record(actor=actor, action="share_request.withdraw", obj=request)
    return request
