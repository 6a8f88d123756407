"""校核纠错: a reader reports wrong data; the provider answers within a deadline."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from audit.services import record
from catalog.models import DataItem, Resource
from kernel.errors import RuleViolation, StateConflict
from workcalendar.workdays import Deadline, deadline_after

from .. import policies, signals
from ..models import Correction, Notification
from ..signals import send_on_commit
from .notifications import notify, people_with_role


def _url(correction: Correction) -> str:
    return reverse("sharing:correction_detail", args=[correction.pk])


def correction_deadline(start: date) -> Deadline:
    """Return the answer deadline of a correction filed on ``start``."""
    return deadline_after(start, settings.CORRECTION_REPLY_WORKING_DAYS)


@transaction.atomic
def correction_file(
    *,
    actor: User,
    resource: Resource,
    description: str,
    item: DataItem | None = None,
    evidence: str = "",
    from_comparison: bool = False,
) -> Correction:
    """File a report that some of a resource's data is wrong.

    ``from_comparison``: a conflict found by comparing an item link, sent by the authoritative
    side's owner; the caller (``accountability.services``) has checked the link's policy, and
    the filer needs no grant on the resource (``policies.can_file_conflict_correction``).
    """
    allowed = (
        policies.can_file_conflict_correction(actor, resource)
        if from_comparison
        else policies.can_file_correction(actor, resource)
    )
    if not allowed:
        raise PermissionDenied(_("You may not report on this resource."))
    errors: dict[str, str] = {}
    if not description.strip():
        errors["description"] = _("Describe what is wrong.")
    # SECURITY: an item above the reporter's clearance is treated as not belonging to the resource.
    if item is not None and (
        item.resource_id != resource.pk or not policies.item_within_clearance(actor, item)
    ):
        errors["item"] = _("Choose a data item of this resource.")
    if errors:
        raise RuleViolation(errors)
    assert actor.department is not None  # can_file_correction requires one
    deadline = correction_deadline(timezone.localdate())
    due = deadline.day
    correction = Correction.objects.create(
        resource=resource,
        item=item,
        department=actor.department,
        filed_by=actor,
        description=description.strip(),
        evidence=evidence.strip(),
        due_date=due,
        due_date_provisional=deadline.provisional,
    )
    record(
        actor=actor,
        action="correction.file",
        obj=correction,
        details={
            "resource": resource.pk,
            "item": item.pk if item else None,
            "due": due.isoformat(),
            "from_comparison": from_comparison,
        },
    )
    notify(
        people_with_role(resource.provider_id, Role.EDITOR, Role.APPROVER),
        kind=Notification.Kind.CORRECTION_FILED,
        url=_url(correction),
        min_clearance=resource.level,
        object=correction,
        resource=resource,
        department=actor.department or "",
        due=due.isoformat(),
    )
    return correction


@transaction.atomic
def correction_answer(
    *, actor: User, correction: Correction, accepted: bool, answer: str
) -> Correction:
    """Answer a correction for the provider: accepted and fixed, or rejected with a reason."""
    correction = Correction.objects.select_for_update().get(pk=correction.pk)
    if correction.status != Correction.Status.OPEN:
        raise StateConflict(_("This correction has already been answered."))
    if not policies.can_answer_correction(actor, correction):
        raise PermissionDenied(_("You may not answer this correction."))
    if not answer.strip():
        raise RuleViolation({"answer": _("Write the answer (what was fixed, or why not).")})
    correction.status = Correction.Status.ACCEPTED if accepted else Correction.Status.REJECTED
    correction.answer = answer.strip()
    correction.answered_by = actor
    correction.answered_at = timezone.now()
    correction.save()
    record(
        actor=actor,
        action="correction.answer",
        obj=correction,
        details={"status": correction.status, "reason": correction.answer},
    )
    notify(
        [correction.filed_by],
        kind=Notification.Kind.CORRECTION_ANSWERED,
        url=_url(correction),
        min_clearance=correction.resource.level,
        object=correction,
        resource=correction.resource,
        status=correction.status,
    )
    send_on_commit(signals.correction_answered, Correction, correction=correction)
    return correction
