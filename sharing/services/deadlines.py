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

from datetime import date
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from audit.services import record
from workcalendar.deadlines import recount_provisional

from ..models import Correction, Notification, RequestStatus, ShareRequest
from .corrections import correction_deadline
from .notifications import notify, people_with_role
from .requests import request_deadline, request_level


def deadline_moved(
    *,
    actor: User | None,
    obj: Any,
    old: date,
    new: date,
    recipients: list[User],
    url: str,
    level: int = 1,
) -> None:
    """Record that a recount moved ``obj``'s deadline, and tell ``recipients`` (cleared for it)."""
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


def _request_moved(actor: User | None, request: ShareRequest, old: date, new: date) -> None:
    level = request_level(request)
    deadline_moved(
        actor=actor,
        obj=request,
        old=old,
        new=new,
        recipients=[
            *people_with_role(request.provider_id, Role.APPROVER, min_clearance=level),
            request.requested_by,
        ],
        level=level,
        url=reverse("sharing:request_detail", args=[request.pk]),
    )


def _correction_moved(actor: User | None, correction: Correction, old: date, new: date) -> None:
    level = correction.resource.level
    deadline_moved(
        actor=actor,
        obj=correction,
        old=old,
        new=new,
        recipients=[
            *people_with_role(
                correction.resource.provider_id, Role.EDITOR, Role.APPROVER, min_clearance=level
            ),
            correction.filed_by,
        ],
        level=level,
        url=reverse("sharing:correction_detail", args=[correction.pk]),
    )


@transaction.atomic
def provisional_deadlines_recompute(*, actor: User | None = None) -> dict[str, int]:
    """Recount every open provisional deadline; return how many were moved and confirmed."""
    requests = (
        ShareRequest.objects.select_for_update(of=("self",))
        .filter(status=RequestStatus.SUBMITTED, due_date_provisional=True)
        .select_related("requested_by")
        .order_by("pk")
    )
    requests_moved, requests_confirmed = recount_provisional(
        requests,
        start=lambda request: timezone.localdate(request.submitted_at),
        deadline=request_deadline,
        moved=lambda request, old, new: _request_moved(actor, request, old, new),
    )
    corrections = (
        Correction.objects.select_for_update(of=("self",))
        .filter(status=Correction.Status.OPEN, due_date_provisional=True)
        .select_related("resource", "filed_by")
        .order_by("pk")
    )
    corrections_moved, corrections_confirmed = recount_provisional(
        corrections,
        start=lambda correction: timezone.localdate(correction.created_at),
        deadline=correction_deadline,
        moved=lambda correction, old, new: _correction_moved(actor, correction, old, new),
    )
    return {
        "deadlines_moved": requests_moved + corrections_moved,
        "deadlines_confirmed": requests_confirmed + corrections_confirmed,
    }


def on_year_made_official(sender: Any, *, year: int, actor: User | None, **kwargs: Any) -> None:
    """Receiver of ``workcalendar.signals.year_made_official``."""
    provisional_deadlines_recompute(actor=actor)
