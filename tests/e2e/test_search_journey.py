"""Browser journey: search that understands how staff name things.

mz_staff types what people say (户口, 身份证号码), sees type-ahead suggestions, finds 人口基础信息
with the matched words marked and the matched data item named, keeps the best match first when
an unrelated word is added, is offered a near miss for a typo, and jumps to a resource by code.
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from accounts.models import Level
from catalog.models import Resource
from tests import builders

POPULATION = "人口基础信息"
SECRET_NAME = "重点人口户籍管控信息"


def test_staff_find_a_resource_by_the_words_they_use(page, shot, login):
    police = builders.department("市公安局")
    civil = builders.department("市民政局")
    staff = builders.user(civil, clearance=Level.L3, username="mz_staff")
    population = builders.resource(
        police,
        name=POPULATION,
        level=Level.L3,
        summary="全市户籍人口和常住人口的基础信息",
        items=[builders.item("公民身份号码", is_key=True), builders.item("姓名")],
    )
    builders.resource(police, name="户籍迁移记录", summary="迁入迁出登记")
    builders.resource(civil, name="婚姻登记信息", summary="结婚和离婚登记")
    # An entry whose very existence is sensitive: only users cleared for L4 see it.
    builders.resource(
        police, name=SECRET_NAME, level=Level.L4, share_type="none", catalog_scope="cleared"
    )
    login(page, staff)

    # Type-ahead: names and synonym terms the user may see, never the secret one.
    page.goto("/catalog/search/")
    box = page.locator("#catalog-q")
    box.press_sequentially("户籍", delay=50)
    suggestions = page.locator("#catalog-q-suggestions")
    expect(suggestions).to_be_visible()
    expect(suggestions).to_contain_text("户籍迁移记录")
    expect(suggestions).to_contain_text("户籍登记")
    expect(suggestions).not_to_contain_text(SECRET_NAME)
    shot("type-ahead")

    # 户口 is what people say; the catalog says 户籍.
    box.fill("户口")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/catalog/search/\?q="))
    cards = page.locator(".resource-card")
    expect(cards.locator("h2 a", has_text=POPULATION)).to_have_count(1)
    expect(page.locator(".resource-results")).not_to_contain_text(SECRET_NAME)
    expect(page.locator(".resource-card mark", has_text="户籍").first).to_be_visible()
    shot("synonym-hit")

    # 身份证号码 finds the resources holding the item 公民身份号码, and says so.
    page.locator("#catalog-q").fill("身份证号码")
    page.locator("form.catalog-search button[type=submit]").click()
    card = cards.filter(has=page.locator("h2 a", has_text=POPULATION))
    expect(card.locator(".resource-matched-items")).to_contain_text("公民身份号码")
    shot("item-hit")

    # One unrelated word more: the best match is still first.
    page.locator("#catalog-q").fill("人口基础信息 火星探测")
    page.locator("form.catalog-search button[type=submit]").click()
    expect(cards.first.locator("h2 a")).to_have_text(POPULATION)
    shot("extra-word")

    # A typo gets a near miss to follow.
    page.locator("#catalog-q").fill("人口基出信息")
    page.locator("form.catalog-search button[type=submit]").click()
    expect(page.locator(".did-you-mean a")).to_have_text(POPULATION)
    page.locator(".did-you-mean a").click()
    expect(cards.first.locator("h2 a")).to_have_text(POPULATION)
    shot("did-you-mean")

    # An exact resource code goes straight to the resource.
    code = Resource.objects.get(pk=population.pk).code
    page.locator("#catalog-q").fill(code)
    page.locator("form.catalog-search button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/catalog/resources/{population.pk}/$"))
    expect(page.locator("main h1")).to_have_text(POPULATION)
    shot("code-jump")
