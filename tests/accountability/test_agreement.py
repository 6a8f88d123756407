"""The dashboard, the scorecard page, the printable report and the XLSX give the same figures."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accountability.excel import report_columns

from .conftest import PERIOD


@pytest.fixture
def city(city_once, db):
    """The tests only read the city: build it once for the module."""
    return city_once


def test_dashboard_scorecard_and_report_agree(client, city):
    client.force_login(city.users["coordinator"])
    query = {"period": PERIOD}
    dashboard = client.get(reverse("accountability:dashboard"), query).context
    report = client.get(reverse("accountability:report"), query).context
    workbook = load_workbook(
        io.BytesIO(client.get(reverse("accountability:report_xlsx"), query).content)
    )
    sheet = workbook.active
    keys = [key for key, _header in report_columns()]
    xlsx_rows = [list(row) for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert [row[1] for row in report["rows"]] == [c.department.name for c in dashboard["cards"]]

    for card, report_row, xlsx_row in zip(
        dashboard["cards"], report["rows"], xlsx_rows, strict=True
    ):
        scorecard = client.get(
            reverse("accountability:scorecard", args=[card.department.pk]), query
        ).context["card"]
        for position, key in enumerate(keys):
            page_value = card.department.name if key == "department" else getattr(scorecard, key)
            if isinstance(page_value, float):
                page_value = round(page_value, 1)
            dashboard_value = card.department.name if key == "department" else getattr(card, key)
            if isinstance(dashboard_value, float):
                dashboard_value = round(dashboard_value, 1)
            assert dashboard_value == page_value == report_row[position] == xlsx_row[position], key


def test_the_department_admin_sees_the_same_figures_as_the_coordinator(client, city):
    url = reverse("accountability:scorecard", args=[city.a.pk])
    client.force_login(city.users["coordinator"])
    coordinator_card = client.get(url, {"period": PERIOD}).context["card"]
    client.force_login(city.users["a_admin"])  # clearance L3; every resource here is L1
    admin_card = client.get(url, {"period": PERIOD}).context["card"]
    for key, _header in report_columns():
        if key != "department":
            assert getattr(admin_card, key) == getattr(coordinator_card, key), key


def test_scorecard_page_shows_the_figures_and_their_definitions(client, city):
    client.force_login(city.users["a_admin"])
    page = client.get(
        reverse("accountability:scorecard", args=[city.a.pk]), {"period": PERIOD}
    ).content.decode()
    assert 'id="requests_overdue"' in page
    assert 'id="definitions"' in page
    assert "迟报" in page and "漏报" in page
    # Component names are in the page's language (Chinese by default), in the weights too.
    assert page.count("按时答复申请") >= 2 and "使用他部门数据" in page
    # The drill-down link carries the department, the period and the kind.
    assert f"department={city.a.pk}&kind=overdue" in page


def test_dashboard_shows_most_requested_no_catalog_and_overdue(client, city):
    client.force_login(city.users["coordinator"])
    context = client.get(reverse("accountability:dashboard"), {"period": PERIOD}).context
    assert city.c in [card.department for card in context["no_catalog"]]
    assert city.a not in [card.department for card in context["no_catalog"]]
    requested = {r.pk: r.request_count for r in context["most_requested"]}
    assert requested[city.resources["res_r1"].pk] == 1
    assert city.resources["res_r5"].pk not in requested  # requested in 2025
    content = context["ranking_chart"]
    assert content.startswith("<svg") and "<script" not in content
    months = [m.period.key for m in context["trends"]]
    assert months[0] == "2026-01" and months[-1] == "2026-12"
    march = next(m for m in context["trends"] if m.period.key == "2026-03")
    assert (march.requests_received, march.requests_overdue) == (1, 1)
