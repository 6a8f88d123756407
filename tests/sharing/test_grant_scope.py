"""A grant's row scope and items in clear, set at approval (数据回流), and enforced in every read.

A district department (瑶海区, 340102) asks a city department for its enterprise register, whose
rows lie in two districts. Approved with the default scope and the ID number in clear, it reads
its own district's rows only, the ID number unmasked and the other personal items masked: in
the page preview, the API's rows and verification, and the CSV and XLSX downloads.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from accounts.models import Department, Role, User
from audit.models import AuditEvent
from catalog.models import DataItem, Resource
from datasets import selectors as data_selectors
from datasets import services as data_services
from sharing import scope, services
from sharing.models import Grant, RequestStatus, ShareRequest
from tests import builders
from tests.conftest import restore_seeds
from tests.datasets.conftest import csv_file
from tests.datasets.typed import HEADER, typed_world, valid_row

from .conftest import World as RequestWorld
from .conftest import submit

API = "/api/v1/"
KEY = HEADER[0]
REASON = "依据《居民身份证法》，核验辖区居民身份须完整号码。"


@dataclass
class World:
    provider: Department
    approver: User
    resource: Resource
    district: Department
    staff: User
    request: ShareRequest
    rows: list[list[str]]

    def item(self, name: str) -> DataItem:
        return self.resource.items.get(name=name)

    def fresh(self) -> ShareRequest:
        return ShareRequest.objects.get(pk=self.request.pk)


@pytest.fixture(scope="module")
def _returned(django_db_setup, django_db_blocker) -> Iterator[World]:
    """Build the world once per module; each test runs in its own savepoint (``db``)."""
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=hashers),
        transaction.atomic(),
    ):
        restore_seeds()
        provider, editor, resource = typed_world()  # a city department (340100)
        approver = builders.user(provider, clearance=4, roles=(Role.STAFF, Role.APPROVER))
        rows = [valid_row(1), valid_row(2), valid_row(3, region="340103")]
        data_services.dataset_upload(
            actor=editor, resource=resource, file=csv_file([HEADER, *rows])
        )
        district = builders.department(
            "瑶海区市场监督管理局",
            region_code="340102",
            admin_level=Department.AdminLevel.DISTRICT,
        )
        staff = builders.user(district, clearance=3)
        (request,) = submit(staff, resource)
        yield World(provider, approver, resource, district, staff, request, rows)
        transaction.set_rollback(True)


@pytest.fixture
def world(_returned: World, db) -> World:
    return _returned


def approve(world: World, **terms) -> Grant:
    services.share_request_decide(
        actor=world.approver, request=world.request, decision="approve", **terms
    )
    return Grant.objects.get(request=world.request)


def api(user: User) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {builders.api_key(user)}")
    return client


# --- the default and the choices --------------------------------------------------------------


def test_a_district_asking_a_city_defaults_to_its_own_rows(world):
    city_peer = builders.department("市民政局")
    other_district = builders.department(
        "庐阳区民政局", region_code="340103", admin_level=Department.AdminLevel.DISTRICT
    )
    elsewhere = builders.department(
        "外市区局", region_code="340202", admin_level=Department.AdminLevel.DISTRICT
    )
    assert scope.default_scope(world.district, world.provider) == "340102"
    assert scope.default_scope(city_peer, world.provider) == ""  # city to city: every row
    assert scope.default_scope(world.district, other_district) == ""  # district to district
    assert scope.default_scope(elsewhere, world.provider) == ""  # not within the city
    assert [code for code, _label in scope.choices(world.district)] == ["340102", "3401", "34", ""]
    assert [code for code, _label in scope.choices(world.provider)] == ["3401", "34", ""]
    assert scope.describe("340102") == "瑶海区 (340102)"


def test_the_pages_show_the_scope_before_the_decision(world, client):
    url = reverse("sharing:request_detail", args=[world.request.pk])
    client.force_login(world.staff)
    note = client.get(url).content.decode()
    assert "瑶海区 (340102)" in note
    assert 'name="row_scope_region"' not in note  # the requester gets no decision form
    client.force_login(world.approver)
    page = client.get(url).content.decode()
    assert '<option value="340102" selected>' in page
    assert '<option value="">' in page and '<option value="3401">' in page
    personal = {world.item(n).pk for n in ("法定代表人", "身份证号", "手机号", "统一社会信用代码")}
    offered = {
        i.pk for i in world.resource.items.all() if f'name="clear_items" value="{i.pk}"' in page
    }
    assert offered == personal  # 名称, 注册资本 … are not personal: never offered in clear


# --- approval sets it, the audit trail keeps it -----------------------------------------------


def test_approval_with_the_default_scope_and_an_item_in_clear(world):
    id_number = world.item("身份证号")
    grant = approve(world, clear_items=[id_number.pk], clear_reason=f"  {REASON} ")
    assert grant.row_scope_region == "340102"
    assert list(grant.clear_items.all()) == [id_number]
    assert grant.clear_reason == REASON
    event = AuditEvent.objects.get(action="share_request.approve", object_id=str(world.request.pk))
    assert event.details["row_scope_region"] == "340102"
    assert event.details["row_scope_default"] is True
    assert event.details["clear_items"] == [id_number.pk]
    assert event.details["clear_reason"] == REASON
    assert event.details["legal_basis"] == world.request.legal_basis


def test_an_explicit_empty_scope_is_every_row(world):
    grant = approve(world, row_scope="")
    assert grant.row_scope_region == "" and not grant.clear_items.exists()
    page = data_selectors.dataset_rows_for(user=world.staff, resource=world.resource)
    assert len(page.rows) == 3


@pytest.mark.parametrize(
    ("terms", "field"),
    [
        ({"row_scope": "340103"}, "row_scope_region"),  # another district's rows
        ({"row_scope": "3402"}, "row_scope_region"),  # another city
        ({"row_scope": "3"}, "row_scope_region"),
        ({"clear_items": ["名称"], "clear_reason": REASON}, "clear_items"),  # not personal
        ({"clear_items": ["身份证号"]}, "clear_reason"),  # no reason
        ({"clear_items": ["身份证号"], "clear_reason": "  "}, "clear_reason"),
        # In clear but not granted: the approval leaves the ID number out.
        ({"clear_items": ["身份证号"], "clear_reason": REASON, "drop": "身份证号"}, "clear_items"),
    ],
)
def test_a_scope_out_of_bounds_is_refused_and_nothing_is_granted(world, terms, field):
    terms = dict(terms)
    if "clear_items" in terms:
        terms["clear_items"] = [world.item(n).pk for n in terms["clear_items"]]
    if drop := terms.pop("drop", None):
        kept = [i.pk for i in world.resource.items.exclude(name=drop)]
        terms["items"] = {world.resource.pk: kept}
    with pytest.raises(ValidationError) as caught:
        approve(world, **terms)
    assert field in caught.value.message_dict
    assert world.fresh().status == RequestStatus.SUBMITTED
    assert not Grant.objects.filter(request=world.request).exists()


# --- enforced in every read -------------------------------------------------------------------


def _seen(table: list[list[str]]) -> dict[str, dict[str, str]]:
    """Return the rows of a table (header first) by their key."""
    header, *rows = table
    return {row[0]: dict(zip(header, row, strict=True)) for row in rows}


def test_every_read_keeps_the_scope_and_the_clear_item(world, client):
    approve(world, clear_items=[world.item("身份证号").pk], clear_reason=REASON)
    inside, outside = world.rows[:2], world.rows[2]

    def check(seen: dict[str, dict[str, str]]) -> None:
        assert set(seen) == {row[0] for row in inside}
        for row in inside:
            got = seen[row[0]]
            assert got["身份证号"] == row[3]  # in clear
            assert got["手机号"] == row[4][:3] + "****" + row[4][-4:]  # masked
            assert got["法定代表人"] == "张**"

    # The resource page's preview.
    client.force_login(world.staff)
    page = client.get(reverse("catalog:resource_detail", args=[world.resource.pk]))
    html = page.content.decode()
    assert world.rows[0][3] in html and world.rows[1][3] in html
    assert outside[0] not in html and outside[3] not in html and world.rows[0][4] not in html
    preview = data_selectors.dataset_rows_for(user=world.staff, resource=world.resource)
    check(_seen([preview.columns, *preview.rows]))
    # CSV and XLSX downloads.
    for fmt in ("csv", "xlsx"):
        body = b"".join(
            client.get(reverse("datasets:data_download", args=[world.resource.pk, fmt]))
        )
        if fmt == "csv":
            table = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
        else:
            sheet = load_workbook(io.BytesIO(body), read_only=True).worksheets[0]
            table = [
                [str(v) if v is not None else "" for v in r]
                for r in sheet.iter_rows(values_only=True)
            ]
        check(_seen(table))
    # The API's rows and verification: a key outside the scope is not found.
    reader = api(world.staff)
    rows_url = f"{API}resources/{world.resource.pk}/rows/"
    results = reader.get(rows_url).json()["results"]
    check({r[KEY]: r for r in results})
    verify = f"{API}resources/{world.resource.pk}/verify/"
    found = reader.post(verify, {"keys": {KEY: inside[0][0]}}, format="json").json()
    missing = reader.post(verify, {"keys": {KEY: outside[0]}}, format="json").json()
    assert (found["exists"], missing["exists"]) == (True, False)
    by_key = reader.get(rows_url, {"key": f"{KEY}:{outside[0]}"}).json()["results"]
    assert by_key == []


# --- the API ------------------------------------------------------------------------------------


def test_the_api_approves_with_the_default_scope_and_shows_it(world):
    approver = api(world.approver)
    id_number, mobile = world.item("身份证号"), world.item("手机号")
    url = f"{API}share-requests/{world.request.pk}/approve/"
    refused = approver.post(url, {"clear_items": [id_number.pk]}, format="json")
    # Items in clear without the reason: a rule across the fields (422), nothing granted.
    assert refused.status_code == 422 and "clear_reason" in refused.json()["error"]["fields"]
    assert not Grant.objects.filter(request=world.request).exists()
    done = approver.post(
        url, {"clear_items": [id_number.pk], "clear_reason": REASON}, format="json"
    )
    assert done.status_code == 200, done.content
    grant = Grant.objects.get(request=world.request)
    shown = api(world.staff).get(f"{API}grants/{grant.pk}/").json()
    assert shown["row_scope_region"] == "340102"
    assert shown["clear_items"] == [id_number.pk] and mobile.pk not in shown["clear_items"]
    assert shown["clear_reason"] == REASON


def test_the_api_takes_an_explicit_scope(world):
    url = f"{API}share-requests/{world.request.pk}/approve/"
    approver = api(world.approver)
    assert approver.post(url, {"row_scope_region": "340103"}, format="json").status_code == 422
    assert approver.post(url, {"row_scope_region": ""}, format="json").status_code == 200
    assert Grant.objects.get(request=world.request).row_scope_region == ""


def test_the_requester_cannot_set_or_change_the_scope(world, client):
    staff = api(world.staff)
    url = f"{API}share-requests/{world.request.pk}/approve/"
    assert staff.post(url, {"row_scope_region": ""}, format="json").status_code in (403, 404)
    client.force_login(world.staff)
    client.post(
        reverse("sharing:request_decide", args=[world.request.pk]),
        {"decision": "approve", "row_scope_region": ""},
    )
    assert world.fresh().status == RequestStatus.SUBMITTED
    grant = approve(world)
    changed = staff.patch(f"{API}grants/{grant.pk}/", {"row_scope_region": ""}, format="json")
    assert changed.status_code == 405
    grant.refresh_from_db()
    assert grant.row_scope_region == "340102"


def test_the_grant_page_shows_rows_and_clear_items(world, client):
    grant = approve(world, clear_items=[world.item("身份证号").pk], clear_reason=REASON)
    client.force_login(world.staff)
    html = client.get(reverse("sharing:grant_detail", args=[grant.pk])).content.decode()
    assert "瑶海区 (340102)" in html
    clear = html.split('id="grant-clear"')[1].split("</dd>")[0]
    assert "身份证号" in clear and REASON in clear and "手机号" not in clear


def test_the_approval_form_posts_the_scope(world, client):
    client.force_login(world.approver)
    response = client.post(
        reverse("sharing:request_decide", args=[world.request.pk]),
        {
            "decision": "approve",
            "row_scope_region": "3401",
            "clear_items": [world.item("手机号").pk],
            "clear_reason": REASON,
            f"items_{world.resource.pk}": [i.pk for i in world.resource.items.all()],
        },
    )
    assert response.status_code == 302
    grant = Grant.objects.get(request=world.request)
    assert grant.row_scope_region == "3401"
    assert list(grant.clear_items.values_list("name", flat=True)) == ["手机号"]


# --- who may set it: the access matrix ----------------------------------------------------------


def test_only_who_may_decide_sets_a_scope(matrix):
    world_ = RequestWorld(matrix)
    (request,) = submit(world_.user("cons_staff_3"), matrix.resources["pub_cond_1"])
    for user_key in world_.matrix.users:
        user = world_.user(user_key)
        allowed = world_.expect_decide(user_key, "r_cons_1")
        if allowed:
            continue
        with pytest.raises(PermissionDenied):
            services.share_request_decide(
                actor=user, request=request, decision="approve", row_scope="34"
            )
    deciders = [k for k in world_.matrix.users if world_.expect_decide(k, "r_cons_1")]
    assert deciders
    services.share_request_decide(
        actor=world_.user(deciders[0]), request=request, decision="approve", row_scope="34"
    )
    assert Grant.objects.get(request=request).row_scope_region == "34"
