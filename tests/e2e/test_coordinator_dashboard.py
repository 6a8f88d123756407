"""The coordinator's dashboard in a real browser: ranking, charts, overdue work, a scorecard.

The world is the accountability tests' small city (市甲局 provides, 市乙局 requests, 市丙局 has no
catalog, the data bureau coordinates), with the year 2026 evaluated as if from 2027-01-15, so
every figure on the page is one the scorecard tests check by hand.
"""

from __future__ import annotations

import re

import pytest
from django.utils.translation import gettext, override, pgettext
from playwright.sync_api import expect

from ..accountability.conftest import NOW, build_city

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _zh(text: str) -> str:
    with override("zh-hans"):
        return gettext(text)


@pytest.fixture
def city(monkeypatch):
    monkeypatch.setattr("accountability.periods.clock", lambda: NOW)
    return build_city()


def test_coordinator_opens_the_dashboard(page, shot, login, city):
    login(page, city.users["coordinator"])

    page.goto("/accountability/?period=2026")
    expect(page).to_have_url(re.compile(r"/accountability/dashboard/"))
    page.goto("/accountability/dashboard/?period=2026")
    expect(page.locator("main h1")).to_contain_text("2026")
    with override("zh-hans"):
        period_label = pgettext("evaluation period", "Period")
    assert period_label == "考核期间"
    expect(page.locator("label[for=id_period]")).to_have_text(period_label)
    ranking = page.locator("#ranking tbody tr")
    expect(ranking).to_have_count(4)  # every department, the bureau included
    first = page.locator(f"#ranking tr[data-department='{city.a.pk}']")
    expect(first).to_contain_text("市甲局")
    # The charts are inline SVG drawn on the server: no script, no CDN.
    expect(page.locator("main svg").first).to_be_visible()
    # r5 (due 2026-01-06, never answered) is overdue today, whatever the period shown.
    expect(page.locator("#overdue-requests")).to_contain_text(city.requests["r5"].number)
    expect(page.locator("#no-catalog")).to_contain_text("市丙局")
    shot("dashboard")

    first.locator("a", has_text="市甲局").click()
    expect(page).to_have_url(re.compile(rf"/accountability/departments/{city.a.pk}/"))
    expect(page.locator("main h1")).to_contain_text("市甲局")
    shot("scorecard")


def test_department_staff_cannot_open_the_dashboard(page, shot, login, city):
    login(page, city.users["b_staff"])

    response = page.goto("/accountability/dashboard/?period=2026")
    assert response is not None and response.status == 404
    assert "市丙局" not in page.content()  # nothing of the city-wide view leaks
    expect(page.locator("#ranking")).to_have_count(0)
    shot("not-found")
    assert _zh("Sharing evaluation") not in page.locator("main").inner_text()
