"""Every write of the needs app: file, route, claim, answer, and turn into a share request.

Each transition locks the need, checks ``models.TRANSITIONS``, asks the policy, acts, records
the audit event and notifies the parties, in that order (as ``share_request_decide`` does).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Department, User
from audit.services import record
from catalog import selectors as catalog_selectors
from kernel.errors import ReferenceNotFound, RuleViolation, StateConflict
from sharing import policies as sharing_policies
from sharing import services as sharing_services
from sharing.models import Notification, PurposeCategory, ShareRequest
from sharing.selectors import coordinators, people_with_role
from sharing.services.deadlines import deadline_moved
from workcalendar.deadlines import recount_provisional
from workcalendar.workdays import Deadline, deadline_after

from . import policies
from .models import TRANSITIONS, Need, NeedStatus

MAX_ITEMS = 100
MAX_ITEM_LENGTH = 50
# The period a share request made from a need asks for, from today (the approver may narrow it).
REQUEST_PERIOD_DAYS = 365


def _url(need: Need) -> str:
    return reverse("needs:need_detail", args=[need.pk])


def need_deadline(start: date) -> Deadline:
    """Return the answer deadline of a need routed to its provider on ``start``."""
    return deadline_after(start, settings.NEED_REPLY_WORKING_DAYS)


def _lock(need: Need) -> Need:
    # Re-read under a row lock: of two people acting at once, the second sees the first's state.
    return Need.objects.select_for_update().get(pk=need.pk)


def _require(need: Need, action: str) -> None:
    if need.status not in TRANSITIONS[action][0]:
        raise StateConflict(
            _("%(need)s is no longer open to this action: it is now “%(status)s”.")
            % {"need": need, "status": need.get_status_display()}
        )


def _answerers(department_id: int | None):
    return people_with_role(department_id, *policies.ANSWERING_ROLES)


def _clean_items(data_items: Sequence[str]) -> list[str]:
    items = [str(i).strip() for i in data_items if str(i).strip()]
    return list(dict.fromkeys(items))


@transaction.atomic
def need_file(
    *,
    actor: User,
    title: str,
    description: str,
    data_items: Sequence[str],
    legal_basis: str,
    purpose: str,
    business: str,
    purpose_other: str = "",
    suggested_provider_id: int | None = None,
) -> Need:
    """File a data need for the actor's department; the coordinator is told."""
    if not policies.may_file_need(actor):
        raise PermissionDenied(_("Only staff of a department can file a data need."))
    errors: dict[str, str] = {}
    items = _clean_items(data_items)
    if not title.strip():
        errors["title"] = _("Say what data is needed.")
    elif len(title.strip()) > 100:
        errors["title"] = _("Keep the title within 100 characters.")
    if not description.strip():
        errors["description"] = _("Describe the data needed.")
    if not items:
        errors["data_items"] = _("Name at least one data item wanted.")
    elif len(items) > MAX_ITEMS or any(len(i) > MAX_ITEM_LENGTH for i in items):
        errors["data_items"] = _(
            "Name at most %(count)d data items, each within %(length)d characters."
        ) % {"count": MAX_ITEMS, "length": MAX_ITEM_LENGTH}
    if not legal_basis.strip():
        errors["legal_basis"] = _("State the legal basis for using the data.")
    if purpose not in PurposeCategory.values:
        errors["purpose"] = _("Choose the purpose.")
    elif purpose == PurposeCategory.OTHER and not purpose_other.strip():
        errors["purpose_other"] = _("Describe the other purpose.")
    if not business.strip():
        errors["business"] = _("Describe the business the data serves.")
    suggested = None
    if suggested_provider_id is not None:
        suggested = Department.objects.filter(pk=suggested_provider_id, is_active=True).first()
        if suggested is None:
            errors["suggested_provider"] = _("This department does not exist.")
        elif suggested.pk == actor.department_id:
            errors["suggested_provider"] = _("Your own department cannot be asked for data.")
    if errors:
        # A missing department alone is a missing reference; any other problem breaks a rule.
        missing = suggested_provider_id is not None and suggested is None and len(errors) == 1
        raise (ReferenceNotFound if missing else RuleViolation)(errors)
    assert actor.department is not None  # may_file_need
    need = Need.objects.create(
        requester_department=actor.department,
        filed_by=actor,
        title=title.strip(),
        description=description.strip(),
        data_items=items,
        legal_basis=legal_basis.strip(),
        purpose=purpose,
        purpose_other=purpose_other.strip() if purpose == PurposeCategory.OTHER else "",
        business=business.strip(),
        suggested_provider=suggested,
    )
    record(
        actor=actor,
        action="need.file",
        obj=need,
        details={"title": need.title, "suggested_provider": suggested.pk if suggested else None},
    )
    sharing_services.notify(
        coordinators(),
        kind=Notification.Kind.NEED_FILED,
        url=_url(need),
        object=need,
        department=need.requester_department,
        title=need.title,
    )
    return need


def _send_to(need: Need, *, actor: User, provider: Department, action: str) -> Need:
    now = timezone.now()
    deadline = need_deadline(timezone.localdate(now))
    previous = need.provider_id
    need.status = NeedStatus.ROUTED
    need.provider = provider
    need.routed_at, need.routed_by = now, actor
    need.due_date, need.due_date_provisional = deadline.day, deadline.provisional
    need.save()
    record(
        actor=actor,
        action=action,
        obj=need,
        details={"provider": provider.pk, "previous": previous, "due": deadline.day.isoformat()},
    )
    sharing_services.notify(
        [u for u in _answerers(provider.pk) if u.pk != actor.pk],
        kind=Notification.Kind.NEED_ROUTED,
        url=_url(need),
        object=need,
        department=need.requester_department,
        title=need.title,
        due=deadline.day.isoformat(),
    )
    return need


@transaction.atomic
def need_route(*, actor: User, need: Need, provider_id: int) -> Need:
    """Route the need to a provider department (the coordinator); its answer is due in N days."""
    need = _lock(need)
    _require(need, "route")
    if not policies.can_route_need(actor, need):
        raise PermissionDenied(_("Only the platform coordinator routes data needs."))
    provider = Department.objects.filter(pk=provider_id, is_active=True).first()
    if provider is None:
        raise ReferenceNotFound({"provider": _("This department does not exist.")})
    if provider.pk == need.requester_department_id:
        raise RuleViolation(
            {"provider": _("A need cannot be routed to the department that filed it.")}
        )
    return _send_to(need, actor=actor, provider=provider, action="need.route")


@transaction.atomic
def need_claim(*, actor: User, need: Need) -> Need:
    """Claim an unrouted need for the actor's department, as its provider."""
    need = _lock(need)
    _require(need, "claim")
    if not policies.can_claim_need(actor, need):
        raise PermissionDenied(_("You may not claim this need for your department."))
    assert actor.department is not None  # can_claim_need
    return _send_to(need, actor=actor, provider=actor.department, action="need.claim")


def _answered(need: Need, *, actor: User, action: str, details: dict) -> Need:
    if need.answered_at is None:  # the first answer is the one the deadline judges
        need.answered_at, need.answered_by = timezone.now(), actor
    need.save()
    record(actor=actor, action=action, obj=need, details=details)
    sharing_services.notify(
        [need.filed_by],
        kind=Notification.Kind.NEED_ANSWERED,
        url=_url(need),
        object=need,
        department=need.provider or "",
    )
    return need


@transaction.atomic
def need_link(*, actor: User, need: Need, resource_id: int, answer: str = "") -> Need:
    """Answer the need with one of the provider's published resources."""
    need = _lock(need)
    _require(need, "link")
    if not policies.can_answer_need(actor, need):
        raise PermissionDenied(_("Only the provider's approvers answer this need."))
    # SECURITY: a resource the actor may not see is answered like one that does not exist.
    resource = (
        catalog_selectors.resources_visible_to(user=actor).filter(pk=resource_id).first()
        if resource_id
        else None
    )
    if resource is None:
        raise ReferenceNotFound({"resource": _("This resource does not exist.")})
    if not policies.can_link_resource(actor, need, resource):
        raise RuleViolation({"resource": _("Link a published resource of your own department.")})
    need.new_resource = need.status == NeedStatus.REGISTERING
    need.status = NeedStatus.LINKED
    need.resource = resource
    if answer.strip():
        need.answer = answer.strip()
    return _answered(
        need,
        actor=actor,
        action="need.link",
        details={"resource": resource.pk, "new_resource": need.new_resource},
    )


@transaction.atomic
def need_register(*, actor: User, need: Need, answer: str = "") -> Need:
    """Answer that the provider registers a new resource for the need (linked once published)."""
    need = _lock(need)
    _require(need, "register")
    if not policies.can_register_for_need(actor, need):
        raise PermissionDenied(_("Only the provider's approvers answer this need."))
    need.status = NeedStatus.REGISTERING
    need.answer = answer.strip()
    return _answered(need, actor=actor, action="need.register", details={"answer": need.answer})


@transaction.atomic
def need_refuse(*, actor: User, need: Need, reason: str) -> Need:
    """Refuse the need, citing the legal basis for not sharing the data."""
    need = _lock(need)
    _require(need, "refuse")
    if not policies.can_refuse_need(actor, need):
        raise PermissionDenied(_("Only the provider's approvers answer this need."))
    if not reason.strip():
        raise RuleViolation({"reason": _("State the legal basis for the refusal.")})
    need.status = NeedStatus.REFUSED
    need.answer = reason.strip()
    return _answered(need, actor=actor, action="need.refuse", details={"reason": need.answer})


@transaction.atomic
def need_request(*, actor: User, need: Need) -> ShareRequest:
    """Turn an answered need into a share request for its resource, with the need's terms.

    The request asks for the resource's items named in the need (all those the requester may see
    when none is named alike), for a year from today; the sharing service checks and sends it.
    """
    need = _lock(need)
    if not policies.can_request_from_need(actor, need):
        raise PermissionDenied(
            _("Only staff of the requesting department turn this need into a request.")
        )
    if need.share_request_id is not None:
        raise StateConflict(
            _("%(need)s has already become %(request)s.")
            % {"need": need, "request": need.share_request}
        )
    assert need.resource_id is not None  # can_request_from_need
    resource = (
        catalog_selectors.resources_visible_to(user=actor).filter(pk=need.resource_id).first()
    )
    if resource is None:
        # The need names it, not the body: the link no longer leads anywhere the actor sees.
        raise StateConflict(_("The linked resource does not exist."))
    wanted = set(need.data_items)
    named = [i.pk for i in sharing_policies.items_nameable_by(actor, resource) if i.name in wanted]
    today = timezone.localdate()
    created = sharing_services.share_requests_submit(
        actor=actor,
        resources=[resource],
        items={resource.pk: named} if named else None,
        legal_basis=need.legal_basis,
        purpose=need.purpose,
        purpose_other=need.purpose_other,
        scenario=need.business,
        valid_from=today,
        valid_until=today + timedelta(days=REQUEST_PERIOD_DAYS),
    )
    need.share_request = created[0]
    need.save(update_fields=["share_request"])
    record(actor=actor, action="need.request", obj=need, details={"request": created[0].pk})
    return created[0]


# --- provisional deadlines ----------------------------------------------------------------------


@transaction.atomic
def need_deadlines_recompute(*, actor: User | None = None) -> dict[str, int]:
    """Recount the provisional answer deadline of every routed need; return the counts.

    As for share requests and corrections (``sharing.services.deadlines``): counted again from
    the day the need was routed, stored as final, and, where the day moved, recorded and told to
    the provider's answerers and the filer. A need carries no classified content.
    """
    needs = (
        Need.objects.select_for_update(of=("self",))
        .filter(status=NeedStatus.ROUTED, due_date_provisional=True)
        .select_related("filed_by")
        .order_by("pk")
    )

    def moved(need: Need, old: date, new: date) -> None:
        deadline_moved(
            actor=actor,
            obj=need,
            old=old,
            new=new,
            recipients=[*_answerers(need.provider_id), need.filed_by],
            url=_url(need),
        )

    count_moved, count_confirmed = recount_provisional(
        needs,
        start=lambda need: timezone.localdate(need.routed_at),
        deadline=need_deadline,
        moved=moved,
    )
    return {"need_deadlines_moved": count_moved, "need_deadlines_confirmed": count_confirmed}


def on_year_made_official(sender: Any, *, year: int, actor: User | None, **kwargs: Any) -> None:
    """Receiver of ``workcalendar.signals.year_made_official``."""
    need_deadlines_recompute(actor=actor)


def on_deadlines_recount(sender: Any, **kwargs: Any) -> dict[str, int]:
    """Receiver of ``workcalendar.signals.deadlines_recount`` (the periodic sweep)."""
    return need_deadlines_recompute()
