"""The periodic tidy-up: expire grants, remind of deadlines. Run by ``manage.py sharing_sweep``."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import cast

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from workcalendar.selectors import year_needing_schedule
from workcalendar.signals import deadlines_recount
from workcalendar.workdays import working_days_between

from .. import signals
from ..models import Correction, Grant, Notification, RequestStatus, ShareRequest
from ..signals import send_on_commit
from .deadlines import provisional_deadlines_recompute
from .grants import grant_holders, grants_expire
from .notifications import coordinators, notify, people_with_role
from .requests import request_level

logger = logging.getLogger(__name__)

REMIND_WORKING_DAYS = 2
EXPIRY_NOTICE_DAYS = 7


def _remind_requests(now: datetime) -> tuple[int, int]:
    today = timezone.localdate(now)
    soon = overdue = 0
    waiting = ShareRequest.objects.filter(
        status=RequestStatus.SUBMITTED, due_date__isnull=False
    ).select_related("requested_by", "requester_department")
    for request in waiting:
        assert request.due_date is not None
        url = reverse("sharing:request_detail", args=[request.pk])
        level = request_level(request)
        approvers = people_with_role(request.provider_id, Role.APPROVER, min_clearance=level)
        if request.due_date < today:
            if request.overdue_notified_date == request.due_date:
                continue
            with transaction.atomic():
                notify(
                    [*approvers, request.requested_by],
                    kind=Notification.Kind.OVERDUE,
                    url=url,
                    min_clearance=level,
                    object=request,
                    due=request.due_date.isoformat(),
                )
                ShareRequest.objects.filter(pk=request.pk).update(
                    overdue_notified_date=request.due_date
                )
            overdue += 1
            continue
        if request.reminded_due_date == request.due_date:
            continue
        left = working_days_between(today, request.due_date)
        if left <= REMIND_WORKING_DAYS:
            with transaction.atomic():
                notify(
                    approvers,
                    kind=Notification.Kind.DEADLINE_SOON,
                    url=url,
                    min_clearance=level,
                    object=request,
                    due=request.due_date.isoformat(),
                )
                ShareRequest.objects.filter(pk=request.pk).update(
                    reminded_due_date=request.due_date
                )
            soon += 1
    return soon, overdue


def _remind_corrections(now: datetime) -> int:
    count = 0
    late = Correction.objects.filter(
        status=Correction.Status.OPEN,
        due_date__lt=timezone.localdate(now),
        overdue_notified_date__isnull=True,
    ).select_related("resource", "filed_by")
    for correction in late:
        with transaction.atomic():
            notify(
                [
                    *people_with_role(correction.resource.provider_id, Role.EDITOR, Role.APPROVER),
                    correction.filed_by,
                ],
                kind=Notification.Kind.OVERDUE,
                url=reverse("sharing:correction_detail", args=[correction.pk]),
                min_clearance=correction.resource.level,
                object=correction,
                due=correction.due_date.isoformat(),
            )
            Correction.objects.filter(pk=correction.pk).update(
                overdue_notified_date=correction.due_date
            )
        count += 1
    return count


def _remind_grants(now: datetime) -> int:
    count = 0
    expiring = Grant.objects.filter(
        status=Grant.Status.ACTIVE,
        valid_until__gt=now,
        valid_until__lte=now + timedelta(days=EXPIRY_NOTICE_DAYS),
        expiry_notified=False,
    ).select_related("resource", "request__requested_by")
    for grant in expiring:
        with transaction.atomic():
            notify(
                grant_holders(grant),
                kind=Notification.Kind.GRANT_EXPIRING,
                url=reverse("sharing:grant_detail", args=[grant.pk]),
                min_clearance=grant.resource.level,
                resource=grant.resource,
                until=grant.last_day.isoformat(),
            )
            Grant.objects.filter(pk=grant.pk).update(expiry_notified=True)
            send_on_commit(signals.grant_expiring, Grant, grant=grant)
        count += 1
    return count


def _warn_calendar(now: datetime) -> int:
    """Tell each coordinator once when next year's calendar is due and not official."""
    year = year_needing_schedule(timezone.localdate(now))
    if year is None:
        return 0
    told = Notification.objects.filter(
        kind=Notification.Kind.CALENDAR_MISSING, params__year=str(year)
    ).values("recipient_id")
    recipients = list(coordinators().exclude(pk__in=told))
    if recipients:
        with transaction.atomic():
            notify(
                recipients,
                kind=Notification.Kind.CALENDAR_MISSING,
                url=reverse("workcalendar:year", args=[year]),
                year=year,
            )
    return len(recipients)


def sharing_sweep(*, now: datetime | None = None) -> dict[str, int]:
    """Expire grants past their end and send the deadline and expiry reminders; return counts."""
    now = now or timezone.now()
    recounted = provisional_deadlines_recompute()
    # The apps above sharing (data needs) recount theirs on the calendar's signal.
    for _receiver, counts in deadlines_recount.send(sender=None):
        recounted.update(cast(dict[str, int], counts))
    soon, overdue = _remind_requests(now)
    return {
        **recounted,
        "calendar_warnings": _warn_calendar(now),
        "grants_expired": grants_expire(now=now),
        "deadline_reminders": soon,
        "overdue_requests": overdue,
        "overdue_corrections": _remind_corrections(now),
        "grants_expiring": _remind_grants(now),
    }
