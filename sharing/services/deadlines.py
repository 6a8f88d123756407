"""Provisional deadlines: recomputed once the calendar year they reach into becomes official.

A deadline counted over a year whose schedule is not official yet (``workcalendar.workdays``)
is stored with ``due_date_provisional``. When the coordinator marks that year official, every
open request and correction with a provisional deadline is counted again from its start, in the
transaction that makes the year official. Where the date moves, both departments are told and
an audit event records the old and the new date; where it stays, it is simply confirmed.
The periodic sweep runs the same recomputation, so a deadline counted in another process just
before the year became official is caught up too.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from audit.services import record

from ..models import Correction, Notification, RequestStatus, ShareRequest
from .corrections import correction_deadline
from .notifications import notify, people_with_role
from .requests import request_deadline, request_level


def _moved(
    *,
    actor: User | None,
    obj: Any,
    old: Any,
    new: Any,
    recipients: list[User],
    level: int,
    url: str,
) -> None:
    record(
        actor=actor,
        action="deadline.recompute",
        obj=obj,
        details={"old": old.isoformat(), "new": new.isoformat(), "reason": "calendar official"},
    )
    notify(
        recipients,
        kind=Notification.Kind.DEADLINE_MOVED,
        url=url,
        min_clearance=level,
        object=obj,
        old=old.isoformat(),
        due=new.isoformat(),
    )


@transaction.atomic
def provisional_deadlines_recompute(*, actor: User | None = None) -> dict[str, int]:
    """Recount every open provisional deadline; return how many were moved and confirmed."""
    moved = confirmed = 0
    requests = (
        ShareRequest.objects.select_for_update(of=("self",))
        .filter(status=RequestStatus.SUBMITTED, due_date_provisional=True)
        .select_related("requested_by")
        .order_by("pk")
    )
    for request in requests:
        assert request.submitted_at is not None and request.due_date is not None
        deadline = request_deadline(timezone.localdate(request.submitted_at))
        if deadline.provisional:
            continue  # still reaches into a year that is not official
        old = request.due_date
        ShareRequest.objects.filter(pk=request.pk).update(
            due_date=deadline.day, due_date_provisional=False
        )
        if deadline.day == old:
            confirmed += 1
            continue
        level = request_level(request)
        _moved(
            actor=actor,
            obj=request,
            old=old,
            new=deadline.day,
            recipients=[
                *people_with_role(request.provider_id, Role.APPROVER, min_clearance=level),
                request.requested_by,
            ],
            level=level,
            url=reverse("sharing:request_detail", args=[request.pk]),
        )
        moved += 1
    corrections = (
        Correction.objects.select_for_update(of=("self",))
        .filter(status=Correction.Status.OPEN, due_date_provisional=True)
        .select_related("resource", "filed_by")
        .order_by("pk")
    )
    for correction in corrections:
        deadline = correction_deadline(timezone.localdate(correction.created_at))
        if deadline.provisional:
            continue
        old = correction.due_date
        Correction.objects.filter(pk=correction.pk).update(
            due_date=deadline.day, due_date_provisional=False
        )
        if deadline.day == old:
            confirmed += 1
            continue
        _moved(
            actor=actor,
            obj=correction,
            old=old,
            new=deadline.day,
            recipients=[
                *people_with_role(
                    correction.resource.provider_id,
                    Role.EDITOR,
                    Role.APPROVER,
                    min_clearance=correction.resource.level,
                ),
                correction.filed_by,
            ],
            level=correction.resource.level,
            url=reverse("sharing:correction_detail", args=[correction.pk]),
        )
        moved += 1
    return {"deadlines_moved": moved, "deadlines_confirmed": confirmed}


def on_year_made_official(sender: Any, *, year: int, actor: User | None, **kwargs: Any) -> None:
    """Receiver of ``workcalendar.signals.year_made_official``."""
    provisional_deadlines_recompute(actor=actor)
