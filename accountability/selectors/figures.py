"""Reading the stored evaluation figures (``FiguresRun``), computing a run only when missing.

The dashboard, a scorecard and the report read one run of the period at the viewer's
clearance: one row per department, the city's totals and the most requested resources, never
the city's requests and resources. Runs are refreshed off the request path after writes
(accountability.services ``figures_schedule_refresh``, ``figures_refresh_due``) and nightly
(``manage.py figures_refresh``); with ``PORTAL_FIGURES_REFRESH_ON_READ`` (tests, a demo on
SQLite) a run that a recomputation would not reproduce is recomputed when read.
"""

from __future__ import annotations

from dataclasses import fields
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from accounts.models import User
from audit.models import AuditEvent
from catalog.models import Resource

from ..models import DepartmentFigures, FiguresRun
from ..periods import Period
from ..rules import score_weights
from .scorecards import Scorecard, score

# The Scorecard fields a run stores per department; the rest are derived when read.
DERIVED = {"department", "scores", "overall", "rank"}
STORED_FIELDS = tuple(f.name for f in fields(Scorecard) if f.name not in DERIVED)


def refresh_on_read() -> bool:
    return bool(getattr(settings, "PORTAL_FIGURES_REFRESH_ON_READ", False))


def audit_head() -> int:
    """Return the audit trail's last sequence number (0 for an empty trail): the watermark."""
    return AuditEvent.objects.aggregate(head=Max("sequence"))["head"] or 0


def figures_of(card: Scorecard) -> dict[str, Any]:
    """Return what a run stores of a scorecard."""
    return {name: getattr(card, name) for name in STORED_FIELDS}


def is_current(run: FiguresRun, period: Period, now: datetime | None = None) -> bool:
    """Return whether the run stands for the period's figures now.

    It does if no audited write happened since it was computed and it was evaluated where
    the period is evaluated now: at the end of a finished period; for a running one, on the
    same day (deadlines count in days; the worker refreshes due runs after writes and daily).
    """
    if run.watermark != audit_head():
        return False
    as_of = period.as_of(now)
    if as_of >= period.end_at:
        return run.as_of == as_of
    return run.as_of < period.end_at and timezone.localdate(run.as_of) == timezone.localdate(as_of)


def stored_run(*, period: Period, max_level: int, now: datetime | None = None) -> FiguresRun:
    """Return the period's stored run at the clearance, computing it if there is none."""
    from ..services import figures_refresh

    run = FiguresRun.objects.filter(period_key=period.key, max_level=max_level).first()
    if run is None or (refresh_on_read() and not is_current(run, period, now)):
        run = figures_refresh(period=period, max_level=max_level, now=now)
    return run


def stored_runs(
    *, periods: list[Period], max_level: int, now: datetime | None = None
) -> dict[str, FiguresRun]:
    """Return the stored runs of several periods by key (the trend's months).

    With refresh on read, missing or outdated runs are computed here. Otherwise a missing
    month is left out and a refresh is queued: computing twelve months of the city on one
    request (about 3 s each at city scale) would outlast the web server's timeout.
    """
    from ..services import figures_want

    runs = {
        run.period_key: run
        for run in FiguresRun.objects.filter(
            period_key__in=[p.key for p in periods], max_level=max_level
        )
    }
    if not refresh_on_read():
        missing = [period for period in periods if period.key not in runs]
        if missing:
            figures_want(periods=missing, max_level=max_level)
        return runs
    for period in periods:
        run = runs.get(period.key)
        if run is None or not is_current(run, period, now):
            runs[period.key] = stored_run(period=period, max_level=max_level, now=now)
    return runs


def _card(row: DepartmentFigures) -> Scorecard:
    card = Scorecard(department=row.department, **row.figures)
    score(card)
    card.rank = row.rank
    return card


def run_cards(run: FiguresRun) -> list[Scorecard]:
    """Return every department's scorecard of the run, ranked (one query)."""
    rows = (
        DepartmentFigures.objects.filter(run=run)
        .select_related("department")
        .order_by("rank", "department__name")
    )
    return [_card(row) for row in rows]


def run_fragment_key(run: FiguresRun) -> str:
    """Return a key naming what a run renders: a refresh or new weights change it."""
    weights = ",".join(f"{k}={v:g}" for k, v in sorted(score_weights().items()))
    return f"{run.pk}:{run.generation}:{weights}"


def run_top(run: FiguresRun, limit: int) -> list[Scorecard]:
    """Return the run's first ``limit`` departments by rank (one query)."""
    rows = (
        DepartmentFigures.objects.filter(run=run)
        .select_related("department")
        .order_by("rank", "department__name")[:limit]
    )
    return [_card(row) for row in rows]


def run_card(run: FiguresRun, department_id: int) -> Scorecard | None:
    """Return one department's scorecard of the run, or None if the run has none for it."""
    row = (
        DepartmentFigures.objects.filter(run=run, department_id=department_id)
        .select_related("department")
        .first()
    )
    return _card(row) if row is not None else None


def run_most_requested(run: FiguresRun) -> list[Resource]:
    """Return the run's most requested resources, in rank order, with their line counts."""
    counts = {int(pk): n for pk, n in run.most_requested}
    found = (
        Resource.objects.select_related("provider")
        .filter(level__lte=run.max_level)
        .in_bulk(list(counts))
    )
    ranked = []
    for pk, n in counts.items():
        resource = found.get(pk)
        if resource is not None:
            resource.request_count = n  # type: ignore[attr-defined]
            ranked.append(resource)
    return ranked


def evaluated_at(*, user: User, period: Period) -> datetime | None:
    """Return when the viewer's stored figures of a running period were computed.

    None once the period has ended (its figures are final) or if none are stored yet.
    """
    as_of = (
        FiguresRun.objects.filter(period_key=period.key, max_level=user.clearance)
        .values_list("as_of", flat=True)
        .first()
    )
    return as_of if as_of is not None and as_of < period.end_at else None
