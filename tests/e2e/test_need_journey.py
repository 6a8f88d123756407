"""A data need in a real browser: a search finds nothing, so the staff member files a need; the
coordinator routes it, the provider answers with a resource, and the requester makes it a share
request in one click.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from accounts.models import Level, Role
from needs.models import Need, NeedStatus
from sharing.models import RequestStatus, ShareRequest

from .. import builders

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WANTED = "单身证明"


def test_zero_result_search_to_a_share_request(page, shot, login):
    civil = builders.department("市民政局")
    registry = builders.department("市婚姻登记中心")
    bureau = builders.department("市数据资源局")
    staff = builders.user(civil, clearance=Level.L2, username="mz_staff")
    coordinator = builders.user(
        bureau, clearance=Level.L4, roles=(Role.STAFF, Role.COORDINATOR), username="sj_coord"
    )
    approver = builders.user(
        registry, clearance=Level.L3, roles=(Role.STAFF, Role.APPROVER), username="hy_approver"
    )
    # Listed under a name the requester did not think of, so the search finds nothing.
    resource = builders.resource(
        registry,
        name="结婚离婚登记记录",
        level=Level.L2,
        items=[
            builders.item("公民身份号码", level=1, is_key=True),
            builders.item("婚姻状况", level=2),
            builders.item("登记机关", level=1),
        ],
    )

    # 1. The search finds nothing and offers to file a need, prefilled with the query.
    login(page, staff)
    page.goto("/catalog/search/")
    page.locator("#catalog-q").fill(WANTED)
    page.locator("form.catalog-search button[type=submit]").click()
    expect(page.locator(".resource-card")).to_have_count(0)
    shot("search-finds-nothing")
    page.locator("#file-need").click()
    expect(page).to_have_url(re.compile(r"/needs/new/\?title="))
    expect(page.locator("input[name=title]")).to_have_value(WANTED)
    page.locator("textarea[name=description]").fill("低保审核需核验申请人婚姻状况")
    page.locator("textarea[name=data_items]").fill("公民身份号码\n婚姻状况")
    page.locator("textarea[name=legal_basis]").fill("《社会救助暂行办法》第十一条")
    page.locator("select[name=purpose]").select_option("verification")
    page.locator("textarea[name=business]").fill("最低生活保障审核")
    shot("need-form")
    page.locator("main form[novalidate] button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/needs/\d+/$"))
    need = Need.objects.get()
    expect(page.locator(".need-status")).to_have_text(str(NeedStatus.OPEN.label))
    shot("need-filed")

    # 2. The coordinator routes it to the department that holds the data.
    page.context.clear_cookies()
    login(page, coordinator)
    page.goto(f"/needs/{need.pk}/")
    page.locator("input[name=provider]").fill(registry.name)  # typed, not picked from all
    page.locator("#need-route").click()
    expect(page.locator(".need-status")).to_have_text(str(NeedStatus.ROUTED.label))
    shot("need-routed")

    # 3. The provider's approver answers with its resource.
    page.context.clear_cookies()
    login(page, approver)
    page.goto("/needs/?state=waiting")
    page.locator("main table a", has_text=need.number).click()
    page.locator("input[name=resource]").fill(resource.code)
    page.locator("#need-link").click()
    expect(page.locator(".need-status")).to_have_text(str(NeedStatus.LINKED.label))
    expect(page.locator(".need-resource")).to_contain_text(resource.name)
    expect(page.locator(".sharing-timeline")).to_contain_text("数据需求已分派")  # readable history
    shot("need-answered")

    # 4. The requester makes the share request in one click, with the need's terms.
    page.context.clear_cookies()
    login(page, staff)
    page.goto(f"/needs/{need.pk}/")
    page.locator("#need-request").click()
    request = ShareRequest.objects.get()
    expect(page).to_have_url(re.compile(rf"/sharing/requests/{request.pk}/$"))
    assert request.status == RequestStatus.SUBMITTED and request.provider == registry
    assert request.legal_basis == "《社会救助暂行办法》第十一条"
    assert {i.name for i in request.lines.get().items.all()} == {"公民身份号码", "婚姻状况"}
    expect(page.locator("main")).to_contain_text(resource.name)
    shot("share-request-made")
    assert Need.objects.get().share_request == request
