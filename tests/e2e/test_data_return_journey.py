"""数据回流: a district department gets back its own residents' rows from the city's register.

瑶海区民政局 (340102) asks 市民政局 for the city's register of subsistence-allowance recipients,
which holds the rows of every district. The request page tells the requester that the approver
may limit the rows to its region, and what the default is. 市民政局's approver approves with the
default scope -- 瑶海区's rows -- and delivers the ID number in clear, stating why. The requester
sees the scope and the item in clear on the grant page, and the download holds only 瑶海区's
rows, the ID number unmasked and the name masked.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Department, Level, Role
from datasets import services as data_services
from sharing.models import Grant, RequestStatus, ShareRequest

from .. import builders
from ..datasets.conftest import citizen_id

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

REGISTER = "最低生活保障对象信息"
REASON = "依据《社会救助暂行办法》第十一条，入户核对须完整身份证号码。"


def test_a_district_gets_back_its_own_rows_with_the_id_number_in_clear(page, shot, login):
    city = builders.department("市民政局")
    district = builders.department(
        "瑶海区民政局", region_code="340102", admin_level=Department.AdminLevel.DISTRICT
    )
    staff = builders.user(district, clearance=Level.L3, username="yh_staff")
    approver = builders.user(
        city, clearance=Level.L4, roles=(Role.STAFF, Role.APPROVER), username="mz_approver"
    )
    editor = builders.user(city, clearance=Level.L4, roles=(Role.STAFF, Role.EDITOR))
    register = builders.resource(
        city,
        name=REGISTER,
        level=Level.L3,
        items=[
            builders.item("公民身份号码", level=Level.L3, is_key=True, kind="id_number"),
            builders.item("姓名", level=Level.L3, kind="name", length=50),
            builders.item("行政区划代码", level=Level.L1, length=6),
        ],
    )
    residents = {n: ("340102" if n < 3 else "340103") for n in (1, 2, 3)}
    data_services.dataset_push(
        actor=editor,
        resource=register,
        rows=[
            {"公民身份号码": citizen_id(n, region), "姓名": f"居民{n}", "行政区划代码": region}
            for n, region in residents.items()
        ],
        mode="replace",
        batch_id="e2e-data-return",
    )
    id_number = register.items.get(name="公民身份号码")

    # The district requests the register, every item.
    login(page, staff)
    page.goto(f"/catalog/resources/{register.pk}/")
    page.locator("#add-to-basket").click()
    page.locator("#open-basket").click()
    today = timezone.localdate()
    page.locator("textarea[name=legal_basis]").fill("《社会救助暂行办法》第十一条")
    page.locator("select[name=purpose]").select_option("verification")
    page.locator("textarea[name=scenario]").fill("辖区低保对象入户核对")
    page.locator("input[name=valid_from]").fill(today.isoformat())
    page.locator("input[name=valid_until]").fill((today + timedelta(days=90)).isoformat())
    for box in page.locator(f"input[name=items_{register.pk}]").all():
        box.check()
    page.locator("main form[novalidate] button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/sharing/requests/$"))
    request = ShareRequest.objects.get()
    assert request.status == RequestStatus.SUBMITTED

    # Before the decision, the request page says the rows may be limited, and to what.
    detail = reverse("sharing:request_detail", args=[request.pk])
    page.goto(detail)
    expect(page.locator("#scope-note")).to_contain_text("瑶海区 (340102)")
    shot("request-scope-note")

    # The city's approver: the scope is pre-filled with the district's own rows.
    page.context.clear_cookies()
    login(page, approver)
    page.goto(detail)
    decide = page.locator("#decide form")
    expect(decide.locator("select[name=row_scope_region]")).to_have_value("340102")
    decide.locator("input[name=decision][value=approve]").check()
    decide.locator(f"input[name=clear_items][value='{id_number.pk}']").check()
    decide.locator("textarea[name=clear_reason]").fill(REASON)
    shot("approve-with-scope")
    decide.locator("button[type=submit]").click()
    expect(page.locator(".alert-success")).to_be_visible()
    grant = Grant.objects.get(request=request)
    assert grant.row_scope_region == "340102"

    # The requester sees the scope and the item in clear on the grant page.
    page.context.clear_cookies()
    login(page, staff)
    page.goto(reverse("sharing:grant_detail", args=[grant.pk]))
    expect(page.locator("#grant-rows")).to_have_text("瑶海区 (340102)")
    expect(page.locator("#grant-clear")).to_contain_text("公民身份号码")
    expect(page.locator("#grant-clear")).to_contain_text(REASON)
    shot("grant-scope")

    # The download holds 瑶海区's rows only, the ID number in clear, the name masked.
    response = page.request.get(f"/catalog/resources/{register.pk}/data.csv")
    assert response.status == 200
    table = list(csv.DictReader(io.StringIO(response.body().decode("utf-8-sig"))))
    assert sorted(row["公民身份号码"] for row in table) == sorted(
        citizen_id(n, "340102") for n in (1, 2)
    )
    assert {row["姓名"] for row in table} == {"居**"}
    assert {row["行政区划代码"] for row in table} == {"340102"}
    assert citizen_id(3, "340103") not in response.body().decode("utf-8-sig")
