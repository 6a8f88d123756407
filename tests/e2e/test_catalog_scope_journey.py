"""Finding what others hold: the catalog shows every department's entries, whatever their level.

As the demo's people: 市民政局's staff (L2) search for 人口基础信息 (L4, because of its ID number
and address items), open it and read its items with their levels; the district's staff (L1)
browse the city's conditionally shared resources. The one entry whose very existence is
sensitive (catalog scope ``provider``) and the one limited to cleared users stay absent for
both: in results, facet counts and by URL.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from accounts.models import Level

from .. import builders

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

POPULATION = "人口基础信息"
INSURANCE = "社会保险参保信息"
HIDDEN = "涉案人员信息"  # provider scope
CLEARED = "严重精神障碍患者管理信息"  # cleared scope, L4


def test_staff_find_entries_above_their_clearance_but_not_the_hidden_ones(page, shot, login):
    police = builders.department("市公安局")
    civil = builders.department("市民政局")
    social = builders.department("市人力资源和社会保障局")
    health = builders.department("市卫生健康委员会")
    district = builders.department("瑶海区民政局", clearance=Level.L2)
    mz_staff = builders.user(civil, clearance=Level.L2, username="mz_staff")
    qx_staff = builders.user(district, clearance=Level.L1, username="qx_staff")
    population = builders.resource(
        police,
        name=POPULATION,
        level=Level.L4,
        summary="全市户籍人口的身份基础信息",
        items=[
            builders.item("公民身份号码", level=Level.L4, is_key=True, kind="id_number"),
            builders.item("姓名", level=Level.L3, kind="name", length=50),
            builders.item("性别", level=Level.L2, length=1),
            builders.item("户籍地址", level=Level.L4, length=200),
        ],
    )
    builders.resource(social, name=INSURANCE, level=Level.L3)
    builders.resource(
        police,
        name=HIDDEN,
        level=Level.L4,
        share_type="none",
        catalog_scope="provider",
        catalog_scope_reason="涉案人员名单的存在属于侦查工作秘密",
    )
    cleared = builders.resource(
        health, name=CLEARED, level=Level.L4, catalog_scope="cleared", share_type="none"
    )

    # 市民政局's L2 staff search for the L4 entry by its name and find it.
    login(page, mz_staff)
    page.goto("/catalog/search/")
    page.locator("#catalog-q").fill(POPULATION)
    page.locator("form.catalog-search button[type=submit]").click()
    hit = page.locator(".resource-card h2 a", has_text=POPULATION)
    expect(hit).to_have_count(1)
    shot("search-finds-the-l4-entry")
    hit.click()
    expect(page).to_have_url(re.compile(rf"/catalog/resources/{population.pk}/$"))
    expect(page.locator("main h1")).to_have_text(POPULATION)
    # Its items and their levels: what there is to ask for, including above the viewer's L2.
    rows = page.locator("#data-items tbody tr")
    expect(rows).to_have_count(4)
    levels = {"公民身份号码": "L4", "姓名": "L3", "性别": "L2", "户籍地址": "L4"}
    for name, level in levels.items():
        expect(rows.filter(has_text=name).locator(".badge")).to_have_text(level)
    expect(page.locator("[data-catalog-scope]")).to_have_attribute(
        "data-catalog-scope", "departments"
    )
    expect(page.locator(".access-state")).to_have_attribute("data-state", "request")
    shot("items-with-levels")

    # The entries limited to their provider or to cleared users are nowhere for them.
    page.goto("/catalog/")
    catalog_text = page.locator("main").inner_text()
    assert POPULATION in catalog_text and INSURANCE in catalog_text
    assert HIDDEN not in page.content() and CLEARED not in page.content()
    response = page.goto(f"/catalog/resources/{cleared.pk}/")
    assert response is not None and response.status == 404
    assert CLEARED not in page.content()

    # The district's L1 staff browse the city's conditionally shared resources.
    page.context.clear_cookies()
    login(page, qx_staff)
    page.goto("/catalog/")
    page.locator("[data-facet=share_type] a[data-value=conditional]").click()
    expect(page).to_have_url(re.compile(r"share_type=conditional"))
    results = page.locator(".resource-card h2 a")
    expect(results).to_have_count(2)
    expect(page.locator(".resource-results")).to_contain_text(POPULATION)
    expect(page.locator(".resource-results")).to_contain_text(INSURANCE)
    expect(
        page.locator("[data-facet=share_type] a[data-value=conditional] .facet-count")
    ).to_have_text("2")
    # Not shared: the two limited entries are not counted for them either.
    expect(page.locator("[data-facet=share_type] a[data-value=none]")).to_have_count(0)
    assert HIDDEN not in page.content() and CLEARED not in page.content()
    shot("district-finds-conditional-city-resources")
