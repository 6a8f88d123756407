"""From the words staff use to the data they may read: a request above the requester's clearance.

市民政局's staff (L2) look for the city's population register (人口基础信息, L4 because of its ID
number and address items) the way people name it: 户口 (the catalog says 户籍) and 身份证号码 (the
item is 公民身份号码). They read its items and levels, request two items, one of them L4, and the
provider approves. The grant holds both items -- the department may ask for them -- but the data
the L2 requester reads holds only the item within L2; the L4 one reaches only the department's
users cleared for it.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Level, Role
from datasets import services as data_services
from sharing import services as sharing_services
from sharing.models import RequestStatus, ShareRequest

from .. import builders
from ..datasets.conftest import citizen_id

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

POPULATION = "人口基础信息"
ITEMS = {"公民身份号码": Level.L4, "姓名": Level.L3, "性别": Level.L2, "户籍地址": Level.L4}


def test_l2_staff_find_the_register_by_common_words_and_receive_only_what_l2_allows(
    page, shot, login
):
    police = builders.department("市公安局")
    civil = builders.department("市民政局")
    mz_staff = builders.user(civil, clearance=Level.L2, username="mz_staff")
    mz_senior = builders.user(civil, clearance=Level.L4, username="mz_senior")
    approver = builders.user(
        police, clearance=Level.L4, roles=(Role.STAFF, Role.APPROVER), username="ga_approver"
    )
    editor = builders.user(police, clearance=Level.L4, roles=(Role.STAFF, Role.EDITOR))
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
    builders.resource(civil, name="婚姻登记信息", summary="结婚和离婚登记")
    data_services.dataset_push(
        actor=editor,
        resource=population,
        rows=[
            {
                "公民身份号码": citizen_id(n),
                "姓名": f"居民{n}",
                "性别": "男女"[n % 2],
                "户籍地址": "A市",
            }
            for n in (1, 2, 3)
        ],
        mode="replace",
        batch_id="e2e-above-clearance",
    )
    login(page, mz_staff)

    # 户口 is what people say; the catalog says 户籍.
    page.goto("/catalog/search/")
    page.locator("#catalog-q").fill("户口")
    page.locator("form.catalog-search button[type=submit]").click()
    cards = page.locator(".resource-card")
    card = cards.filter(has=page.locator("h2 a", has_text=POPULATION))
    expect(card).to_have_count(1)
    expect(page.locator(".resource-results")).not_to_contain_text("婚姻登记信息")
    shot("found-by-hukou")

    # 身份证号码 is what people say; the item is 公民身份号码, and the card names it.
    page.locator("#catalog-q").fill("身份证号码")
    page.locator("form.catalog-search button[type=submit]").click()
    expect(card).to_have_count(1)
    expect(card.locator(".resource-matched-items")).to_contain_text("公民身份号码")
    shot("found-by-id-number")

    # Its items and their levels, the L4 ones included: what there is to ask for.
    card.locator("h2 a").click()
    expect(page).to_have_url(re.compile(rf"/catalog/resources/{population.pk}/$"))
    rows = page.locator("#data-items tbody tr")
    expect(rows).to_have_count(len(ITEMS))
    for name, level in ITEMS.items():
        expect(rows.filter(has_text=name).locator(".badge")).to_have_text(f"L{level}")
    expect(page.locator(".access-state")).to_have_attribute("data-state", "request")
    shot("items-and-levels")

    # Request two items: the L4 ID number and the L2 sex.
    page.locator("#add-to-basket").click()
    page.locator("#open-basket").click()
    expect(page).to_have_url(re.compile(r"/sharing/basket/$"))
    today = timezone.localdate()
    page.locator("textarea[name=legal_basis]").fill("《社会救助暂行办法》第十一条")
    page.locator("select[name=purpose]").select_option("administrative")
    page.locator("textarea[name=scenario]").fill("最低生活保障家庭经济状况核对")
    page.locator("input[name=valid_from]").fill(today.isoformat())
    page.locator("input[name=valid_until]").fill((today + timedelta(days=90)).isoformat())
    wanted = {
        item.name: item for item in population.items.filter(name__in=("公民身份号码", "性别"))
    }
    boxes = page.locator(f"input[name=items_{population.pk}]")
    expect(boxes).to_have_count(len(ITEMS))  # the department may ask for every item
    for item in wanted.values():
        page.locator(f"input[name=items_{population.pk}][value='{item.pk}']").check()
    shot("two-items-ticked")
    page.locator("main form[novalidate] button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/sharing/requests/$"))
    request = ShareRequest.objects.get()
    assert request.status == RequestStatus.SUBMITTED
    assert set(request.lines.get().items.values_list("name", flat=True)) == set(wanted)

    # The provider approves: the grant is the department's, with both items.
    sharing_services.share_request_decide(
        actor=approver, request=request, decision="approve", reason=""
    )
    grant = request.grants.get()
    assert set(grant.items.values_list("name", flat=True)) == set(wanted)

    # mz_staff (L2) reads only the item within L2.
    page.goto(f"/catalog/resources/{population.pk}/")
    expect(page.locator(".access-state")).to_have_attribute("data-state", "granted")
    shot("granted")
    response = page.request.get(f"/catalog/resources/{population.pk}/data.csv")
    assert response.status == 200
    text = response.body().decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0] == "性别"
    assert len(lines) == 4
    assert "公民身份号码" not in text and citizen_id(1)[:6] not in text

    # A colleague cleared for L4 reads both granted items, the ID number masked.
    page.context.clear_cookies()
    login(page, mz_senior)
    response = page.request.get(f"/catalog/resources/{population.pk}/data.csv")
    assert response.status == 200
    header = response.body().decode("utf-8-sig").splitlines()[0].split(",")
    assert sorted(header) == sorted(wanted)
