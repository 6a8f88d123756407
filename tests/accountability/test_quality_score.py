"""The scorecard's data quality figure: the mean score of a department's active versions."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accountability.periods import parse_period
from accountability.selectors.scorecards import scorecards_compute
from accounts.models import Level
from datasets.models import DatasetVersion, VersionQuality
from tests import builders

from .conftest import PERIOD

pytestmark = pytest.mark.django_db


def _profiled(resource, score: int, *, number: int = 1, status: str = "active") -> None:
    version = DatasetVersion.objects.create(
        resource=resource, number=number, status=status, source="push", columns=["编号"]
    )
    VersionQuality.objects.create(version=version, score=score, completeness=1.0)


def _card(cards, department):
    return next(c for c in cards if c.department.pk == department.pk)


def test_mean_of_active_versions_within_clearance(city, django_assert_num_queries):
    first = builders.resource(city.a, level=Level.L1)
    second = builders.resource(city.a, level=Level.L2)
    _profiled(first, 80)
    _profiled(second, 60, number=2)
    _profiled(second, 10, number=1, status="superseded")  # replaced: not counted
    _profiled(builders.resource(city.a, level=Level.L4), 0)  # above the reader's clearance
    _profiled(builders.resource(city.a, status="draft"), 0)  # not published

    with django_assert_num_queries(13):
        cards = scorecards_compute(max_level=Level.L2, period=parse_period(PERIOD))
    card = _card(cards, city.a)
    assert (card.quality_score, card.quality_versions) == (70.0, 2)
    assert _card(cards, city.c).quality_score is None  # nothing profiled: no figure, not zero

    cards = scorecards_compute(max_level=Level.L4, period=parse_period(PERIOD))
    assert _card(cards, city.a).quality_score == round((80 + 60 + 0) / 3, 1)


def test_scorecard_page_shows_the_figure(client, city):
    _profiled(builders.resource(city.a), 77)
    client.force_login(city.users["coordinator"])
    page = client.get(reverse("accountability:scorecard", args=[city.a.pk]) + f"?period={PERIOD}")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="quality_score">77.0' in html


def test_the_xlsx_report_has_the_figure(client, city, django_assert_num_queries):
    _profiled(builders.resource(city.a), 77)
    _profiled(builders.resource(city.a), 70, number=2)
    client.force_login(city.users["coordinator"])
    url = reverse("accountability:report_xlsx") + f"?period={PERIOD}"
    client.get(url)  # computes and stores the period's figures (the quality figure is one of
    # the thirteen queries of the computation, not a query per department)
    # The stored run's workbook, made once: session, user, roles, the run and the trail's head
    # (is the run current?), whatever the number of departments or requests.
    with django_assert_num_queries(5):
        response = client.get(url)
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[2]]
    column = header.index("数据质量评分")  # zh-hans, the portal's language
    rows = {row[1]: row[column] for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert rows[city.a.name] == 73.5
    assert rows[city.c.name] is None  # nothing profiled: an empty cell, not zero
