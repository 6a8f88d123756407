"""Reads of the audit trail: the auditors' log and the providers' view of reads of their data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Department
from catalog.selectors import resources_visible_to

from .actions import actions_matching
from .models import AuditEvent
from .policies import can_read_audit_log, can_see_reads_of_own_data
from .services import DATA_READ_ACTIONS


@dataclass(frozen=True)
class EventFilter:
    start: date | None = None
    end: date | None = None
    username: str = ""
    department: Department | None = None
    action: str = ""
    object: str = ""
    result: str = ""


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def events_filter(events: QuerySet[AuditEvent], criteria: EventFilter) -> QuerySet[AuditEvent]:
    """Narrow a queryset of events by the auditor's search criteria."""
    if criteria.start:
        events = events.filter(created_at__gte=_day_start(criteria.start))
    if criteria.end:
        events = events.filter(created_at__lt=_day_start(criteria.end + timedelta(days=1)))
    if criteria.username:
        # Exact, as usernames are stored: the (actor_username, created_at) index serves it.
        events = events.filter(actor_username=criteria.username.strip())
    if criteria.department:
        events = events.filter(department=criteria.department)
    if criteria.action:
        # A code prefix ("login" finds login.success) or words of the readable name ("登录").
        text = criteria.action.strip()
        events = events.filter(Q(action__startswith=text) | Q(action__in=actions_matching(text)))
    if criteria.object:
        text = criteria.object.strip()
        events = events.filter(Q(object_repr__icontains=text) | Q(object_id=text))
    if criteria.result:
        events = events.filter(result=criteria.result)
    return events


def events_for_auditor(*, user: Any, criteria: EventFilter | None = None) -> QuerySet[AuditEvent]:
    """Return the audit log for the audit administrator, up to their clearance."""
    if not can_read_audit_log(user):
        raise PermissionDenied(_("Only the audit administrator may read the audit log."))
    # SECURITY: an event about an object above the auditor's clearance does not exist for them.
    events = AuditEvent.objects.filter(level__lte=user.clearance).select_related("department")
    return events_filter(events, criteria or EventFilter()).order_by("-sequence")


def events_hidden_from_auditor(
    *, user: Any, criteria: EventFilter | None = None
) -> QuerySet[AuditEvent]:
    """Return the events matching the search that the auditor's clearance hides from the log.

    Only to be counted: the log says how many it leaves out, never what they are.
    """
    if not can_read_audit_log(user):
        raise PermissionDenied(_("Only the audit administrator may read the audit log."))
    events = AuditEvent.objects.filter(level__gt=user.clearance)
    return events_filter(events, criteria or EventFilter())


def data_reads_for_provider(
    *, user: Any, criteria: EventFilter | None = None
) -> QuerySet[AuditEvent]:
    """Return reads of the viewer's department's resources (those the viewer may see)."""
    if not can_see_reads_of_own_data(user):
        raise PermissionDenied(
            _("Only the approvers and administrators of a department see who read its data.")
        )
    own_resource_ids = (
        resources_visible_to(user=user)
        .filter(provider_id=user.department_id)
        .annotate(pk_text=Cast("pk", CharField()))
        .values("pk_text")
    )
    events = AuditEvent.objects.filter(
        action__in=DATA_READ_ACTIONS,
        object_type="catalog.resource",
        object_id__in=own_resource_ids,
        level__lte=user.clearance,
    ).select_related("department")
    return events_filter(events, criteria or EventFilter()).order_by("-sequence")
