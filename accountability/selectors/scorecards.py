"""Department scorecards for a period: every figure in a fixed number of aggregate queries.

``scorecards_compute`` issues the same thirteen queries whatever the number of departments,
resources or requests (tests/accountability pins the count), but each reads the whole city:
seconds at city scale. It is the one definition of the figures; the pages read its results
stored per period and clearance (``accountability.selectors.figures``), so the dashboard, the
scorecard page and the evaluation report cannot disagree.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Avg, Count, Exists, OuterRef, Q
from django.db.models.fields.json import KeyTextTransform
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Department, User
from catalog.models import DataItem, Resource, ShareType
from datasets.models import DatasetVersion, VersionQuality
from exchange.selectors import availability_by_provider
from sharing.models import Grant

from ..models import FiguresRun
from ..periods import Period
from ..policies import can_view_city_evaluation, can_view_scorecard
from ..rules import CYCLE_LENGTHS, cycle_threshold, score_weights
from .facts import (
    CORRECTION_FIELDS,
    NEED_FIELDS,
    REQUEST_FIELDS,
    classify_correction,
    classify_need,
    classify_request,
    data_reads,
    filed_corrections,
    grants_in_force_q,
    median_or_none,
    received_requests,
    routed_needs,
)
from .links import consistency_by_department

COMPONENTS = ("catalog", "freshness", "timeliness", "corrections", "use", "reuse", "consistency")


@dataclass
class Scorecard:
    """One department's figures for one period; ``None`` means "not applicable"."""

    department: Department
    # catalog coverage
    resources_published: int = 0
    items_published: int = 0
    resources_waiting: int = 0
    resources_shareable: int = 0
    resources_expired: int = 0  # published, past their validity date (有效期) as of the period
    # data freshness
    freshness_scope: int = 0
    fresh_on_time: int = 0
    fresh_late: int = 0
    fresh_missing: int = 0
    # data quality (docs/data-quality.md): the mean score of its resources' active versions
    # profiled so far, as they are now (a profile describes the data in use, not a period)
    quality_score: float | None = None
    quality_versions: int = 0
    # requests received
    requests_received: int = 0
    requests_answered: int = 0
    requests_in_time: int = 0
    requests_overdue: int = 0
    requests_open: int = 0
    requests_approved: int = 0
    requests_rejected: int = 0
    rejections_unfounded: int = 0
    median_answer_days: float | None = None
    # corrections
    corrections_filed: int = 0
    corrections_open: int = 0
    corrections_overdue: int = 0
    corrections_answered: int = 0
    corrections_in_time: int = 0
    median_correction_days: float | None = None
    # data needs (需求清单) routed to it
    needs_routed: int = 0
    needs_answered_in_time: int = 0
    needs_new_resource: int = 0
    # use of its data
    consumer_departments: int = 0
    resources_in_use: int = 0
    reads: int = 0
    # its own use of others' data
    grants_held: int = 0
    providers_used: int = 0
    own_reads: int = 0
    # its live interfaces (接口可用率): calls through the broker in the period, those that failed,
    # the 95th percentile of their response time (ms, a bucket's upper bound)
    interface_calls: int = 0
    interface_failed: int = 0
    interface_p95: int | None = None
    # data consistency: the last comparison of every item link it is a side of
    values_agreeing: int = 0
    values_conflicting: int = 0
    scores: dict[str, float | None] = field(default_factory=dict)
    overall: float = 0.0
    rank: int = 0

    @property
    def approval_rate(self) -> float | None:
        decided = self.requests_approved + self.requests_rejected
        return 100.0 * self.requests_approved / decided if decided else None

    @property
    def interface_availability(self) -> float | None:
        return _ratio(self.interface_calls - self.interface_failed, self.interface_calls)

    @property
    def has_catalog(self) -> bool:
        return self.resources_published > 0


def _ratio(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def score(card: Scorecard) -> None:
    """Fill the component scores (0–100, ``None`` when not applicable) and the weighted total."""
    requests_due = card.requests_answered + (card.requests_overdue - _late_answers(card))
    corrections_due = card.corrections_answered + (
        card.corrections_overdue - (card.corrections_answered - card.corrections_in_time)
    )
    card.scores = {
        "catalog": _ratio(
            card.resources_published, card.resources_published + card.resources_waiting
        )
        or 0.0,
        "freshness": _ratio(card.fresh_on_time, card.freshness_scope),
        "timeliness": _ratio(card.requests_in_time, requests_due),
        "corrections": _ratio(card.corrections_in_time, corrections_due),
        "use": _ratio(card.resources_in_use, card.resources_shareable),
        "reuse": 100.0 if (card.grants_held or card.own_reads) else 0.0,
        # 100 − the conflict rate of its item links (docs/access-model.md, "Data consistency")
        "consistency": _ratio(card.values_agreeing, card.values_agreeing + card.values_conflicting),
    }
    weights = score_weights()
    total = sum(weights[k] for k, v in card.scores.items() if v is not None)
    weighted = sum(weights[k] * v for k, v in card.scores.items() if v is not None)
    card.overall = round(weighted / total, 1) if total else 0.0


def _late_answers(card: Scorecard) -> int:
    return card.requests_answered - card.requests_in_time


def _freshness_q(as_of: datetime) -> Q:
    fresh = Q()
    for cycle in CYCLE_LENGTHS:
        fresh |= Q(
            update_cycle=cycle,
            data_updated_at__gte=cycle_threshold(cycle, as_of),
            data_updated_at__lt=as_of,
        )
    return fresh


def resource_filters(period: Period, as_of: datetime) -> dict[str, Q]:
    """Return the filter behind each resource figure; counts and drill-down lists share them."""
    published = Q(status=Resource.Status.PUBLISHED, published_at__lt=as_of)
    scope = published & Q(update_cycle__in=list(CYCLE_LENGTHS))
    fresh = _freshness_q(as_of)
    in_use = Exists(Grant.objects.filter(grants_in_force_q(as_of), resource=OuterRef("pk")))
    return {
        "published": published,
        "shareable": published & ~Q(share_type=ShareType.NONE),
        # Submitted for review: drafts still being edited are the department's own business and
        # do not exist for the coordinator (catalog.policies), so they are not counted either.
        "waiting": Q(status=Resource.Status.SUBMITTED),
        "scope": scope,
        "on_time": scope & fresh,
        "late": scope & ~fresh & Q(data_updated_at__gte=period.start_at),
        "missing": scope
        & ~fresh
        & (Q(data_updated_at__isnull=True) | Q(data_updated_at__lt=period.start_at)),
        "in_use": published & Q(in_use),
        # Past the validity date on the period's last day (today for the current period).
        "expired": published & Q(valid_until__lt=timezone.localdate(as_of)),
    }


def _resource_counts(max_level: int, period: Period, as_of: datetime) -> dict[int, dict[str, int]]:
    filters = resource_filters(period, as_of)
    rows = (
        Resource.objects.filter(level__lte=max_level)
        .values("provider_id")
        .annotate(**{key: Count("pk", filter=q) for key, q in filters.items()})
        .order_by()
    )
    return {row.pop("provider_id"): row for row in rows}


def scorecards_compute(
    *, max_level: int, period: Period, now: datetime | None = None
) -> list[Scorecard]:
    """Return every active department's scorecard for the period, ranked (1 = best)."""
    as_of = period.as_of(now)
    start, end = period.start_at, period.end_at
    departments = list(Department.objects.filter(is_active=True).order_by("name"))
    cards = {d.pk: Scorecard(department=d) for d in departments}

    for provider_id, row in _resource_counts(max_level, period, as_of).items():
        card = cards.get(provider_id)
        if card is None:
            continue
        card.resources_published = row["published"]
        card.resources_shareable = row["shareable"]
        card.resources_waiting = row["waiting"]
        card.resources_expired = row["expired"]
        card.freshness_scope = row["scope"]
        card.fresh_on_time, card.fresh_late = row["on_time"], row["late"]
        card.fresh_missing = row["missing"]
        card.resources_in_use = row["in_use"]

    items = (
        DataItem.objects.filter(
            level__lte=max_level,
            resource__level__lte=max_level,
            resource__status=Resource.Status.PUBLISHED,
            resource__published_at__lt=as_of,
        )
        .values("resource__provider_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in items:
        if row["resource__provider_id"] in cards:
            cards[row["resource__provider_id"]].items_published = row["n"]

    for row in (
        VersionQuality.objects.filter(
            version__status=DatasetVersion.Status.ACTIVE,
            version__resource__level__lte=max_level,
            version__resource__status=Resource.Status.PUBLISHED,
        )
        .values("version__resource__provider_id")
        .annotate(mean=Avg("score"), n=Count("pk"))
        .order_by()
    ):
        card = cards.get(row["version__resource__provider_id"])
        if card is not None:
            card.quality_score = round(float(row["mean"]), 1)
            card.quality_versions = row["n"]

    grants = Grant.objects.filter(grants_in_force_q(as_of), resource__level__lte=max_level)
    for row in (
        grants.values("resource__provider_id")
        .annotate(n=Count("department", distinct=True))
        .order_by()
    ):
        if row["resource__provider_id"] in cards:
            cards[row["resource__provider_id"]].consumer_departments = row["n"]
    for row in (
        grants.values("department_id")
        .annotate(
            n=Count("resource", distinct=True), providers=Count("resource__provider", distinct=True)
        )
        .order_by()
    ):
        if row["department_id"] in cards:
            card = cards[row["department_id"]]
            card.grants_held, card.providers_used = row["n"], row["providers"]

    reads = data_reads(max_level=max_level, start=start, end=min(end, as_of))
    by_provider = {str(pk): pk for pk in cards}
    for row in (
        reads.annotate(provider_key=KeyTextTransform("provider", "details"))
        .values("provider_key")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        pk = by_provider.get(str(row["provider_key"]))
        if pk is not None:
            cards[pk].reads = row["n"]
    for row in reads.values("department_id").annotate(n=Count("pk")).order_by():
        if row["department_id"] in cards:
            cards[row["department_id"]].own_reads = row["n"]

    answer_days: dict[int, list[int | None]] = defaultdict(list)
    request_rows = received_requests(max_level=max_level, start=start, end=min(end, as_of))
    for row in request_rows.values(*REQUEST_FIELDS):
        card = cards.get(row["provider_id"])
        if card is None:
            continue
        facts = classify_request(row, as_of)
        card.requests_received += 1
        card.requests_answered += facts.answered
        card.requests_in_time += facts.in_time
        card.requests_overdue += facts.overdue
        card.requests_open += facts.open
        card.requests_approved += facts.approved
        card.requests_rejected += facts.rejected
        card.rejections_unfounded += facts.unfounded
        answer_days[card.department.pk].append(facts.answer_days)

    correction_days: dict[int, list[int | None]] = defaultdict(list)
    correction_rows = filed_corrections(max_level=max_level, start=start, end=min(end, as_of))
    for row in correction_rows.values(*CORRECTION_FIELDS):
        card = cards.get(row["resource__provider_id"])
        if card is None:
            continue
        cfacts = classify_correction(row, as_of)
        card.corrections_filed += 1
        card.corrections_open += cfacts.open
        card.corrections_overdue += cfacts.overdue
        card.corrections_answered += cfacts.answered
        card.corrections_in_time += cfacts.in_time
        correction_days[card.department.pk].append(cfacts.answer_days)

    need_rows = routed_needs(start=start, end=min(end, as_of))
    for row in need_rows.values(*NEED_FIELDS):
        card = cards.get(row["provider_id"])
        if card is None:
            continue
        nfacts = classify_need(row, as_of)
        card.needs_routed += 1
        card.needs_answered_in_time += nfacts.in_time
        card.needs_new_resource += nfacts.new_resource

    for pk, figures in availability_by_provider(
        max_level=max_level,
        first=timezone.localdate(start),
        last=timezone.localdate(min(end, as_of)),
    ).items():
        if pk in cards:
            card = cards[pk]
            card.interface_calls, card.interface_failed = figures.calls, figures.failed
            card.interface_p95 = figures.p95

    for pk, (agreeing, conflicting) in consistency_by_department(max_level=max_level).items():
        if pk in cards:
            cards[pk].values_agreeing, cards[pk].values_conflicting = agreeing, conflicting

    for pk, card in cards.items():
        card.median_answer_days = median_or_none(answer_days[pk])
        card.median_correction_days = median_or_none(correction_days[pk])
        score(card)
    ranked = sorted(cards.values(), key=lambda c: (-c.overall, c.department.name))
    for position, card in enumerate(ranked, 1):
        card.rank = position
    return ranked


def scorecards_run(*, user: User, period: Period, now: datetime | None = None) -> FiguresRun:
    """Return the stored figures of every department, for the coordinator only."""
    from .figures import stored_run

    if not can_view_city_evaluation(user):
        raise PermissionDenied(_("Only the platform coordinator sees every scorecard."))
    return stored_run(period=period, max_level=user.clearance, now=now)


def scorecards_for(*, user: User, period: Period, now: datetime | None = None) -> list[Scorecard]:
    """Return the ranking of every department, for the coordinator only (stored figures)."""
    from .figures import run_cards

    return run_cards(scorecards_run(user=user, period=period, now=now))


def scorecard_get(
    *, user: User, period: Period, department_id: int, now: datetime | None = None
) -> Scorecard:
    """Return one department's scorecard, with its rank, if the user may see it."""
    from .figures import run_card, stored_run

    department = Department.objects.filter(pk=department_id, is_active=True).first()
    if department is None or not can_view_scorecard(user, department):
        raise ObjectDoesNotExist
    card = run_card(stored_run(period=period, max_level=user.clearance, now=now), department_id)
    if card is None:
        raise ObjectDoesNotExist
    return card


def city_totals(cards: list[Scorecard]) -> dict[str, Any]:
    """Return the city-wide sums of the countable figures."""
    keys = [
        "resources_published",
        "items_published",
        "resources_waiting",
        "resources_expired",
        "freshness_scope",
        "fresh_on_time",
        "fresh_late",
        "fresh_missing",
        "requests_received",
        "requests_in_time",
        "requests_overdue",
        "rejections_unfounded",
        "corrections_filed",
        "corrections_open",
        "corrections_overdue",
        "needs_routed",
        "needs_answered_in_time",
        "needs_new_resource",
        "reads",
    ]
    return {key: sum(getattr(card, key) for card in cards) for key in keys}
