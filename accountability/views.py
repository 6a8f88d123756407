"""Pages of the evaluation: dashboard, scorecards, report, drill-downs, duplicates, zombies.

Thin: parse the period, call a selector, render. What a user may not see is a 404.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from catalog.excel import SheetRow
from kernel.keyset import CappedPaginator
from sharing.views.common import AuthedRequest
from workcalendar.selectors import year_needing_schedule

from . import charts, excel, forms, periods, policies, services
from .forms import ServiceImportForm
from .periods import Period, PeriodError, current_period, parse_period
from .rules import CYCLE_LENGTHS, LEGAL_BASIS_MARKERS, score_weights, zombie_months
from .selectors import dashboard as dashboard_selectors
from .selectors import duplicates as duplicates_selectors
from .selectors import links as links_selectors
from .selectors.figures import (
    evaluated_at,
    run_cards,
    run_fragment_key,
    run_most_requested,
    run_top,
)
from .selectors.scorecards import COMPONENTS, scorecard_get, scorecards_run
from .selectors.service_items import (
    service_item_detail,
    service_item_get,
    service_items_list,
)
from .selectors.zombies import (
    unconfirmed_systems,
    zombie_cutoff,
    zombie_figures,
    zombie_systems,
)

PAGE_SIZE = 50
# The systems not re-confirmed shown beside the zombie report; the rest on their own page.
UNCONFIRMED_SHOWN = 20
# A stored run's rendered ranking, report table and workbook are kept this long; a refresh
# makes a new run, whose key differs (selectors.figures.run_fragment_key).
FRAGMENT_SECONDS = 24 * 3600
COMPONENT_LABELS = {
    "catalog": gettext_lazy("Catalog coverage"),
    "freshness": gettext_lazy("Data freshness"),
    "timeliness": gettext_lazy("Requests answered in time"),
    "corrections": gettext_lazy("Corrections answered in time"),
    "use": gettext_lazy("Use of its data"),
    "reuse": gettext_lazy("Use of others' data"),
    "consistency": gettext_lazy("Data consistency"),
}
IMPORT_SALT = "accountability.service_items.import"


def _period(request: AuthedRequest) -> tuple[Period, str]:
    """Return the period asked for (default: this year) and an error message if it was bad."""
    text = request.GET.get("period", "").strip()
    if not text:
        return current_period(), ""
    try:
        return parse_period(text), ""
    except PeriodError as exc:
        return current_period(), str(exc)


def _city_only(request: AuthedRequest) -> None:
    if not policies.can_view_city_evaluation(request.user):
        raise Http404


def _definitions() -> dict:
    return {
        "cycles": [(cycle.label, days, months) for cycle, (days, months) in _cycle_rows()],
        "markers": "、".join(LEGAL_BASIS_MARKERS),
        "weights": [(COMPONENT_LABELS[key], score_weights()[key]) for key in COMPONENTS],
    }


def _cycle_rows():
    from catalog.models import UpdateCycle

    return [(UpdateCycle(cycle), length) for cycle, length in CYCLE_LENGTHS.items()]


@login_required
def index(request: AuthedRequest) -> HttpResponse:
    """Send the coordinator to the dashboard and a department admin to their scorecard."""
    user = request.user
    if policies.can_view_city_evaluation(user):
        return redirect("accountability:dashboard")
    department = getattr(user, "department", None)
    if department is not None and policies.can_view_scorecard(user, department):
        return redirect("accountability:scorecard", pk=department.pk)
    raise Http404


@login_required
def dashboard(request: AuthedRequest) -> HttpResponse:
    """The coordinator's dashboard: ranking, trends, overdue items, most requested, no catalog.

    The ranking is rendered once per stored run and language (a cached fragment): its 500
    rows are read and rendered only when the run changes.
    """
    _city_only(request)
    period, error = _period(request)
    run = scorecards_run(user=request.user, period=period)
    cards = SimpleLazyObject(lambda: run_cards(run))
    trends = dashboard_selectors.trends_by_month(user=request.user, period=period)
    ranking_chart = SimpleLazyObject(
        lambda: charts.bar_chart(
            [
                (card.department.short_name or card.department.name, card.overall)
                for card in run_top(run, 15)
            ],
            title=_("Overall score by department"),
        )
    )
    trend_chart = charts.line_chart(
        [m.period.start for m in trends],
        [
            (_("Updated on cycle (%)"), [m.freshness_rate for m in trends]),
            (_("Requests answered in time (%)"), [m.in_time_rate for m in trends]),
        ],
        title=_("Trends by month"),
        maximum=100,
    )
    volume_chart = charts.line_chart(
        [m.period.start for m in trends],
        [
            (_("Requests received"), [float(m.requests_received) for m in trends]),
            (_("Corrections filed"), [float(m.corrections_filed) for m in trends]),
        ],
        title=_("Requests and corrections by month"),
        whole=True,
    )
    return render(
        request,
        "accountability/dashboard.html",
        {
            "period": period,
            "period_error": error,
            "evaluated_at": evaluated_at(user=request.user, period=period),
            "fragment_key": run_fragment_key(run),
            "cards": cards,
            "totals": run.totals,
            "trends": trends,
            "ranking_chart": ranking_chart,
            "trend_chart": trend_chart,
            "volume_chart": volume_chart,
            "most_requested": run_most_requested(run),
            "overdue_requests": dashboard_selectors.overdue_requests_now(user=request.user)[:20],
            "overdue_corrections": dashboard_selectors.overdue_corrections_now(user=request.user)[
                :20
            ],
            "no_catalog": SimpleLazyObject(lambda: [c for c in cards if not c.has_catalog]),
            # From 1 November: next year's working days are not official yet.
            "calendar_year": year_needing_schedule(timezone.localtime(periods.clock()).date()),
        },
    )


@login_required
def scorecard(request: AuthedRequest, pk: int) -> HttpResponse:
    """One department's scorecard with the definitions of every figure."""
    period, error = _period(request)
    try:
        card = scorecard_get(user=request.user, period=period, department_id=pk)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc
    return render(
        request,
        "accountability/scorecard.html",
        {
            "period": period,
            "period_error": error,
            "evaluated_at": evaluated_at(user=request.user, period=period),
            "card": card,
            "components": [(key, COMPONENT_LABELS[key], card.scores[key]) for key in COMPONENTS],
            "is_city": policies.can_view_city_evaluation(request.user),
            **_definitions(),
        },
    )


@login_required
def report(request: AuthedRequest) -> HttpResponse:
    """The printable evaluation report of a period (the same figures as the dashboard).

    Its table is rendered once per stored run and language (a cached fragment).
    """
    _city_only(request)
    period, error = _period(request)
    run = scorecards_run(user=request.user, period=period)
    columns = excel.report_columns()
    rows = SimpleLazyObject(
        lambda: [
            [excel.report_value(card, key) for key, _header in columns] for card in run_cards(run)
        ]
    )
    return render(
        request,
        "accountability/report.html",
        {
            "period": period,
            "period_error": error,
            "evaluated_at": evaluated_at(user=request.user, period=period),
            "fragment_key": run_fragment_key(run),
            "headers": [header for _key, header in columns],
            "rows": rows,
            **_definitions(),
        },
    )


@login_required
def report_xlsx(request: AuthedRequest) -> HttpResponse:
    """The evaluation report of a period as a workbook (made once per stored run and language)."""
    _city_only(request)
    period, error = _period(request)
    if error:
        raise Http404
    run = scorecards_run(user=request.user, period=period)
    content = cache.get_or_set(
        f"accountability:report.xlsx:{run_fragment_key(run)}:{get_language()}",
        lambda: excel.report_workbook(cards=run_cards(run), period_label=period.label),
        FRAGMENT_SECONDS,
    )
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="evaluation-{period.key}.xlsx"'
    return response


def _department_param(request: AuthedRequest) -> int | None:
    text = request.GET.get("department", "")
    if not text:
        return None
    if not text.isdigit():
        raise Http404
    return int(text)


@login_required
def request_drilldown(request: AuthedRequest) -> HttpResponse:
    """The requests behind one figure of a scorecard or of the dashboard."""
    period, error = _period(request)
    kind = request.GET.get("kind", "received")
    try:
        requests = dashboard_selectors.drilldown_requests(
            user=request.user, period=period, kind=kind, department_id=_department_param(request)
        )
    except (ObjectDoesNotExist, PermissionDenied) as exc:
        raise Http404 from exc
    # Counted up to a cap and classified a page at a time: a large department's period is
    # never read whole on one request.
    page = CappedPaginator(requests, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "accountability/request_drilldown.html",
        {"period": period, "period_error": error, "page_obj": page, "kind": kind},
    )


@login_required
def resource_drilldown(request: AuthedRequest) -> HttpResponse:
    """A department's resources behind one catalog or freshness figure."""
    period, error = _period(request)
    department_id = _department_param(request)
    if department_id is None:
        raise Http404
    try:
        resources = dashboard_selectors.drilldown_resources(
            user=request.user,
            period=period,
            kind=request.GET.get("kind", "published"),
            department_id=department_id,
        )
    except (ObjectDoesNotExist, PermissionDenied) as exc:
        raise Http404 from exc
    page = CappedPaginator(resources, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "accountability/resource_drilldown.html",
        {"period": period, "period_error": error, "page_obj": page},
    )


@login_required
def correction_drilldown(request: AuthedRequest) -> HttpResponse:
    """The corrections behind one figure."""
    period, error = _period(request)
    kind = request.GET.get("kind", "filed")
    try:
        corrections = dashboard_selectors.drilldown_corrections(
            user=request.user, period=period, kind=kind, department_id=_department_param(request)
        )
    except (ObjectDoesNotExist, PermissionDenied) as exc:
        raise Http404 from exc
    page = Paginator(corrections, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "accountability/correction_drilldown.html",
        {"period": period, "period_error": error, "page_obj": page, "kind": kind},
    )


@login_required
def duplicates(request: AuthedRequest) -> HttpResponse:
    """Data items collected by several departments, with the proposed authoritative source."""
    _city_only(request)
    report = duplicates_selectors.stored_report(user=request.user)
    page = None
    if report is not None:
        page = Paginator(duplicates_selectors.report_groups(report), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        page.object_list = duplicates_selectors.with_departments(page.object_list)
    return render(request, "accountability/duplicates.html", {"page_obj": page, "report": report})


@login_required
def zombies(request: AuthedRequest) -> HttpResponse:
    """Information systems in service that feed nothing current into the catalog.

    A page of the zombie systems, and the first of the systems not re-confirmed with how many
    more there are (their own page lists them all).
    """
    _city_only(request)
    now = timezone.now()
    page = Paginator(zombie_systems(user=request.user, now=now), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    unconfirmed = unconfirmed_systems(user=request.user, now=now)
    unconfirmed_total = unconfirmed.count()
    return render(
        request,
        "accountability/zombies.html",
        {
            "page_obj": page,
            "rows": zombie_figures(user=request.user, systems=page.object_list),
            "months": zombie_months(),
            "cutoff": zombie_cutoff(now),
            "unconfirmed": list(unconfirmed[:UNCONFIRMED_SHOWN]),
            "unconfirmed_more": max(unconfirmed_total - UNCONFIRMED_SHOWN, 0),
            "reconfirm_days": settings.PORTAL_SYSTEM_RECONFIRM_DAYS,
        },
    )


@login_required
def unconfirmed(request: AuthedRequest) -> HttpResponse:
    """Every approved system not re-confirmed within the period, a page at a time."""
    _city_only(request)
    page = Paginator(unconfirmed_systems(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "accountability/unconfirmed.html",
        {"page_obj": page, "reconfirm_days": settings.PORTAL_SYSTEM_RECONFIRM_DAYS},
    )


# --- service items ---------------------------------------------------------------------------


@login_required
def service_item_list(request: AuthedRequest) -> HttpResponse:
    """The service items, with how many of their materials sharing makes unnecessary."""
    query = request.GET.get("q", "")
    page = Paginator(service_items_list(user=request.user, query=query), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "accountability/service_item_list.html",
        {
            "page_obj": page,
            "query": query,
            "can_import": policies.can_import_service_items(request.user),
        },
    )


@login_required
def service_item_page(request: AuthedRequest, pk: int) -> HttpResponse:
    """One service item: which materials citizens no longer bring, which they still must, why."""
    try:
        item = service_item_get(user=request.user, pk=pk)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc
    materials, produced = service_item_detail(user=request.user, item=item)
    return render(
        request,
        "accountability/service_item_detail.html",
        {
            "item": item,
            "obtainable": [m for m in materials if m.obtainable],
            "required": [m for m in materials if not m.obtainable],
            "produced": produced,
        },
    )


@login_required
def service_item_template(request: AuthedRequest) -> HttpResponse:
    """Download the empty service-item workbook."""
    if not policies.can_import_service_items(request.user):
        raise Http404
    response = HttpResponse(
        excel.template_workbook(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="service-items.xlsx"'
    return response


@login_required
def service_item_import(request: AuthedRequest) -> HttpResponse:
    """Upload a workbook, preview it with every problem by row and column, then confirm."""
    if not policies.can_import_service_items(request.user):
        raise Http404

    form = ServiceImportForm(request.POST or None, request.FILES or None)
    context: dict = {"form": form}
    if request.method == "POST" and "payload" in request.POST:
        try:
            raw = signing.loads(request.POST["payload"], salt=IMPORT_SALT, max_age=3600)
        except signing.BadSignature:
            messages.error(request, _("The preview expired or was altered; upload the file again."))
            return redirect("accountability:service_item_import")
        rows = [SheetRow(number, cells) for number, cells in raw]
        try:
            stored = services.service_items_import(actor=request.user, rows=rows)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect("accountability:service_item_import")
        messages.success(request, _("Imported %(count)d service item(s).") % {"count": len(stored)})
        return redirect("accountability:service_item_list")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"].read()
        parsed = excel.parse_service_workbook_limited(
            data, max_bytes=settings.PORTAL_IMPORT_MAX_BYTES
        )
        problems = list(parsed.problems)
        planned: list = []
        if not problems:
            planned, problems = services.service_items_plan(
                actor=request.user, rows=parsed.resources
            )
        context.update(
            {
                "problems": [(p, excel.column_letter(p.column)) for p in problems],
                "planned": planned if not problems else [],
                "payload": ""
                if problems
                else signing.dumps(
                    [(row.number, row.cells) for row in parsed.resources], salt=IMPORT_SALT
                ),
            }
        )
    return render(request, "accountability/service_item_import.html", context)


# --- item links and conflicts (数据打架 checked by values) ------------------------------------


def _int_param(request: AuthedRequest, name: str) -> int:
    text = request.GET.get(name, "")
    if not text.isdigit():
        raise Http404
    return int(text)


@login_required
def item_links(request: AuthedRequest) -> HttpResponse:
    """The coordinator's report: every link with its conflict rate, and pairs to link."""
    _city_only(request)
    page = Paginator(links_selectors.item_links_for(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    page.object_list = links_selectors.with_items(page.object_list)
    return render(
        request,
        "accountability/item_links.html",
        {
            "page_obj": page,
            "suggestions": links_selectors.link_suggestions(user=request.user),
        },
    )


@login_required
def item_link_new(request: AuthedRequest) -> HttpResponse:
    """Link two items: pick each side's key and compared item and the authoritative side."""
    _city_only(request)
    try:
        left_items, right_items, left, right = links_selectors.link_candidates(
            user=request.user,
            left_item_id=_int_param(request, "left"),
            right_item_id=_int_param(request, "right"),
        )
    except ObjectDoesNotExist as exc:
        raise Http404 from exc
    initial = {"left_item": left.pk, "right_item": right.pk, "authoritative": "left"}
    for side, items in (("left", left_items), ("right", right_items)):
        key = next((i for i in items if i.is_key), None)
        if request.GET.get(f"{side}_key", "").isdigit():
            initial[f"{side}_key"] = int(request.GET[f"{side}_key"])
        elif key is not None:
            initial[f"{side}_key"] = key.pk
    form = forms.ItemLinkForm(
        request.POST or None, initial=initial, left_items=left_items, right_items=right_items
    )
    if request.method == "POST" and form.is_valid():
        by_pk = {i.pk: i for i in [*left_items, *right_items]}
        data = form.cleaned_data
        try:
            services.item_link_create(
                actor=request.user,
                left_key=by_pk[data["left_key"]],
                left_item=by_pk[data["left_item"]],
                right_key=by_pk[data["right_key"]],
                right_item=by_pk[data["right_item"]],
                authoritative=data["authoritative"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The items are linked; the first comparison is queued."))
            return redirect("accountability:item_links")
    return render(
        request,
        "accountability/item_link_new.html",
        {"form": form, "left": left, "right": right},
    )


def _link_action(
    request: AuthedRequest, pk: int, action: Callable[..., object], done: str
) -> HttpResponse:
    """Apply a coordinator's action to a link (POST only; 404 for anyone else or another
    method), say ``done`` and return to the links report."""
    if request.method != "POST":
        raise Http404
    try:
        link = links_selectors.item_link_get(user=request.user, pk=pk)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc
    action(actor=request.user, link=link)
    messages.success(request, done)
    return redirect("accountability:item_links")


@login_required
def item_link_compare(request: AuthedRequest, pk: int) -> HttpResponse:
    """Queue a comparison of the link now (POST)."""
    return _link_action(request, pk, services.comparison_request, _("The comparison is queued."))


@login_required
def item_link_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    """Remove the link (POST)."""
    return _link_action(request, pk, services.item_link_delete, _("The link is removed."))


@login_required
def conflicts(request: AuthedRequest) -> HttpResponse:
    """The links one of the department's resources is a side of, with their last comparison."""
    page = Paginator(links_selectors.conflict_links_for(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = [
        (link, links_selectors.link_sides(request.user, link))
        for link in links_selectors.with_items(page)
    ]
    return render(request, "accountability/conflicts.html", {"page_obj": page, "rows": rows})


@login_required
def conflict_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """One link's conflicting keys (masked) with the values the viewer may see; audited."""
    try:
        link = links_selectors.conflict_link_get(user=request.user, pk=pk)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc
    stored = link.last_run.conflict_rows if link.last_run is not None else []
    page = Paginator(range(len(stored)), PAGE_SIZE).get_page(request.GET.get("page"))
    listing = links_selectors.conflict_list(
        user=request.user,
        link=link,
        start=page.start_index() - 1 if stored else 0,
        stop=page.end_index() if stored else 0,
    )
    return render(
        request,
        "accountability/conflict_detail.html",
        {
            "page_obj": page,
            "listing": listing,
            "link": link,
            "sides": links_selectors.link_sides(request.user, link),
            "run": link.last_run,
        },
    )


@login_required
def conflict_correct(request: AuthedRequest, pk: int) -> HttpResponse:
    """Send one conflict to the non-authoritative side as a correction (POST)."""
    if request.method != "POST":
        raise Http404
    try:
        link = links_selectors.conflict_link_get(user=request.user, pk=pk)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc
    text = request.POST.get("index", "")
    try:
        correction = services.conflict_correction_open(
            actor=request.user, link=link, index=int(text) if text.isdigit() else -1
        )
    except PermissionDenied as exc:
        raise Http404 from exc
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("accountability:conflict_detail", pk=link.pk)
    messages.success(request, _("The correction is filed: %(number)s.") % {"number": correction})
    return redirect("sharing:correction_detail", pk=correction.pk)
