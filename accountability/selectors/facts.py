"""Per-row facts behind the request and correction figures, shared by scorecards and trends.

Requests and corrections are fetched as plain rows (one query each for the whole period) and
classified here in Python, because the median in *working days* needs the statutory calendar,
which SQL does not know. Everything else is aggregated in the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from statistics import median
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from audit.models import AuditEvent
from needs.models import Need, NeedStatus
from sharing.models import Correction, Grant, RequestLine, RequestStatus, ShareRequest
from workcalendar.deadlines import on_time
from workcalendar.workdays import working_days_between

from ..rules import cites_legal_basis

REQUEST_FIELDS = (
    "pk",
    "provider_id",
    "requester_department_id",
    "status",
    "to_coordinator",
    "escalation_reason",
    "submitted_at",
    "decided_at",
    "due_date",
    "decision_reason",
)
CORRECTION_FIELDS = ("pk", "resource__provider_id", "created_at", "answered_at", "due_date")

# Statuses that mean the provider refused first and the requester escalated (协调).
ESCALATED = frozenset({RequestStatus.NEGOTIATION, RequestStatus.REFUSED, RequestStatus.APPROVED})


def _local(moment: datetime) -> date:
    return timezone.localdate(moment)


def _working_days(start: datetime, end: datetime) -> int:
    return working_days_between(_local(start), _local(end))


@dataclass(frozen=True)
class RequestFacts:
    """What one received request counts for on its provider's scorecard."""

    pk: int
    provider_id: int
    approved: bool
    rejected: bool
    unfounded: bool
    answered: bool  # decided by the provider before the evaluation instant, with known timing
    in_time: bool
    overdue: bool
    open: bool
    answer_days: int | None


def classify_request(row: dict[str, Any], as_of: datetime) -> RequestFacts:
    """Return the request's facts at ``as_of`` (see the definitions on the scorecard page)."""
    status = row["status"]
    # An escalated request was refused by the provider; its dates now belong to the
    # coordination (the escalation re-sends it), so it counts as a rejection without timing.
    escalated = bool(row["to_coordinator"] and row["escalation_reason"]) and status in ESCALATED
    decided_at = row["decided_at"]
    decided = (
        not escalated
        and status in (RequestStatus.APPROVED, RequestStatus.REJECTED)
        and decided_at is not None
        and decided_at < as_of
    )
    due = row["due_date"]
    rejected = escalated or (decided and status == RequestStatus.REJECTED)
    unfounded = (
        rejected
        and status in (RequestStatus.REJECTED, RequestStatus.NEGOTIATION)
        and (not cites_legal_basis(row["decision_reason"] or ""))
    )
    in_time = decided and on_time(decided_at, due)
    still_open = not decided and not escalated and status not in (RequestStatus.WITHDRAWN,)
    late_answer = decided and due is not None and not in_time
    open_overdue = still_open and due is not None and due < _local(as_of)
    return RequestFacts(
        pk=row["pk"],
        provider_id=row["provider_id"],
        approved=decided and status == RequestStatus.APPROVED,
        rejected=rejected,
        unfounded=unfounded,
        answered=decided,
        in_time=in_time,
        overdue=late_answer or open_overdue,
        open=still_open,
        answer_days=_working_days(row["submitted_at"], decided_at) if decided else None,
    )


@dataclass(frozen=True)
class CorrectionFacts:
    pk: int
    provider_id: int
    open: bool
    answered: bool
    in_time: bool
    overdue: bool
    answer_days: int | None


def classify_correction(row: dict[str, Any], as_of: datetime) -> CorrectionFacts:
    """Return the correction's facts at ``as_of``."""
    answered_at = row["answered_at"]
    answered = answered_at is not None and answered_at < as_of
    due = row["due_date"]
    in_time = answered and on_time(answered_at, due)
    overdue = (answered and not in_time) or (not answered and due < _local(as_of))
    return CorrectionFacts(
        pk=row["pk"],
        provider_id=row["resource__provider_id"],
        open=not answered,
        answered=answered,
        in_time=in_time,
        overdue=overdue,
        answer_days=_working_days(row["created_at"], answered_at) if answered else None,
    )


def median_or_none(values: list[int | None]) -> float | None:
    known = [v for v in values if v is not None]
    return float(median(known)) if known else None


def received_requests(
    *, max_level: int, start: datetime, end: datetime, provider_id: int | None = None
) -> QuerySet[ShareRequest]:
    """Return requests that reached their provider in [start, end), up to the clearance.

    Requests still awaiting their own department's sign-off, and not-shared resources sent
    straight to the coordinator, never reached the provider and are left out.
    """
    # SECURITY: a request naming a resource above the viewer's clearance does not exist for them.
    above = RequestLine.objects.filter(request=OuterRef("pk"), resource__level__gt=max_level)
    requests = ShareRequest.objects.filter(submitted_at__gte=start, submitted_at__lt=end).exclude(
        Q(status=RequestStatus.SIGNOFF)
        | Q(Exists(above))
        | (Q(to_coordinator=True) & Q(escalation_reason=""))
    )
    if provider_id is not None:
        requests = requests.filter(provider_id=provider_id)
    return requests


def filed_corrections(
    *, max_level: int, start: datetime, end: datetime, provider_id: int | None = None
) -> QuerySet[Correction]:
    """Return corrections filed in [start, end) on resources within the clearance."""
    corrections = Correction.objects.filter(
        created_at__gte=start, created_at__lt=end, resource__level__lte=max_level
    )
    if provider_id is not None:
        corrections = corrections.filter(resource__provider_id=provider_id)
    return corrections


def grants_in_force_q(at: datetime, prefix: str = "") -> Q:
    """Return the filter of grants in force at an instant, past ones included.

    ``Grant.objects.in_force`` looks at the current status; for a past instant an expired grant
    was in force inside its period, and a revoked one until it was revoked.
    """
    p = prefix
    return Q(**{f"{p}valid_from__lte": at, f"{p}valid_until__gt": at}) & ~Q(
        **{f"{p}status": Grant.Status.REVOKED, f"{p}revoked_at__lte": at}
    )


def data_reads(*, max_level: int, start: datetime, end: datetime) -> QuerySet[AuditEvent]:
    """Return the data-delivery events (``data.*``) in [start, end) within the clearance."""
    return AuditEvent.objects.filter(
        action__startswith="data.", created_at__gte=start, created_at__lt=end, level__lte=max_level
    )


NEED_FIELDS = ("pk", "provider_id", "status", "answered_at", "due_date", "new_resource")


@dataclass(frozen=True)
class NeedFacts:
    pk: int
    provider_id: int
    answered: bool
    in_time: bool
    new_resource: bool


def classify_need(row: dict[str, Any], as_of: datetime) -> NeedFacts:
    """Return a routed need's facts at ``as_of``: answered, in time, by a new resource."""
    answered_at = row["answered_at"]
    answered = answered_at is not None and answered_at < as_of
    due = row["due_date"]
    return NeedFacts(
        pk=row["pk"],
        provider_id=row["provider_id"],
        answered=answered,
        in_time=answered and on_time(answered_at, due),
        new_resource=answered and row["status"] == NeedStatus.LINKED and row["new_resource"],
    )


def routed_needs(
    *, start: datetime, end: datetime, provider_id: int | None = None
) -> QuerySet[Need]:
    """Return the data needs routed to (or claimed by) their provider in [start, end).

    A need carries no classified content: every viewer of a scorecard counts the same needs.
    """
    needs = Need.objects.filter(routed_at__gte=start, routed_at__lt=end, provider__isnull=False)
    if provider_id is not None:
        needs = needs.filter(provider_id=provider_id)
    return needs
