"""Reads of the audit trail: the auditors' log and the providers' view of reads of their data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import BigIntegerField, Case, Exists, OuterRef, Q, QuerySet, When
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Department
from catalog.selectors import resources_visible_to

from .actions import DATA_READ_ACTIONS, actions_matching
from .models import AuditEvent
from .policies import can_read_audit_log, can_see_reads_of_own_data


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
    """Return reads of the viewer's department's resources (those the viewer may see).

    The department's reads are found by the provider each read records (``details["provider"]``,
    audit.services), newest first by the partial index ``audit_data_reads``: a page reads its
    own rows, not every read of the city nor every resource of the department. Each row is then
    checked against the catalog's visibility rule, one primary-key probe per row.
    """
    if not can_see_reads_of_own_data(user):
        raise PermissionDenied(
            _("Only the approvers and administrators of a department see who read its data.")
        )
    # The object id is text; only an id of digits is cast (CASE, so no other row is ever cast).
    resource_pk = Case(
        When(object_id__regex=r"^[0-9]{1,18}$", then=Cast("object_id", BigIntegerField())),
        default=None,
        output_field=BigIntegerField(),
    )
    # SECURITY: the read's resource must still be the viewer's department's and visible to the
    # viewer (the same rule as before; the recorded provider only narrows where to look).
    visible_own = resources_visible_to(user=user).filter(
        provider_id=user.department_id, pk=OuterRef("resource_pk")
    )
    events = (
        AuditEvent.objects.filter(
            action__in=DATA_READ_ACTIONS,
            object_type="catalog.resource",
            details__provider=user.department_id,
            level__lte=user.clearance,
        )
        .alias(resource_pk=resource_pk)
        .filter(Exists(visible_own))
        .select_related("department")
    )
    return events_filter(events, criteria or EventFilter()).order_by("-sequence")
