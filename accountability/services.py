"""Writes of the accountability app: importing service items from a workbook."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Department, Role, User
from audit.services import record
from catalog.excel import Problem, SheetRow
from catalog.models import DataItem, Resource
from catalog.selectors import resources_visible_to
from datasets.masking import mask, mask_detected, masker_for
from datasets.models import DatasetVersion
from kernel.policies import require
from sharing.models import Correction, Notification
from sharing.selectors import people_with_role
from sharing.services import correction_file, notify

from .comparison import Side, compare
from .excel import KIND_TERMS, SERVICE_COLUMNS, SERVICE_SHEET
from .models import (
    ComparisonRun,
    DepartmentFigures,
    DuplicateGroupRow,
    DuplicateReport,
    FiguresRun,
    ItemLink,
    ServiceItem,
    ServiceMaterial,
)
from .periods import Period, clock, current_period, parse_period
from .policies import (
    can_import_service_items,
    can_manage_item_links,
    can_name_link_item,
    can_open_conflict_correction,
    can_see_link_item,
)
from .selectors.dashboard import most_requested_rows, trend_months
from .selectors.duplicates import (
    COLLECTORS_STORED,
    DuplicateGroup,
    duplicate_groups_compute,
    report_is_current,
)
from .selectors.figures import audit_head, figures_of, refresh_on_read
from .selectors.scorecards import Scorecard, city_totals, scorecards_compute

HEADERS = dict(SERVICE_COLUMNS)
_CODE_SPLIT = re.compile(r"[\s,，、;；]+")


@dataclass
class PlannedItem:
    """A service item as the workbook describes it, checked and ready to store."""

    code: str
    name: str
    kind: str
    department: Department
    row: int
    materials: list[tuple[str, int | None, str]] = field(default_factory=list)
    produces: dict[int, str] = field(default_factory=dict)


def _problem(row: SheetRow, key: str, message: str) -> Problem:
    return Problem(SERVICE_SHEET, row.number, HEADERS[key], message)


def service_items_plan(
    *, actor: User, rows: Sequence[SheetRow]
) -> tuple[list[PlannedItem], list[Problem]]:
    """Check the rows of a service-item workbook; return the items to store and every problem.

    One row per required material; the item's columns repeat on each of its rows (the first
    row's name, kind and department count, later rows may leave them empty or must agree).
    Resource codes are looked up among the resources the importer may see, so a code above
    their clearance is "unknown", like one that does not exist.
    """
    if not can_import_service_items(actor):
        raise PermissionDenied(_("Only the platform coordinator imports service items."))
    problems: list[Problem] = []
    departments: dict[str, Department] = {}
    for candidate in Department.objects.filter(is_active=True):
        for key in (candidate.name, candidate.short_name, candidate.uscc):
            departments.setdefault(key, candidate)
    codes: set[str] = set()
    for row in rows:
        codes.update(c for c in _CODE_SPLIT.split(row.get("resource_code")) if c)
        codes.update(c for c in _CODE_SPLIT.split(row.get("produces")) if c)
    resources = dict(
        resources_visible_to(user=actor).filter(Q(code__in=codes)).values_list("code", "pk")
    )
    planned: dict[str, PlannedItem] = {}
    for row in rows:
        code = row.get("code")
        if not code:
            problems.append(_problem(row, "code", _("Enter the item code.")))
            continue
        item = planned.get(code)
        department = departments.get(row.get("department"))
        kind_text = row.get("kind")
        if kind_text and kind_text not in KIND_TERMS:
            problems.append(
                _problem(
                    row,
                    "kind",
                    _("Unknown kind “%(value)s”; write one of %(terms)s.")
                    % {"value": kind_text, "terms": "、".join(KIND_TERMS)},
                )
            )
        if row.get("department") and department is None:
            problems.append(
                _problem(
                    row,
                    "department",
                    _("No department is called “%(value)s”; write its full name or USCC.")
                    % {"value": row.get("department")},
                )
            )
        if item is None:
            if not row.get("name"):
                problems.append(_problem(row, "name", _("Enter the item name.")))
            elif len(row.get("name")) > 200:
                problems.append(_problem(row, "name", _("The name is longer than 200 characters.")))
            if not row.get("department"):
                problems.append(_problem(row, "department", _("Enter the handling department.")))
            if department is None or not row.get("name"):
                continue
            item = planned[code] = PlannedItem(
                code=code[:40],
                name=row.get("name"),
                kind=KIND_TERMS.get(kind_text, ServiceItem.Kind.SERVICE),
                department=department,
                row=row.number,
            )
        elif department is not None and department != item.department:
            problems.append(
                _problem(
                    row,
                    "department",
                    _("Item %(code)s is handled by %(department)s on row %(row)s.")
                    % {"code": code, "department": item.department.name, "row": item.row},
                )
            )
        material = row.get("material")
        if material:
            if any(name == material for name, _pk, _c in item.materials):
                problems.append(
                    _problem(row, "material", _("This material is listed twice for the item."))
                )
            resource_code = row.get("resource_code")
            if resource_code and resource_code not in resources:
                problems.append(
                    _problem(
                        row,
                        "resource_code",
                        _("No resource has the code “%(code)s”.") % {"code": resource_code},
                    )
                )
            item.materials.append((material[:200], resources.get(resource_code), resource_code))
        elif row.get("resource_code"):
            problems.append(
                _problem(row, "material", _("Name the material the resource code belongs to."))
            )
        for produced in (c for c in _CODE_SPLIT.split(row.get("produces")) if c):
            if produced not in resources:
                problems.append(
                    _problem(
                        row,
                        "produces",
                        _("No resource has the code “%(code)s”.") % {"code": produced},
                    )
                )
            else:
                item.produces[resources[produced]] = produced
    return list(planned.values()), problems


@transaction.atomic
def service_items_import(*, actor: User, rows: Sequence[SheetRow]) -> list[ServiceItem]:
    """Store the workbook's service items, all or none; an existing code is replaced."""
    planned, problems = service_items_plan(actor=actor, rows=rows)
    if problems:
        raise ValidationError([p.message for p in problems])
    stored = []
    for plan in planned:
        item, _created = ServiceItem.objects.update_or_create(
            code=plan.code,
            defaults={"name": plan.name, "kind": plan.kind, "department": plan.department},
        )
        item.materials.all().delete()
        ServiceMaterial.objects.bulk_create(
            ServiceMaterial(item=item, position=index, name=name, resource_id=resource_id)
            for index, (name, resource_id, _code) in enumerate(plan.materials)
        )
        item.produces.set(list(plan.produces))
        item.full_clean()
        stored.append(item)
    record(
        actor=actor,
        action="service_item.import",
        details={"codes": [item.code for item in stored], "count": len(stored)},
    )
    return stored


# --- item links and comparisons --------------------------------------------------------------


def _check_side(actor: User, resource: Resource, key: DataItem, item: DataItem, side: str) -> None:
    visible = resources_visible_to(user=actor).filter(pk=resource.pk).exists()
    errors = {}
    if not visible or resource.status != Resource.Status.PUBLISHED:
        errors[f"{side}_item"] = _("Choose a data item of a published resource you can see.")
    for field_name, candidate in (("key", key), ("item", item)):
        if candidate.resource_id != resource.pk or not can_name_link_item(actor, candidate):
            errors[f"{side}_{field_name}"] = _("Choose a data item of this resource.")
    if key.pk == item.pk:
        errors[f"{side}_item"] = _("The compared item cannot be the key item.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def item_link_create(
    *,
    actor: User,
    left_key: DataItem,
    left_item: DataItem,
    right_key: DataItem,
    right_item: DataItem,
    authoritative: str,
) -> ItemLink:
    """Link two departments' items as the same data, and queue their first comparison."""
    require(
        actor, can_manage_item_links, message=_("Only the platform coordinator links data items.")
    )
    left, right = left_item.resource, right_item.resource
    if left.provider_id == right.provider_id:
        raise ValidationError(_("Link items of two different departments."))
    _check_side(actor, left, left_key, left_item, "left")
    _check_side(actor, right, right_key, right_item, "right")
    if authoritative not in ItemLink.Side.values:
        raise ValidationError({"authoritative": _("Choose the authoritative side.")})
    if ItemLink.objects.filter(
        Q(left_item=left_item, right_item=right_item)
        | Q(left_item=right_item, right_item=left_item)
    ).exists():
        raise ValidationError(_("These two items are linked already."))
    link = ItemLink.objects.create(
        left_resource=left,
        left_key=left_key,
        left_item=left_item,
        right_resource=right,
        right_key=right_key,
        right_item=right_item,
        authoritative=authoritative,
        created_by=actor,
    )
    record(
        actor=actor,
        action="item_link.create",
        obj=link,
        details={
            "left": [left.pk, left_key.pk, left_item.pk],
            "right": [right.pk, right_key.pk, right_item.pk],
            "authoritative": authoritative,
        },
    )
    _queue(link, trigger=ComparisonRun.Trigger.DEMAND, actor=actor)
    return link


@transaction.atomic
def item_link_delete(*, actor: User, link: ItemLink) -> None:
    """Remove a link with its comparisons (corrections already sent stay)."""
    require(
        actor, can_manage_item_links, message=_("Only the platform coordinator links data items.")
    )
    record(
        actor=actor,
        action="item_link.delete",
        obj=link,
        details={"left_item": link.left_item_id, "right_item": link.right_item_id},
    )
    link.delete()


def _queue(link: ItemLink, *, trigger: str, actor: User | None) -> ComparisonRun:
    """Create a queued run (or return the one already waiting) and enqueue it on commit."""
    waiting = link.runs.filter(status=ComparisonRun.Status.QUEUED).first()
    if waiting is not None:
        return waiting
    run = ComparisonRun.objects.create(link=link, trigger=trigger, requested_by=actor)

    def enqueue() -> None:
        from .tasks import comparison_run_task

        comparison_run_task.enqueue(run_id=run.pk)

    transaction.on_commit(enqueue)
    return run


@transaction.atomic
def comparison_request(*, actor: User, link: ItemLink) -> ComparisonRun:
    """Ask the worker to compare the link now (the coordinator's button)."""
    require(
        actor, can_manage_item_links, message=_("Only the platform coordinator runs comparisons.")
    )
    run = _queue(link, trigger=ComparisonRun.Trigger.DEMAND, actor=actor)
    record(actor=actor, action="item_link.compare", obj=link, details={"run": run.pk})
    return run


def on_version_activated(sender: Any, version: DatasetVersion, actor: User | None, **kwargs: Any):
    """Receiver of ``datasets.signals.version_activated``: queue the resource's links."""
    links = ItemLink.objects.filter(
        Q(left_resource_id=version.resource_id) | Q(right_resource_id=version.resource_id)
    )
    for link in links:
        _queue(link, trigger=ComparisonRun.Trigger.ACTIVATION, actor=actor)


def _position(version: DatasetVersion, item: DataItem) -> int:
    try:
        return list(version.columns).index(item.name)
    except ValueError:
        raise ValidationError(
            _("The data of %(resource)s has no column “%(item)s”; upload it again.")
            % {"resource": version.resource_id, "item": item.name}
        ) from None


def comparison_run(*, run_id: int) -> ComparisonRun | None:
    """Compare the link's two ACTIVE versions and store the counts (run by the task worker)."""
    with transaction.atomic():
        run = (
            ComparisonRun.objects.select_for_update()
            .select_related(
                "link__left_key",
                "link__left_item",
                "link__right_key",
                "link__right_item",
                "link__left_resource__provider",
                "link__right_resource__provider",
            )
            .filter(pk=run_id, status=ComparisonRun.Status.QUEUED)
            .first()
        )
        if run is None:
            return None
        link = run.link
        active = {
            v.resource_id: v
            for v in DatasetVersion.objects.filter(
                resource_id__in=[link.left_resource_id, link.right_resource_id],
                status=DatasetVersion.Status.ACTIVE,
            )
        }
        left, right = active.get(link.left_resource_id), active.get(link.right_resource_id)
        run.left_version, run.right_version = left, right
        try:
            if left is None or right is None:
                raise ValidationError(_("One side has no data yet."))
            counts = compare(
                Side(left.pk, _position(left, link.left_key), _position(left, link.left_item)),
                Side(right.pk, _position(right, link.right_key), _position(right, link.right_item)),
            )
        except ValidationError as exc:
            run.status = ComparisonRun.Status.FAILED
            run.error = " ".join(exc.messages)
        else:
            run.status = ComparisonRun.Status.DONE
            run.matched, run.agreements = counts.matched, counts.agreements
            run.conflicts, run.gaps = counts.conflicts, counts.gaps
            run.conflict_rows = counts.conflict_rows
        run.finished_at = timezone.now()
        run.save()
        if run.status == ComparisonRun.Status.DONE:
            previous = (
                ComparisonRun.objects.filter(link=link, pk=link.last_run_id or 0)
                .values_list("conflicts", flat=True)
                .first()
            )
            ItemLink.objects.filter(pk=link.pk).update(last_run=run)
            if run.conflicts > (previous or 0):
                _conflicts_notify(link, run, previous or 0)
        record(
            actor=None,
            action="item_link.compared",
            obj=link,
            details={
                "run": run.pk,
                "status": run.status,
                "matched": run.matched,
                "conflicts": run.conflicts,
            },
        )
    return run


def _conflicts_notify(link: ItemLink, run: ComparisonRun, previous: int) -> None:
    """Tell both owners' editors and approvers that a comparison found new conflicts.

    Each side hears of its own resource and item and of the other side's department only (the
    other resource may lie above their clearance), if cleared for its own resource and item,
    and at most once a run (a department owning both sides gets one notice a person).
    """
    told: set[int] = set()
    sides = (
        (link.left_resource, link.left_item, link.right_resource),
        (link.right_resource, link.right_item, link.left_resource),
    )
    for own, item, other in sides:
        people = [
            u
            for u in people_with_role(own.provider_id, Role.EDITOR, Role.APPROVER)
            if u.pk not in told
        ]
        sent = notify(
            people,
            kind=Notification.Kind.CONFLICTS_FOUND,
            url=reverse("accountability:conflict_detail", args=[link.pk]),
            min_clearance=max(own.level, item.level),
            resource=own.name,
            item=item.name,
            department=other.provider.name,
            conflicts=run.conflicts,
            previous=previous,
        )
        told.update(n.recipient_id for n in sent)


def conflict_correction_open(*, actor: User, link: ItemLink, index: int) -> Correction:
    """Send one conflict of the link's last run to the non-authoritative side as a correction.

    The key is quoted masked; each value only where the actor may see its item.
    """
    require(
        actor,
        can_open_conflict_correction,
        link,
        message=_("Only the authoritative department sends conflicts as corrections."),
    )
    run = link.last_run
    rows = run.conflict_rows if run is not None else []
    if run is None or not 0 <= index < len(rows):
        raise ValidationError(_("This conflict is no longer in the last comparison."))
    key, left_value, right_value = rows[index]
    if link.authoritative == ItemLink.Side.LEFT:
        target, target_item, good_item = link.right_resource, link.right_item, link.left_item
        good, wrong = left_value, right_value
        good_resource = link.left_resource
    else:
        target, target_item, good_item = link.left_resource, link.left_item, link.right_item
        good, wrong = right_value, left_value
        good_resource = link.right_resource
    hidden = _("(above your clearance)")
    shown_key = mask_key(link, key)
    description = _(
        "A comparison with %(source)s found a different value of “%(item)s” for the key "
        "%(key)s: yours is %(wrong)s, the authoritative source holds %(good)s."
    ) % {
        "source": good_resource.name,
        "item": target_item.name,
        "key": shown_key,
        "wrong": wrong if can_see_link_item(actor, target, target_item) else hidden,
        "good": good if can_see_link_item(actor, good_resource, good_item) else hidden,
    }
    item = target_item if can_see_link_item(actor, target, target_item) else None
    with transaction.atomic():
        correction = correction_file(
            actor=actor,
            resource=target,
            item=item,
            description=description,
            evidence=_("Item link %(link)s, comparison %(run)s.")
            % {"link": link.pk, "run": run.pk},
            from_comparison=True,
        )
        record(
            actor=actor,
            action="item_link.correction",
            obj=link,
            details={"run": run.pk, "correction": correction.pk, "key": shown_key},
        )
    return correction


def mask_key(link: ItemLink, key: str) -> str:
    """Return the key as conflict lists and corrections show it: masked by its item's kind, and
    by its shape when the kind has no rule (``datasets.masking``)."""
    masker = masker_for(link.left_key.kind) or masker_for(link.right_key.kind)
    masked = masker(key) if masker is not None else mask_detected(key)
    if masked == key:
        # A key is never shown whole: keep the rule of an ID number for any other shape.
        masked = mask(key, 6, 4)
    return masked or ""


# --- stored evaluation figures ------------------------------------------------------------
# Pages read a period's figures from a stored run (accountability.selectors.figures); these
# functions compute and store runs, refresh them after writes and check them against a
# recomputation. A run is derived data, like a cache: no audit event of its own.

REFRESH_QUEUED_KEY = "accountability:figures:refresh-queued"
# Runs a page found missing (period key, clearance), for the next refresh to compute; a wish
# lost to a race between two processes is made again by the next view of that page.
WANTED_RUNS_KEY = "accountability:figures:wanted"
WANTED_RUNS_MAX = 500
# Audit actions that cannot change any figure: sign-in, accounts, tokens, the trail's screens.
FIGURE_NEUTRAL_ACTIONS = (
    "login.",
    "logout",
    "otp.",
    "password.",
    "user.",
    "role.",
    "api_token.",
    "token.",
    "audit.",
    "synonyms.",
    "code_list.",
    "webhook.",
)


@dataclass(frozen=True)
class FiguresDifference:
    """A stored figure a recomputation at the same instant does not reproduce."""

    run: FiguresRun
    department: str  # the department's name, or "" for a city-wide figure
    figure: str
    stored: Any
    recomputed: Any


def _computed(
    period: Period, max_level: int, now: datetime | None
) -> tuple[datetime, list[Scorecard], dict[str, Any], list[list[int]]]:
    as_of = period.as_of(now)
    cards = scorecards_compute(max_level=max_level, period=period, now=now)
    top = most_requested_rows(max_level=max_level, period=period)
    return as_of, cards, city_totals(cards), top


def figures_refresh(*, period: Period, max_level: int, now: datetime | None = None) -> FiguresRun:
    """Compute the period's figures at the clearance and store them in place of the last run.

    The watermark is read before computing: a write that commits meanwhile leaves the run
    behind the trail's head, so it is refreshed again rather than taken as current.
    """
    watermark = audit_head()
    computed_at = clock()
    as_of, cards, totals, top = _computed(period, max_level, now)
    try:
        with transaction.atomic():
            # The run keeps its row and its rows are replaced in one transaction, so a page
            # that read the run a moment before reads its old rows or its new ones, never none.
            run = (
                FiguresRun.objects.select_for_update()
                .filter(period_key=period.key, max_level=max_level)
                .first()
            ) or FiguresRun(period_key=period.key, max_level=max_level)
            run.as_of, run.computed_at, run.watermark = as_of, computed_at, watermark
            run.totals, run.most_requested = totals, top
            run.generation += 1
            run.save()
            DepartmentFigures.objects.filter(run=run).delete()
            DepartmentFigures.objects.bulk_create(
                DepartmentFigures(
                    run=run,
                    department=card.department,
                    rank=card.rank,
                    overall=card.overall,
                    figures=_jsonable(figures_of(card)),
                )
                for card in cards
            )
    except IntegrityError:
        # Another process stored the same run meanwhile: theirs is as recent as this one.
        return FiguresRun.objects.get(period_key=period.key, max_level=max_level)
    return run


def _jsonable(figures: dict[str, Any]) -> dict[str, Any]:
    return {k: (round(v, 6) if isinstance(v, float) else v) for k, v in figures.items()}


def _is_open(run: FiguresRun) -> bool:
    """Return whether the run's period had not ended when it was evaluated."""
    return run.as_of < parse_period(run.period_key).end_at


def coordinator_clearances() -> set[int]:
    """Return the clearances of the active coordinators (who read the city's evaluation)."""
    return set(
        User.objects.filter(is_active=True, role_assignments__role=Role.COORDINATOR)
        .values_list("clearance", flat=True)
        .distinct()
    )


def figures_want(*, periods: Sequence[Period], max_level: int) -> None:
    """Ask the next refresh to compute these periods' runs at this clearance, and queue it."""
    wanted = set(cache.get(WANTED_RUNS_KEY) or ())
    wanted.update((period.key, max_level) for period in periods)
    cache.set(WANTED_RUNS_KEY, sorted(wanted)[:WANTED_RUNS_MAX], timeout=None)
    figures_schedule_refresh()


def figures_wanted_take() -> list[tuple[str, int]]:
    """Return the runs pages asked for, and forget them (the task computes them)."""
    wanted = cache.get(WANTED_RUNS_KEY) or []
    cache.delete(WANTED_RUNS_KEY)
    return [(str(key), int(level)) for key, level in wanted]


def figures_refresh_due(
    *,
    now: datetime | None = None,
    levels: Sequence[int] = (),
    wanted_runs: Sequence[tuple[str, int]] = (),
) -> list[str]:
    """Refresh the runs a recomputation would change; return what was refreshed.

    Due: a run of a period still running when it was computed, if an audited write happened
    since or it was evaluated on an earlier day (deadlines and update cycles move with the
    date). The current year, quarter and month, and the twelve months of the trend, are
    computed for every clearance that has a run, every active coordinator's clearance and
    ``levels``, if they are missing; so are ``wanted_runs`` (period key, clearance), the runs
    pages found missing (a past period's trend, a clearance nobody had read).
    """
    now = now or clock()
    head = audit_head()
    today = timezone.localdate(now)
    runs = list(FiguresRun.objects.all())
    # The coordinators' clearances always: their dashboards read the current periods.
    wanted_levels = {*levels, *coordinator_clearances()}
    refreshed = []
    for run in runs:
        if _is_open(run) and (run.watermark != head or timezone.localdate(run.as_of) != today):
            figures_refresh(period=parse_period(run.period_key), max_level=run.max_level, now=now)
            refreshed.append(f"{run.period_key} L{run.max_level}")
    stored = {(run.period_key, run.max_level) for run in runs}
    year = current_period(today)
    wanted = [year, *[p for p in year.months() if p.start <= today]]
    quarter = (today.month - 1) // 3 + 1
    wanted.append(parse_period(f"{today.year}-Q{quarter}"))
    wanted.extend(trend_months(year))
    for level in sorted({run.max_level for run in runs} | wanted_levels):
        for period in dict.fromkeys(wanted):
            if (period.key, level) not in stored:
                figures_refresh(period=period, max_level=level, now=now)
                stored.add((period.key, level))
                refreshed.append(f"{period.key} L{level}")
    for key, level in wanted_runs:
        if (key, level) not in stored:
            figures_refresh(period=parse_period(key), max_level=level, now=now)
            stored.add((key, level))
            refreshed.append(f"{key} L{level}")
    return refreshed


def figures_check() -> list[FiguresDifference]:
    """Recompute every run no audited write has followed, at its own instant; return differences.

    Such a run must be reproduced exactly: a difference means a figure changed without an
    audited write (a write path that bypasses the services), and the operators are told.
    Runs behind the trail's head are due for a refresh instead and are not compared.
    """
    head = audit_head()
    differences = []
    for run in FiguresRun.objects.filter(watermark=head).order_by("period_key", "max_level"):
        period = parse_period(run.period_key)
        _as_of, cards, totals, top = _computed(period, run.max_level, run.as_of)
        stored = {
            row.department_id: row
            for row in DepartmentFigures.objects.filter(run=run).select_related("department")
        }
        for card in cards:
            row = stored.pop(card.department.pk, None)
            fresh = _jsonable(figures_of(card))
            if row is None:
                differences.append(FiguresDifference(run, card.department.name, "*", None, "row"))
                continue
            for key, value in fresh.items():
                if row.figures.get(key) != value:
                    differences.append(
                        FiguresDifference(
                            run, card.department.name, key, row.figures.get(key), value
                        )
                    )
            if row.rank != card.rank:
                differences.append(
                    FiguresDifference(run, card.department.name, "rank", row.rank, card.rank)
                )
        for row in stored.values():
            differences.append(FiguresDifference(run, row.department.name, "*", "row", None))
        for key, value in totals.items():
            if run.totals.get(key) != value:
                differences.append(FiguresDifference(run, "", key, run.totals.get(key), value))
        if run.most_requested != top:
            differences.append(
                FiguresDifference(run, "", "most_requested", run.most_requested, top)
            )
    return differences


# --- the stored duplicate-collection report ------------------------------------------------


@dataclass(frozen=True)
class DuplicatesDifference:
    """A stored duplicate group a recomputation at the same instant does not reproduce."""

    report: DuplicateReport
    position: int
    stored: Any
    recomputed: Any


_GROUP_FIELDS = ("key", "data_type", "names", "department_count", "resource_count", "collectors")


def _stored_group(group: DuplicateGroup) -> dict[str, Any]:
    return {
        "key": group.key,
        "data_type": group.data_type,
        "names": group.names,
        "department_count": group.department_count,
        "resource_count": group.resource_count,
        "collectors": [c.stored() for c in group.collectors[:COLLECTORS_STORED]],
    }


def duplicates_refresh(*, max_level: int) -> DuplicateReport:
    """Compute the duplicate report at the clearance and store it in place of the last one.

    As for the figures, the watermark is read before computing and the groups are replaced in
    one transaction, so a page reads the old groups or the new ones, never none.
    """
    watermark = audit_head()
    computed_at = clock()
    groups = duplicate_groups_compute(max_level=max_level, now=computed_at)
    try:
        with transaction.atomic():
            report = (
                DuplicateReport.objects.select_for_update().filter(max_level=max_level).first()
            ) or DuplicateReport(max_level=max_level)
            report.computed_at, report.watermark = computed_at, watermark
            report.generation += 1
            report.save()
            DuplicateGroupRow.objects.filter(report=report).delete()
            DuplicateGroupRow.objects.bulk_create(
                (
                    DuplicateGroupRow(report=report, position=position, **_stored_group(group))
                    for position, group in enumerate(groups, start=1)
                ),
                batch_size=500,
            )
    except IntegrityError:
        # Another process stored the same clearance's report meanwhile: as recent as this one.
        return DuplicateReport.objects.get(max_level=max_level)
    return report


def duplicates_refresh_due(*, levels: Sequence[int] = (), now: datetime | None = None) -> list[str]:
    """Refresh the stored duplicate reports an audited write or a new day made outdated.

    The coordinators' clearances and ``levels`` are computed if missing; a clearance no active
    coordinator holds any more is dropped. Return the clearances refreshed ("L3").
    """
    now = now or clock()
    wanted = {*levels, *coordinator_clearances()}
    refreshed = []
    for report in DuplicateReport.objects.all():
        if report.max_level not in wanted:
            report.delete()
        elif not report_is_current(report, now):
            duplicates_refresh(max_level=report.max_level)
            refreshed.append(f"L{report.max_level}")
        wanted.discard(report.max_level)
    for level in sorted(wanted):
        duplicates_refresh(max_level=level)
        refreshed.append(f"L{level}")
    return refreshed


def duplicates_check() -> list[DuplicatesDifference]:
    """Recompute every stored report no audited write has followed, at its own instant.

    A difference means the catalog or the grants changed without an audited write.
    """
    head = audit_head()
    differences = []
    for report in DuplicateReport.objects.filter(watermark=head).order_by("max_level"):
        fresh = [
            _stored_group(group)
            for group in duplicate_groups_compute(
                max_level=report.max_level, now=report.computed_at
            )
        ]
        stored = [
            {name: getattr(row, name) for name in _GROUP_FIELDS}
            for row in DuplicateGroupRow.objects.filter(report=report).order_by("position")
        ]
        for position in range(max(len(fresh), len(stored))):
            old = stored[position] if position < len(stored) else None
            new = fresh[position] if position < len(fresh) else None
            if old != new:
                differences.append(DuplicatesDifference(report, position + 1, old, new))
    return differences


def figures_schedule_refresh() -> None:
    """Queue one refresh of the due runs, a little later, unless one is queued already.

    Called once per transaction that appended a figure-changing audit event, after it
    commits. The delay gathers a burst of writes into one refresh; the task clears the mark
    when it starts, so a write during a refresh queues the next one.
    """
    from .tasks import figures_refresh_task

    delay = int(getattr(settings, "PORTAL_FIGURES_REFRESH_DELAY", 300))
    if not cache.add(REFRESH_QUEUED_KEY, 1, timeout=delay + 600):
        return
    task = figures_refresh_task
    if task.get_backend().supports_defer:
        task = task.using(run_after=timezone.now() + timedelta(seconds=delay))
    task.enqueue()


def on_event_recorded(sender: Any, action: str, **kwargs: Any) -> None:
    """After a figure-changing write commits, queue a refresh of the stored figures."""
    if refresh_on_read() or action.startswith(FIGURE_NEUTRAL_ACTIONS):
        return
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(
        func is figures_schedule_refresh for _sids, func, _robust in connection.run_on_commit
    ):
        return
    transaction.on_commit(figures_schedule_refresh)
