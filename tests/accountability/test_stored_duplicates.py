"""The stored duplicate-collection report: equal to a recomputation, read by pages in a fixed
number of queries, refreshed after audited writes, checked, separated by clearance."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accountability import services
from accountability.models import DuplicateGroupRow, DuplicateReport
from accountability.selectors import duplicates as duplicates_selectors
from accountability.selectors.duplicates import duplicate_groups_compute
from accountability.selectors.links import link_suggestions
from tests import builders


def _collect(dept, *names, data_type="C", category="101", key="编号", **fields):
    return builders.resource(
        dept,
        category_code=category,
        items=[builders.item(key, is_key=True)]
        + [builders.item(name, data_type=data_type) for name in names],
        **fields,
    )


def _groups(level: int) -> dict[str, DuplicateGroupRow]:
    report = DuplicateReport.objects.get(max_level=level)
    return {row.key: row for row in DuplicateGroupRow.objects.filter(report=report)}


def test_a_resource_holding_two_variants_of_a_name_counts_once(city):
    # 甲 holds 身份证号码 and 公民身份号码 in one resource (one grant on it) and 身份证号 in another.
    both = _collect(city.a, "身份证号码", "公民身份号码", category="201")
    builders.grant(both, city.c)
    _collect(city.a, "身份证号", category="201")
    _collect(city.b, "居民身份证号码", category="202")
    groups = {g.key: g for g in duplicate_groups_compute(max_level=4)}
    first = groups["身份证号"].collectors
    by_department = {c.department_id: c for c in first}
    assert by_department[city.a.pk].resource_count == 2
    assert by_department[city.a.pk].grants == 1
    assert groups["身份证号"].resource_count == 3


def test_the_stored_report_is_a_full_recomputation_and_the_check_agrees(city):
    _collect(city.a, "不动产单元号", category="201")
    granted = _collect(city.c, "不动产单元号", category="202")
    builders.grant(granted, city.b)
    report = services.duplicates_refresh(max_level=4)
    fresh = duplicate_groups_compute(max_level=4, now=report.computed_at)
    stored = list(DuplicateGroupRow.objects.filter(report=report).order_by("position"))
    assert [(r.key, r.data_type, r.department_count, r.resource_count) for r in stored] == [
        (g.key, g.data_type, g.department_count, g.resource_count) for g in fresh
    ]
    row = next(r for r in stored if r.key == "不动产单元号")
    assert row.collectors[0][0] == city.c.pk  # the granted department is proposed
    assert services.duplicates_check() == []
    # A stored group that no longer matches the catalog is reported, and the command fails.
    DuplicateGroupRow.objects.filter(pk=row.pk).update(resource_count=99)
    differences = services.duplicates_check()
    assert [(d.position, d.stored["resource_count"]) for d in differences] == [(row.position, 99)]
    with pytest.raises(CommandError, match="1 duplicate groups"):
        call_command("figures_refresh", "--check")


def test_each_clearance_has_its_own_report(city):
    _collect(city.a, "病历号", level=3)
    _collect(city.b, "病历号")
    services.duplicates_refresh(max_level=2)
    services.duplicates_refresh(max_level=4)
    assert "病历号" not in _groups(2)
    assert _groups(4)["病历号"].department_count == 2


@pytest.mark.stored_figures
def test_the_page_reads_the_stored_report_and_computes_nothing(client, city, monkeypatch):
    _collect(city.a, "不动产单元号", category="201")
    _collect(city.b, "不动产单元号", category="202")
    services.duplicates_refresh(max_level=4)

    def refuse(**kwargs):
        raise AssertionError("a page computed the duplicate report")

    monkeypatch.setattr(services, "duplicate_groups_compute", refuse)
    client.force_login(city.users["coordinator"])
    url = reverse("accountability:duplicates")
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "不动产单元号" in body and city.a.name in body and city.b.name in body
    # A write after the report leaves the page on the stored one until the worker refreshes.
    _collect(city.c, "不动产单元号", category="202")
    assert city.c.name not in client.get(url).content.decode()


@pytest.mark.stored_figures
def test_the_page_and_suggestions_do_not_grow_with_the_city(client, city):
    client.force_login(city.users["coordinator"])
    # Keyed by 统一社会信用代码 on both sides, so the groups make link suggestions.
    for name in ("不动产单元号", "车牌号码"):
        _collect(city.a, name, key="统一社会信用代码")
        _collect(city.b, name, key="统一社会信用代码")
    services.duplicates_refresh(max_level=4)
    suggested = {s.name for s in link_suggestions(user=city.users["coordinator"])}
    assert {"不动产单元号", "车牌号码"} <= suggested
    urls = [reverse("accountability:duplicates"), reverse("accountability:item_links")]

    def counts() -> list[int]:
        result = []
        for url in urls:
            client.get(url)
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            result.append(len(queries))
        return result

    before = counts()
    for n in range(6):
        department = builders.department(f"新增局{n}")
        for name in ("不动产单元号", "车牌号码", f"专有项{n}"):
            _collect(department, name, key="统一社会信用代码")
    services.duplicates_refresh(max_level=4)
    assert _groups(4)["不动产单元号"].department_count == 8
    assert counts() == before


@pytest.mark.stored_figures
def test_a_missing_report_is_queued_and_the_page_says_so(
    client, city, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    client.force_login(city.users["coordinator"])
    response = client.get(reverse("accountability:duplicates"))
    assert response.status_code == 200
    assert "duplicates-pending" in response.content.decode()
    assert DBTaskResult.objects.filter(
        task_path="accountability.tasks.figures_refresh_task"
    ).exists()
    assert not DuplicateReport.objects.exists()
    # The queued task computes the coordinators' clearances.
    from accountability.tasks import figures_refresh_task

    figures_refresh_task.call()
    assert DuplicateReport.objects.filter(max_level=city.users["coordinator"].clearance).exists()
    assert (
        "duplicates-pending"
        not in client.get(reverse("accountability:duplicates")).content.decode()
    )


@pytest.mark.stored_figures
def test_an_audited_write_makes_the_report_due_and_a_lapsed_clearance_is_dropped(city):
    services.duplicates_refresh(max_level=4)
    services.duplicates_refresh(max_level=1)  # no active coordinator holds clearance 1
    assert services.duplicates_refresh_due() == []  # L4 current; L1 dropped
    assert list(DuplicateReport.objects.values_list("max_level", flat=True)) == [4]
    _collect(city.a, "不动产单元号")
    _collect(city.b, "不动产单元号")
    assert services.duplicates_refresh_due() == ["L4"]
    assert _groups(4)["不动产单元号"].department_count == 2


@pytest.mark.stored_figures
def test_a_common_item_names_the_first_collectors_and_counts_the_rest(client, city, monkeypatch):
    monkeypatch.setattr(services, "COLLECTORS_STORED", 2)
    for department in (city.a, city.b, city.c, city.bureau):
        _collect(department, "不动产单元号")
    services.duplicates_refresh(max_level=4)
    row = _groups(4)["不动产单元号"]
    assert (row.department_count, len(row.collectors)) == (4, 2)
    client.force_login(city.users["coordinator"])
    page = client.get(reverse("accountability:duplicates"))
    group = next(g for g in page.context["page_obj"] if g.row.key == "不动产单元号")
    assert group.unnamed == 2 and len(group.others) == 1
    assert duplicates_selectors.with_departments([row])[0].authority.department is not None
