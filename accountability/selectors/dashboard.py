"""The coordinator's dashboard beyond the ranking: trends, most requested, overdue, drill-downs."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from itertools import islice

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Department, User
from catalog.models import Resource
from catalog.selectors import resources_visible_to
from kernel.keyset import capped_count
from sharing.models import Correction, RequestLine, RequestStatus, ShareRequest

from ..periods import Period, add_months, parse_period
from ..policies import can_view_city_evaluation, can_view_scorecard
from .facts import (
    CORRECTION_FIELDS,
    ESCALATED,
    REQUEST_FIELDS,
    classify_correction,
    classify_request,
    filed_corrections,
    received_requests,
)
from .figures import run_most_requested, stored_run, stored_runs


def _require_city(user: User) -> None:
    if not can_view_city_evaluation(user):
        raise PermissionDenied(_("Only the platform coordinator sees the city-wide evaluation."))


@dataclass(frozen=True)
class MonthTrend:
    period: Period
    requests_received: int
    requests_in_time: int
    requests_overdue: int
    corrections_filed: int
    corrections_overdue: int
    freshness_scope: int
    fresh_on_time: int

    @property
    def freshness_rate(self) -> float | None:
        return (
            round(100 * self.fresh_on_time / self.freshness_scope, 1)
            if self.freshness_scope
            else None
        )

    @property
    def in_time_rate(self) -> float | None:
        due = self.requests_received
        return round(100 * self.requests_in_time / due, 1) if due else None


def trend_months(period: Period) -> list[Period]:
    """Return the twelve months ending with the period's last month."""
    last = period.end.replace(day=1)
    return [parse_period(f"{add_months(last, -n):%Y-%m}") for n in range(11, -1, -1)]


def trends_by_month(*, user: User, period: Period, now: datetime | None = None) -> list[MonthTrend]:
    """Return city-wide monthly figures for the twelve months up to the period's end.

    Each month is the city's totals of that month's stored figures (one query for the twelve
    runs), so the trend and a month's scorecards cannot disagree. A month not stored yet is
    left out until the task worker has computed it.
    """
    _require_city(user)
    months = trend_months(period)
    runs = stored_runs(periods=months, max_level=user.clearance, now=now)
    trends = []
    for month in months:
        if month.key not in runs:  # not computed yet: the worker has been asked to
            continue
        totals = runs[month.key].totals
        trends.append(
            MonthTrend(
                period=month,
                requests_received=totals.get("requests_received", 0),
                requests_in_time=totals.get("requests_in_time", 0),
                requests_overdue=totals.get("requests_overdue", 0),
                corrections_filed=totals.get("corrections_filed", 0),
                corrections_overdue=totals.get("corrections_overdue", 0),
                freshness_scope=totals.get("freshness_scope", 0),
                fresh_on_time=totals.get("fresh_on_time", 0),
            )
        )
    return trends


def most_requested_rows(*, max_level: int, period: Period, limit: int = 10) -> list[list[int]]:
    """Return ``[[resource id, lines], ...]``: the resources named in most requests received.

    The request lines are counted first, grouped by resource id and name only; grouping the
    resources themselves carried every column of the whole catalog through the aggregate.
    Read by the stored figures (accountability.services ``figures_refresh``), not per request.
    """
    requests = received_requests(max_level=max_level, start=period.start_at, end=period.end_at)
    return [
        [row["resource_id"], row["n"]]
        for row in RequestLine.objects.filter(
            request__in=requests.values("pk"), resource__level__lte=max_level
        )
        .values("resource_id", "resource__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "resource__name", "resource_id")[:limit]
    ]


def most_requested_resources(*, user: User, period: Period) -> list[Resource]:
    """Return the resources named in the most requests received in the period (coordinator)."""
    _require_city(user)
    run = stored_run(period=period, max_level=user.clearance)
    return run_most_requested(run)


def overdue_requests_now(*, user: User) -> QuerySet[ShareRequest]:
    """Return the requests awaiting a decision past their deadline, city-wide."""
    _require_city(user)
    today = timezone.localdate()
    return (
        ShareRequest.objects.filter(status=ShareRequest.Status.SUBMITTED, due_date__lt=today)
        .exclude(lines__resource__level__gt=user.clearance)
        .select_related("provider", "requester_department")
        .order_by("due_date", "pk")
    )


def overdue_corrections_now(*, user: User) -> QuerySet[Correction]:
    """Return the corrections open past their deadline, city-wide."""
    _require_city(user)
    return (
        Correction.objects.filter(
            status=Correction.Status.OPEN,
            due_date__lt=timezone.localdate(),
            resource__level__lte=user.clearance,
        )
        .select_related("resource__provider", "department")
        .order_by("due_date", "pk")
    )


# --- drill-down: the requests behind a number -------------------------------------------------

REQUEST_KINDS = {
    "received": lambda f: True,
    "answered": lambda f: f.answered,
    "in_time": lambda f: f.in_time,
    "overdue": lambda f: f.overdue,
    "open": lambda f: f.open,
    "approved": lambda f: f.approved,
    "rejected": lambda f: f.rejected,
    "unfounded": lambda f: f.unfounded,
}
CORRECTION_KINDS = {
    "filed": lambda f: True,
    "open": lambda f: f.open,
    "overdue": lambda f: f.overdue,
    "answered": lambda f: f.answered,
}


def _department_for(user: User, department_id: int | None) -> Department | None:
    if department_id is None:
        _require_city(user)
        return None
    department = Department.objects.filter(pk=department_id, is_active=True).first()
    if department is None or not can_view_scorecard(user, department):
        raise ObjectDoesNotExist
    return department


# For each kind, a filter every request the kind keeps passes (a superset, in SQL), so that
# a page of a rare kind does not classify every request of the period; classify_request
# decides. Derived from classify_request: answered, in time and approved need a decision
# before the instant; a rejection is a refusal or an escalation (ESCALATED statuses); an
# unfounded one is rejected or in coordination; overdue needs a due date.
def _request_prefilter(kind: str, as_of: datetime) -> Q:
    decided = Q(status__in=[RequestStatus.APPROVED, RequestStatus.REJECTED], decided_at__lt=as_of)
    return {
        "received": Q(),
        "answered": decided,
        "in_time": decided,
        "approved": Q(status=RequestStatus.APPROVED, decided_at__lt=as_of),
        "rejected": Q(status__in=[*ESCALATED, RequestStatus.REJECTED]),
        "unfounded": Q(status__in=[RequestStatus.REJECTED, RequestStatus.NEGOTIATION]),
        "open": ~Q(status=RequestStatus.WITHDRAWN),
        "overdue": Q(due_date__isnull=False),
    }[kind]


class ClassifiedRequests:
    """The requests one figure counts, newest first, for a paginator (``CappedPaginator``).

    The rows are read in the page's order a chunk at a time and classified as the scorecard
    classifies them, until the page (or the count's cap) is reached: a page costs the rows
    before it and its own, never every request of a large department's period. Where the
    figure keeps every row (``received``) no row is classified at all.
    """

    CHUNK = 500
    # Classifying a row costs more than counting it in SQL (a working-day count for each
    # decided request): the figures other than "received" say "more than 1,000" past it.
    CLASSIFIED_COUNT_CAP = 1_000

    def __init__(self, requests: QuerySet[ShareRequest], kind: str, as_of: datetime) -> None:
        self.requests = requests.order_by("-submitted_at", "-pk")
        self.kind = kind
        self.as_of = as_of

    def _kept_pks(self) -> Iterator[int]:
        rows = self.requests.values(*REQUEST_FIELDS).iterator(chunk_size=self.CHUNK)
        keep = REQUEST_KINDS[self.kind]
        for row in rows:
            if keep(classify_request(row, self.as_of)):
                yield row["pk"]

    def capped_count(self, cap: int) -> tuple[int, bool]:
        """Return ``(count, capped)``: the requests the figure keeps, up to ``cap``.

        Rows classified in Python are counted up to ``CLASSIFIED_COUNT_CAP`` at most.
        """
        if self.kind == "received":
            return capped_count(self.requests, cap)
        cap = min(cap, self.CLASSIFIED_COUNT_CAP)
        count = sum(1 for _pk in islice(self._kept_pks(), cap + 1))
        return min(count, cap), count > cap

    def __getitem__(self, window: slice) -> list[ShareRequest]:
        start, stop = window.start or 0, window.stop
        if self.kind == "received":
            pks = list(self.requests.values_list("pk", flat=True)[start:stop])
        else:
            pks = list(islice(self._kept_pks(), start, stop))
        found = (
            ShareRequest.objects.filter(pk__in=pks)
            .select_related("provider", "requester_department")
            # The request table names every line's resource: one query, not one per row.
            .prefetch_related("lines__resource")
            .in_bulk()
        )
        return [found[pk] for pk in pks if pk in found]


def drilldown_requests(
    *, user: User, period: Period, kind: str, department_id: int | None = None
) -> ClassifiedRequests:
    """Return the received requests counted by one figure (a department's, or the city's)."""
    department = _department_for(user, department_id)
    if kind not in REQUEST_KINDS:
        raise ObjectDoesNotExist
    as_of = period.as_of()
    requests = received_requests(
        max_level=user.clearance,
        start=period.start_at,
        end=min(period.end_at, as_of),
        provider_id=department.pk if department else None,
    ).filter(_request_prefilter(kind, as_of))
    return ClassifiedRequests(requests, kind, as_of)


def drilldown_corrections(
    *, user: User, period: Period, kind: str, department_id: int | None = None
) -> QuerySet[Correction]:
    """Return the corrections counted by one figure."""
    department = _department_for(user, department_id)
    if kind not in CORRECTION_KINDS:
        raise ObjectDoesNotExist
    as_of = period.as_of()
    rows = filed_corrections(
        max_level=user.clearance,
        start=period.start_at,
        end=min(period.end_at, as_of),
        provider_id=department.pk if department else None,
    ).values(*CORRECTION_FIELDS)
    keep = [row["pk"] for row in rows if CORRECTION_KINDS[kind](classify_correction(row, as_of))]
    return (
        Correction.objects.filter(pk__in=keep)
        .select_related("resource__provider", "department")
        .order_by("-created_at", "-pk")
    )


RESOURCE_KINDS = (
    "published",
    "waiting",
    "expired",
    "scope",
    "on_time",
    "late",
    "missing",
    "in_use",
)


def drilldown_resources(
    *, user: User, period: Period, kind: str, department_id: int
) -> QuerySet[Resource]:
    """Return a department's resources counted by one catalog or freshness figure.

    The filter is the one the scorecard counts with; the list goes through the catalog's
    visibility selector as well, so a department admin sees the drafts of their own department
    and the coordinator every published resource, each within their clearance.
    """
    from .scorecards import resource_filters

    department = _department_for(user, department_id)
    if kind not in RESOURCE_KINDS or department is None:
        raise ObjectDoesNotExist
    filters = resource_filters(period, period.as_of())
    # Most recently changed first: the order of the provider's own list, which an index
    # (provider, -updated_at, -id) yields, so a page reads its own rows; ordered by name, the
    # largest department's 25,000 resources were read and sorted for each page.
    return (
        resources_visible_to(user=user)
        .filter(filters[kind], provider=department)
        .select_related("provider", "category")
        .order_by("-updated_at", "-pk")
    )
