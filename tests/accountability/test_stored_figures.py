"""Stored evaluation figures: equal to a full recomputation, read in a fixed number of queries,
refreshed after audited writes, checked against a recomputation, separated by clearance."""

from __future__ import annotations

import re

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accountability import services
from accountability.models import FiguresRun
from accountability.periods import parse_period
from accountability.selectors.figures import figures_of, run_card, run_cards
from accountability.selectors.scorecards import city_totals, scorecards_compute
from accountability.tasks import figures_refresh_task
from audit.services import record
from catalog.models import Resource
from tests import builders

from .conftest import NOW, PERIOD

TASK_PATH = "accountability.tasks.figures_refresh_task"


@pytest.fixture
def city(city_once, db):
    """The module's city (what a test writes is rolled back after it)."""
    return city_once


def _recomputed(period, level, now=NOW):
    return {
        card.department.pk: (figures_of(card), card.rank, card.overall)
        for card in scorecards_compute(max_level=level, period=period, now=now)
    }


@pytest.mark.parametrize("key", [PERIOD, "2026-Q4", "2026-10"])
@pytest.mark.parametrize("level", [1, 2, 4])
def test_a_stored_run_is_a_full_recomputation(city, key, level):
    period = parse_period(key)
    run = services.figures_refresh(period=period, max_level=level)
    stored = {
        card.department.pk: (figures_of(card), card.rank, card.overall) for card in run_cards(run)
    }
    assert stored == _recomputed(period, level)
    cards = scorecards_compute(max_level=level, period=period, now=NOW)
    assert run.totals == city_totals(cards)
    assert run.as_of == period.as_of(NOW)
    assert services.figures_check() == []


def test_each_clearance_has_its_own_run(city):
    """A reader below a resource's level never reads figures that count it."""
    period = parse_period(PERIOD)
    Resource.objects.filter(pk=city.resources["daily_on_time"].pk).update(level=4)
    low = services.figures_refresh(period=period, max_level=1)
    high = services.figures_refresh(period=period, max_level=4)
    assert (
        run_card(low, city.a.pk).resources_published + 1
        == run_card(high, city.a.pk).resources_published
    )
    assert FiguresRun.objects.filter(period_key=PERIOD).count() == 2


@pytest.mark.stored_figures
def test_pages_read_the_stored_run_and_compute_nothing(client, city, monkeypatch):
    period = parse_period(PERIOD)
    services.figures_refresh(period=period, max_level=4)
    for month in parse_period("2026").months():
        services.figures_refresh(period=month, max_level=4)

    def refuse(**kwargs):
        raise AssertionError("a page computed the city's figures")

    monkeypatch.setattr(services, "scorecards_compute", refuse)
    client.force_login(city.users["coordinator"])
    query = {"period": PERIOD}
    dashboard = client.get(reverse("accountability:dashboard"), query)
    assert dashboard.status_code == 200
    expected = _recomputed(period, 4)
    assert [c.department.pk for c in dashboard.context["cards"]] == sorted(
        expected, key=lambda pk: expected[pk][1]
    )
    card = client.get(reverse("accountability:scorecard", args=[city.a.pk]), query).context["card"]
    assert (figures_of(card), card.rank, card.overall) == expected[city.a.pk]
    assert client.get(reverse("accountability:report"), query).status_code == 200


def _count(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.stored_figures
def test_stored_reads_run_a_fixed_number_of_queries(client, city):
    client.force_login(city.users["coordinator"])
    # Every page: session, user, roles and the layout's three (notifications, counts, the
    # department). Then the dashboard: the run, the twelve months' runs, the "as of" line, the
    # most requested resources, the two overdue lists (the ranking, its chart and the list of
    # departments without a catalog are fragments rendered once per run); the scorecard: the
    # department, the run, its row, the "as of" line; the report: the run and the "as of" line
    # (its table is a fragment too). None reads a request, a resource or an audit event.
    urls = {
        "dashboard": reverse("accountability:dashboard") + f"?period={PERIOD}",
        "scorecard": reverse("accountability:scorecard", args=[city.a.pk]) + f"?period={PERIOD}",
        "report": reverse("accountability:report") + f"?period={PERIOD}",
    }
    before = {name: _count(client, url) for name, url in urls.items()}
    assert before == {"dashboard": 12, "scorecard": 10, "report": 8}
    for _ in range(4):
        department = builders.department()
        builders.grant(builders.resource(department), city.b)
    call_command("figures_refresh", "--period", PERIOD, "--level", "4")
    assert {name: _count(client, url) for name, url in urls.items()} == before


@pytest.mark.stored_figures
def test_a_running_period_says_when_its_figures_were_computed(client, city):
    now = timezone.now()
    period = parse_period(f"{timezone.localdate(now):%Y}")
    client.force_login(city.users["coordinator"])
    response = client.get(reverse("accountability:dashboard"), {"period": period.key})
    if period.end_at <= NOW:  # the module's clock is past the real year: a finished period
        assert "evaluated-at" not in response.content.decode()
    run = FiguresRun.objects.get(period_key=period.key, max_level=4)
    assert response.context["evaluated_at"] == (run.as_of if run.as_of < period.end_at else None)


@pytest.mark.stored_figures
def test_an_audited_write_queues_one_refresh_that_brings_the_run_up_to_date(
    city, django_capture_on_commit_callbacks
):
    now = timezone.now()
    period = parse_period(f"{timezone.localdate(now):%Y-%m}")
    run = services.figures_refresh(period=period, max_level=4, now=now)
    reads = run_card(run, city.a.pk).reads
    resource = city.resources["daily_on_time"]

    with django_capture_on_commit_callbacks(execute=True):
        record(actor=city.users["b_staff"], action="login.success")
    assert not DBTaskResult.objects.filter(task_path=TASK_PATH).exists()  # neutral action

    for _ in range(2):  # a burst: one refresh queued
        with django_capture_on_commit_callbacks(execute=True):
            record(
                actor=city.users["b_staff"],
                action="data.read",
                obj=resource,
                details={"provider": city.a.pk},
            )
    queued = DBTaskResult.objects.get(task_path=TASK_PATH)
    assert queued.run_after > timezone.now()  # after the configured delay

    later = timezone.now()
    refreshed = services.figures_refresh_due(now=later)
    assert f"{period.key} L4" in refreshed
    run = FiguresRun.objects.get(period_key=period.key, max_level=4)
    assert run_card(run, city.a.pk).reads == reads + 2
    assert services.figures_refresh_due(now=later) == []  # nothing due any more


def test_the_check_reports_a_figure_changed_without_an_audited_write(city, capsys):
    period = parse_period(PERIOD)
    services.figures_refresh(period=period, max_level=4)
    call_command("figures_refresh", "--check")  # agrees: no error
    Resource.objects.filter(pk=city.resources["yearly_on_time"].pk).update(status="retired")
    differences = services.figures_check()
    assert {(d.department, d.figure) for d in differences} >= {
        (city.a.name, "resources_published"),
        ("", "resources_published"),
    }
    with pytest.raises(CommandError):
        call_command("figures_refresh", "--check")
    assert "resources_published" in capsys.readouterr().err


def test_the_command_refuses_a_bad_period(city):
    with pytest.raises(CommandError):
        call_command("figures_refresh", "--period", "2026-13", "--level", "4")
    with pytest.raises(CommandError):
        call_command("figures_refresh", "--period", "2026")


def _published_in_ranking(html: str, department_id: int) -> int:
    row = re.search(rf'<tr data-department="{department_id}">(.*?)</tr>', html, re.S)
    assert row is not None
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)
    return int(cells[3])  # rank, department, overall, resources published


@pytest.mark.stored_figures
def test_the_rendered_ranking_follows_the_stored_run(client, city):
    period = parse_period(PERIOD)
    services.figures_refresh(period=period, max_level=4)
    client.force_login(city.users["coordinator"])
    url = reverse("accountability:dashboard") + f"?period={PERIOD}"
    assert _published_in_ranking(client.get(url).content.decode(), city.a.pk) == 22
    Resource.objects.filter(pk=city.resources["yearly_on_time"].pk).update(status="retired")
    # The page shows the stored run until it is refreshed, then the new one.
    assert _published_in_ranking(client.get(url).content.decode(), city.a.pk) == 22
    services.figures_refresh(period=period, max_level=4)
    assert _published_in_ranking(client.get(url).content.decode(), city.a.pk) == 21


def test_a_refresh_keeps_the_run_so_a_reader_never_finds_it_gone(city):
    """A page holding the run it read a moment before still finds its department's row."""
    period = parse_period(PERIOD)
    run = services.figures_refresh(period=period, max_level=4)
    again = services.figures_refresh(period=period, max_level=4)
    assert again.pk == run.pk and again.computed_at >= run.computed_at
    assert run_card(run, city.a.pk) is not None
    assert FiguresRun.objects.filter(period_key=PERIOD, max_level=4).count() == 1


@pytest.mark.stored_figures
def test_missing_trend_months_are_queued_not_computed_on_the_request(
    client, city, monkeypatch, django_capture_on_commit_callbacks
):
    period = parse_period(PERIOD)
    services.figures_refresh(period=period, max_level=4)
    services.figures_refresh(period=parse_period("2026-12"), max_level=4)

    def refuse(**kwargs):
        raise AssertionError("a page computed the city's figures")

    monkeypatch.setattr(services, "scorecards_compute", refuse)
    client.force_login(city.users["coordinator"])
    response = client.get(reverse("accountability:dashboard"), {"period": PERIOD})
    assert response.status_code == 200
    assert [m.period.key for m in response.context["trends"]] == ["2026-12"]
    assert DBTaskResult.objects.filter(task_path=TASK_PATH).exists()


@pytest.mark.stored_figures
def test_the_queued_refresh_computes_the_months_a_page_missed(client, city):
    """A past period's trend lies outside what the nightly refresh prepares: the refresh a page
    queued computes exactly the months that page found missing, and the trend is whole after."""
    client.force_login(city.users["coordinator"])
    response = client.get(reverse("accountability:dashboard"), {"period": "2025-06"})
    months = [f"2024-{m:02d}" for m in range(7, 13)] + [f"2025-{m:02d}" for m in range(1, 7)]
    # The chosen month itself is computed for the page; the eleven before it are not.
    assert [m.period.key for m in response.context["trends"]] == ["2025-06"]
    assert not FiguresRun.objects.filter(period_key__in=months[:-1]).exists()
    figures_refresh_task.call()
    assert set(
        FiguresRun.objects.filter(period_key__in=months, max_level=4).values_list(
            "period_key", flat=True
        )
    ) == set(months)
    response = client.get(reverse("accountability:dashboard"), {"period": "2025-06"})
    assert [m.period.key for m in response.context["trends"]] == months


def test_the_due_refresh_computes_the_coordinators_clearances(city):
    """No run yet: the nightly job still prepares what the coordinators' dashboards read."""
    assert not FiguresRun.objects.exists()
    refreshed = services.figures_refresh_due(now=NOW)
    assert {"2027 L4", "2027-01 L4", "2027-Q1 L4", "2027-12 L4"} <= set(refreshed)
    assert not FiguresRun.objects.exclude(max_level=4).exists()
