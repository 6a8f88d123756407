"""Sharing in a real browser: search in Chinese, request, approve with two factors, read masked.

A small world built with the builders (fast and deterministic): the city's public security
bureau provides a conditional L3 resource "人口基础信息" with a citizen ID number item and three
rows of data, and a secret L4 resource; the civil affairs bureau's staff (L3) requests the first
one; the provider's approver (L3, TOTP device) decides. Each journey starts from the state the
previous one leaves, built through the services, so each can fail on its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.translation import gettext, override
from django_otp.oath import totp
from playwright.sync_api import expect

from accounts import services as account_services
from accounts.models import Department, Level, Role, User
from catalog.models import Resource
from datasets import services as data_services
from sharing import services as sharing_services
from sharing.models import RequestStatus, ShareRequest

from .. import builders
from ..datasets.conftest import citizen_id

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TOTP_SECRET = "3132333435363738393031323334353637383930"  # RFC 6238's test key, hex
POPULATION = "人口基础信息"
SECRET_NAME = "涉密人员专项名录"
PLAIN_IDS = [citizen_id(n) for n in (1, 2, 3)]


@dataclass
class World:
    provider: Department
    requester: Department
    staff: User
    approver: User
    low: User
    population: Resource
    secret: Resource


def _zh(text: str) -> str:
    with override("zh-hans"):
        return gettext(text)


def _world() -> World:
    provider = builders.department("市公安局")
    requester = builders.department("市民政局")
    staff = builders.user(requester, clearance=Level.L3, username="mz_staff")
    approver = builders.user(
        provider, clearance=Level.L3, roles=(Role.STAFF, Role.APPROVER), username="ga_approver"
    )
    low = builders.user(requester, clearance=Level.L1, username="mz_junior")
    population = builders.resource(
        provider,
        name=POPULATION,
        level=Level.L3,
        summary="全市户籍人口和常住人口的基础信息",
        items=[
            builders.item("公民身份号码", level=Level.L1, is_key=True, kind="id_number"),
            builders.item("姓名", level=Level.L2, kind="none", length=50),
        ],
    )
    # An entry whose very existence is sensitive: only users cleared for L4 see it.
    secret = builders.resource(
        provider, name=SECRET_NAME, level=Level.L4, share_type="none", catalog_scope="cleared"
    )
    editor = builders.user(provider, clearance=Level.L4, roles=(Role.STAFF, Role.EDITOR))
    data_services.dataset_push(
        actor=editor,
        resource=population,
        rows=[{"公民身份号码": v, "姓名": f"居民{n}"} for n, v in enumerate(PLAIN_IDS, 1)],
        mode="replace",
        batch_id="e2e-population",
    )
    return World(provider, requester, staff, approver, low, population, secret)


def _request_submitted(world: World) -> ShareRequest:
    today = timezone.localdate()
    sharing_services.basket_add(actor=world.staff, resource=world.population)
    (created,) = sharing_services.share_requests_submit(
        actor=world.staff,
        legal_basis="《政务数据共享条例》第十条",
        purpose="administrative",
        purpose_other="",
        scenario="最低生活保障资格核查",
        valid_from=today,
        valid_until=today + timedelta(days=90),
        items={world.population.pk: list(world.population.items.values_list("pk", flat=True))},
    )
    return created


def test_staff_searches_in_chinese_and_requests_a_conditional_resource(page, shot, login):
    world = _world()
    login(page, world.staff)

    page.goto("/catalog/search/")
    page.locator("#catalog-q").fill("人口")
    page.locator("form.catalog-search button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/catalog/search/\?q=%E4%BA%BA%E5%8F%A3"))
    hit = page.locator(".resource-card h2 a", has_text=POPULATION)
    expect(hit).to_have_count(1)
    expect(page.locator(".resource-results")).not_to_contain_text(SECRET_NAME)
    shot("search-results")

    hit.click()
    expect(page.locator("main h1")).to_have_text(POPULATION)
    expect(page.locator(".access-state")).to_have_attribute("data-state", "request")
    shot("resource-detail")

    # One click puts it in the basket and stays on the page; the navigation counts it.
    page.locator("#add-to-basket").click()
    expect(page).to_have_url(re.compile(rf"/catalog/resources/{world.population.pk}/"))
    expect(page.locator("#open-basket")).to_be_visible()
    shot("added-to-basket")
    page.locator("#open-basket").click()
    expect(page).to_have_url(re.compile(r"/sharing/basket/$"))
    expect(page.locator("main table")).to_contain_text(POPULATION)

    today = timezone.localdate()
    page.locator("textarea[name=legal_basis]").fill("《政务数据共享条例》第十条")
    page.locator("select[name=purpose]").select_option("administrative")
    page.locator("textarea[name=scenario]").fill("最低生活保障资格核查")
    page.locator("input[name=valid_from]").fill(today.isoformat())
    page.locator("input[name=valid_until]").fill((today + timedelta(days=90)).isoformat())
    items = page.locator(f"input[name=items_{world.population.pk}]")
    expect(items).to_have_count(2)  # both items are within the staff's L3 clearance
    for index in range(2):  # nothing is ticked until the requester chooses
        expect(items.nth(index)).not_to_be_checked()
    page.locator(f"[data-select-all=items_{world.population.pk}]").click()
    for index in range(2):
        expect(items.nth(index)).to_be_checked()
    shot("request-form")
    page.locator("main form[novalidate] button[type=submit]").click()

    expect(page).to_have_url(re.compile(r"/sharing/requests/$"))
    request = ShareRequest.objects.get()
    assert request.status == RequestStatus.SUBMITTED
    assert request.due_date is not None
    row = page.locator("main table tbody tr", has_text=request.number)
    expect(row).to_contain_text(POPULATION)
    expect(row).to_contain_text(request.due_date.strftime("%Y-%m-%d"))
    expect(row).to_contain_text(str(RequestStatus(request.status).label))
    expect(page.locator(".alert-success")).to_contain_text(request.number)
    shot("request-submitted")


@pytest.mark.two_factor
def test_approver_signs_in_with_two_factors_and_approves(page, shot, live_server, settings):
    # A wrong code delays the next attempt (django-otp throttling); the journey must not wait.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    world = _world()
    request = _request_submitted(world)
    device = account_services.totp_device_create(
        actor=None, user=world.approver, secret_hex=TOTP_SECRET
    )

    page.goto("/accounts/login/?next=/sharing/inbox/")
    page.locator("input[name=username]").fill("ga_approver")
    page.locator("input[name=password]").fill(builders.PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/"))
    expect(page.locator("main h1")).to_have_text(_zh("Two-factor sign-in"))
    shot("second-factor")

    page.locator("input[name=token]").fill(f"{(int(_code(device)) + 500_000) % 1_000_000:06d}")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main .alert-danger, main .invalid-feedback").first).to_be_visible()
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/"))

    page.locator("input[name=token]").fill(_code(device))
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(f"{live_server.url}/sharing/inbox/")
    row = page.locator("main table tbody tr", has_text=request.number)
    expect(row).to_contain_text(POPULATION)
    expect(row).to_contain_text(world.requester.name)
    shot("inbox")

    row.locator("a", has_text=request.number).click()
    expect(page).to_have_url(re.compile(rf"/sharing/requests/{request.pk}/$"))
    decide = page.locator(f"form[action$='/requests/{request.pk}/decide/']")
    decide.locator("input[name=decision][value=approve]").check()
    shot("decision")
    decide.locator("button[type=submit]").click()

    expect(page.locator(".alert-success")).to_contain_text(_zh("Your decision is recorded."))
    request.refresh_from_db()
    assert request.status == RequestStatus.APPROVED
    grant = request.grants.get()
    assert grant.department_id == world.requester.pk
    assert set(grant.items.values_list("name", flat=True)) == {"公民身份号码", "姓名"}
    expect(page.locator("main")).to_contain_text(str(RequestStatus(request.status).label))
    shot("approved")


def _code(device) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):0{device.digits}d}"


def test_staff_reads_the_granted_data_masked(page, shot, login):
    world = _world()
    request = _request_submitted(world)
    sharing_services.share_request_decide(
        actor=world.approver, request=request, decision="approve", reason=""
    )
    login(page, world.staff)

    page.goto(f"/catalog/resources/{world.population.pk}/")
    expect(page.locator("main h1")).to_have_text(POPULATION)
    state = page.locator(".access-state")
    expect(state).to_have_attribute("data-state", "granted")
    expect(state).to_contain_text(_zh("Read the data"))
    shot("granted")
    download = page.locator(f"a[href*='/catalog/resources/{world.population.pk}/data.']")
    if download.count():  # the detail page links the download once it offers one
        expect(download.first).to_be_visible()

    response = page.request.get(f"/catalog/resources/{world.population.pk}/data.csv")
    assert response.status == 200
    text = response.body().decode("utf-8-sig")
    lines = [line.split(",") for line in text.strip().splitlines()]
    assert lines[0] == ["公民身份号码", "姓名"]
    ids = sorted(line[0] for line in lines[1:])
    assert ids == sorted(f"{v[:6]}********{v[-4:]}" for v in PLAIN_IDS)
    assert not any(plain in text for plain in PLAIN_IDS)


def test_low_clearance_user_cannot_reach_a_limited_entry_by_url(page, shot, login):
    world = _world()
    login(page, world.low)

    response = page.goto(f"/catalog/resources/{world.secret.pk}/")
    assert response is not None and response.status == 404
    expect(page.locator("main")).to_be_visible()
    assert SECRET_NAME not in page.content()
    shot("not-found")

    page.goto("/catalog/search/?q=" + SECRET_NAME)
    expect(page.locator(".empty-state")).to_be_visible()  # it echoes the query, nothing more
    expect(page.locator(".resource-card")).to_have_count(0)
    shot("search-finds-nothing")

    # The L3 entry every department sees is there for the L1 user; the limited one is not.
    page.goto("/catalog/")
    expect(page.locator(".resource-card h2 a", has_text=POPULATION)).to_have_count(1)
    assert SECRET_NAME not in page.content()
