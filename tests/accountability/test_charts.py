"""The dashboard's charts: readable axes, values on hover and the figures as a table.

Before, the y-axis said only 0 and the maximum, the x-axis "1 … 12" without 月 or year, no
point said its value, and nothing but the SVG's title reached a screen reader.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils.translation import override

from accountability import charts

from .conftest import PERIOD

CROSSING = [date(2026, 11, 1), date(2026, 12, 1), date(2027, 1, 1), date(2027, 2, 1)]


def _texts(svg: str) -> list[str]:
    return re.findall(r'<text[^>]*class="chart-label">([^<]*)</text>', svg)


@pytest.mark.parametrize(
    ("top", "whole", "ticks"),
    [
        (100, False, [0, 20, 40, 60, 80, 100]),
        (37, True, [0, 10, 20, 30, 40]),
        (3, True, [0, 1, 2, 3]),
        (0.9, False, [0, 0.2, 0.4, 0.6, 0.8, 1.0]),
        (0, True, [0, 1]),
    ],
)
def test_y_axis_ticks_step_by_one_two_or_five(top, whole, ticks):
    assert charts.nice_ticks(top, whole=whole) == pytest.approx(ticks)


def test_months_say_month_and_the_year_where_it_changes():
    with override("zh-hans"):
        labels = charts.month_labels(CROSSING)
    assert labels == [
        ("11月", "2026年", "2026年11月"),
        ("12月", "", "2026年12月"),
        ("1月", "2027年", "2027年1月"),
        ("2月", "", "2027年2月"),
    ]
    with override("en"):
        assert [full for _s, _y, full in charts.month_labels(CROSSING)] == [
            "November 2026",
            "December 2026",
            "January 2027",
            "February 2027",
        ]


def test_line_chart_has_ticks_hover_values_and_a_table():
    with override("zh-hans"):
        html = str(
            charts.line_chart(
                CROSSING,
                [("收到的申请", [3.0, None, 7.0, 12.0]), ("纠错", [0.0, 1.0, 2.0, 0.0])],
                title="每月申请",
                whole=True,
            )
        )
    texts = _texts(html)
    # The y-axis: 0 to 12 in steps of 2 (the old axis had "0" and "12" only).
    assert [t for t in texts if t.isdigit()] == ["0", "2", "4", "6", "8", "10", "12"]
    # The x-axis: every month with 月, the year under the first month and the first January.
    for label in ("11月", "12月", "1月", "2月", "2026年", "2027年"):
        assert label in texts
    # Each point names its series, month and value on hover; the gap (None) has no point.
    titles = re.findall(r'<g class="chart-point"><title>([^<]*)</title>', html)
    assert "收到的申请 · 2027年1月: 7" in titles
    assert "纠错 · 2026年12月: 1" in titles
    assert len(titles) == 7
    # The figures as a table, one row per month, "—" where there is no value.
    table = html[html.index("<table") :]
    assert '<th scope="row">2026年12月</th><td>—</td><td>1</td>' in table
    assert '<th scope="row">2027年2月</th><td>12</td><td>0</td>' in table
    assert "以表格查看数据" in html


def test_dashboard_charts_say_months_and_give_their_table(client, city):
    client.force_login(city.users["coordinator"])
    page = client.get(reverse("accountability:dashboard"), {"period": PERIOD}).content.decode()
    assert page.count('<details class="chart-data">') == 2
    assert "2026年1月" in page and "2026年12月" in page
    assert ">12月</text>" in page and ">2026年</text>" in page


def test_chart_text_is_never_below_12px():
    css = (
        settings.BASE_DIR / "accountability/static/accountability/accountability.css"
    ).read_text()
    sizes = [int(px) for px in re.findall(r"font-size:\s*(\d+)px", css)]
    assert sizes and min(sizes) >= 12
