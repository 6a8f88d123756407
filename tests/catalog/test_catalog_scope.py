"""The catalog scope (目录共享范围): who sees an entry, set by its editors or the coordinator.

Every department sees an entry by default, whatever its level; ``cleared`` and ``provider`` are
exceptions that need a reason. Setting the scope through the form, the coordinator's page, the
Excel template or the API goes through one service and leaves an audit event with the old and
new scope and the reason; bad input changes nothing.
"""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from accounts.models import Role
from audit.models import AuditEvent
from catalog import excel, selectors, services
from catalog.models import Resource
from catalog.services.imports import resources_import
from tests import builders

from .maintenance_helpers import body, login
from .test_excel_import import item_cells, resource_cells, workbook
from .test_resource_form import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    provider = builders.department("户籍提供部门")
    consumer = builders.department("使用部门")
    bureau = builders.department("数据主管部门")
    people = {
        "editor": builders.user(provider, clearance=4, roles=(Role.STAFF, Role.EDITOR)),
        "provider_staff_1": builders.user(provider, clearance=1),
        "staff_1": builders.user(consumer, clearance=1),
        "staff_4": builders.user(consumer, clearance=4),
        "coordinator": builders.user(bureau, clearance=4, roles=(Role.STAFF, Role.COORDINATOR)),
        "coordinator_2": builders.user(bureau, clearance=2, roles=(Role.STAFF, Role.COORDINATOR)),
    }
    resource = builders.resource(
        provider,
        level=4,
        name="户籍人口信息",
        items=[
            builders.item("编号", level=1, is_key=True),
            builders.item("公民身份号码", level=4, kind="id_number"),
        ],
    )
    return {"provider": provider, "consumer": consumer, "resource": resource, **people}


def visible(user) -> set[str]:
    return set(selectors.resources_visible_to(user=user).values_list("name", flat=True))


def scope_events(resource: Resource) -> list[dict]:
    """Return the resource's scope changes, oldest first, without the channel they came by."""
    events = AuditEvent.objects.filter(action="resource.scope", object_id=str(resource.pk))
    return [
        {k: v for k, v in e.details.items() if k != "channel"} for e in events.order_by("sequence")
    ]


def channels(resource: Resource) -> set[str]:
    events = AuditEvent.objects.filter(action="resource.scope", object_id=str(resource.pk))
    return {e.details["channel"] for e in events}


def test_the_default_shows_the_entry_and_its_items_to_every_department(world):
    resource = world["resource"]
    assert resource.catalog_scope == "departments"
    assert "户籍人口信息" in visible(world["staff_1"])  # L1 learns that the L4 entry exists
    client = login(Client(), world["staff_1"])
    page = client.get(reverse("catalog:resource_detail", args=[resource.pk])).content.decode()
    assert "公民身份号码" in page and 'data-catalog-scope="departments"' in page
    # ...and reads none of it: the data stays behind clearance and a grant.
    assert not world["staff_1"].has_perm("catalog.read_resource_data", resource)


def test_a_limited_scope_needs_a_reason_and_changes_nothing_without_one(world):
    resource = world["resource"]
    for scope in ("cleared", "provider"):
        with pytest.raises(ValidationError) as caught:
            services.resource_scope_set(
                actor=world["editor"], resource=resource, scope=scope, reason="  "
            )
        assert "catalog_scope_reason" in caught.value.message_dict
    with pytest.raises(ValidationError):
        services.resource_scope_set(actor=world["editor"], resource=resource, scope="everyone")
    resource.refresh_from_db()
    assert resource.catalog_scope == "departments"
    assert scope_events(resource) == []


def test_editors_limit_the_entry_and_the_change_is_audited(world):
    resource = world["resource"]
    services.resource_scope_set(
        actor=world["editor"], resource=resource, scope="cleared", reason="名册的存在本身敏感"
    )
    assert "户籍人口信息" not in visible(world["staff_1"])
    assert "户籍人口信息" in visible(world["staff_4"])
    assert "户籍人口信息" in visible(world["provider_staff_1"])  # its own department's
    services.resource_scope_set(
        actor=world["editor"], resource=resource, scope="provider", reason="仅本部门掌握"
    )
    assert "户籍人口信息" not in visible(world["staff_4"])
    assert "户籍人口信息" in visible(world["coordinator"])
    assert "户籍人口信息" not in visible(world["coordinator_2"])  # not cleared for L4
    assert scope_events(resource) == [
        {"from": "departments", "to": "cleared", "reason": "名册的存在本身敏感"},
        {"from": "cleared", "to": "provider", "reason": "仅本部门掌握"},
    ]


def test_the_coordinator_overrides_within_clearance_and_nobody_else_may(world):
    resource = world["resource"]
    for outsider in ("staff_4", "provider_staff_1", "coordinator_2"):
        with pytest.raises(PermissionDenied):
            services.resource_scope_set(
                actor=world[outsider], resource=resource, scope="cleared", reason="越权"
            )
    services.resource_scope_set(
        actor=world["coordinator"], resource=resource, scope="cleared", reason="主管部门认定"
    )
    resource.refresh_from_db()
    assert (resource.catalog_scope, resource.catalog_scope_reason) == ("cleared", "主管部门认定")
    # Back to the default: the reason goes, the change is recorded.
    services.resource_scope_set(actor=world["coordinator"], resource=resource, scope="departments")
    resource.refresh_from_db()
    assert (resource.catalog_scope, resource.catalog_scope_reason) == ("departments", "")
    assert [e["to"] for e in scope_events(resource)] == ["cleared", "departments"]


def test_the_coordinators_page_sets_the_scope_and_others_are_refused(world):
    resource = world["resource"]
    url = reverse("catalog:resource_scope", args=[resource.pk])
    coordinator = login(Client(), world["coordinator"])
    detail = coordinator.get(reverse("catalog:resource_detail", args=[resource.pk]))
    assert url in detail.content.decode()
    missing = coordinator.post(url, {"catalog_scope": "provider", "catalog_scope_reason": ""})
    assert missing.status_code == 200  # the form again, with the error
    resource.refresh_from_db()
    assert resource.catalog_scope == "departments" and scope_events(resource) == []
    done = coordinator.post(url, {"catalog_scope": "provider", "catalog_scope_reason": "侦查秘密"})
    assert done.status_code == 302
    resource.refresh_from_db()
    assert resource.catalog_scope == "provider"
    # A department user who may see the entry but not change it is refused; after the change
    # the entry does not exist for another department.
    assert login(Client(), world["provider_staff_1"]).get(url).status_code == 403
    assert login(Client(), world["staff_4"]).get(url).status_code == 404


def test_the_resource_form_carries_the_scope_and_asks_for_the_reason(world):
    editor = login(Client(), world["editor"])
    url = reverse("catalog:resource_create")
    refused = editor.post(url, form_data(name="低保名册", catalog_scope="cleared"))
    assert refused.status_code == 200
    assert not Resource.objects.filter(name="低保名册").exists()
    created = editor.post(
        url,
        form_data(
            name="低保名册", catalog_scope="cleared", catalog_scope_reason="救助对象名册敏感"
        ),
    )
    assert created.status_code == 302
    resource = Resource.objects.get(name="低保名册")
    assert (resource.catalog_scope, resource.catalog_scope_reason) == (
        "cleared",
        "救助对象名册敏感",
    )
    assert scope_events(resource) == [
        {"from": "departments", "to": "cleared", "reason": "救助对象名册敏感"}
    ]


def test_the_excel_template_exports_and_imports_the_scope(world):
    editor = world["editor"]
    provider = world["provider"]
    data = workbook(
        [
            resource_cells(provider, name="普通目录"),
            resource_cells(
                provider,
                name="敏感目录",
                catalog_scope="仅提供方可见",
                catalog_scope_reason="存在本身敏感",
            ),
            resource_cells(provider, name="缺理由目录", catalog_scope="分级授权可见"),
        ],
        [item_cells(2), item_cells(3), item_cells(4)],
    )
    refused = resources_import(actor=editor, data=data)
    assert refused.problems and not Resource.objects.filter(name="普通目录").exists()
    assert any(p.row == 4 for p in refused.problems)
    data = workbook(
        [
            resource_cells(provider, name="普通目录"),
            resource_cells(
                provider,
                name="敏感目录",
                catalog_scope="仅提供方可见",
                catalog_scope_reason="存在本身敏感",
            ),
        ],
        [item_cells(2), item_cells(3)],
    )
    assert resources_import(actor=editor, data=data).problems == []
    assert Resource.objects.get(name="普通目录").catalog_scope == "departments"
    sensitive = Resource.objects.get(name="敏感目录")
    assert (sensitive.catalog_scope, sensitive.catalog_scope_reason) == ("provider", "存在本身敏感")
    assert scope_events(sensitive)[0]["to"] == "provider"

    # The export writes both columns; another department's user gets no row of the limited one.
    exported = login(Client(), editor).get(reverse("catalog:resource_export") + "?format=xlsx")
    sheet = load_workbook(io.BytesIO(body(exported)))[excel.RESOURCE_SHEET]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header = rows[0]
    scope_at = header.index("目录共享范围")
    by_name = {row[header.index("名称")]: row for row in rows[1:]}
    assert by_name["敏感目录"][scope_at] == "仅提供方可见"
    assert by_name["敏感目录"][scope_at + 1] == "存在本身敏感"
    other = login(Client(), world["staff_4"]).get(
        reverse("catalog:resource_export") + "?format=csv"
    )
    assert "敏感目录" not in body(other).decode("utf-8-sig")


def test_a_file_in_the_template_without_the_scope_columns_still_imports(world):
    provider = world["provider"]
    data = workbook([resource_cells(provider, name="旧模板目录")], [item_cells(2)])
    book = load_workbook(io.BytesIO(data))
    sheet = book[excel.RESOURCE_SHEET]
    # A file of the template before the scope and validity columns: the last three are missing.
    sheet.delete_cols(len(excel.RESOURCE_COLUMNS) - 2, 3)
    stream = io.BytesIO()
    book.save(stream)
    assert resources_import(actor=world["editor"], data=stream.getvalue()).problems == []
    assert Resource.objects.get(name="旧模板目录").catalog_scope == "departments"


def test_the_api_reads_and_writes_the_scope(world):
    resource = world["resource"]

    def client(user) -> APIClient:
        key = builders.api_key(user, name="t", days=1)
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        return api

    url = f"/api/v1/resources/{resource.pk}/"
    read = client(world["staff_1"]).get(url)
    assert read.status_code == 200
    assert read.json()["catalog_scope"] == "departments"
    assert {i["name"]: i["level"] for i in read.json()["items"]} == {"编号": 1, "公民身份号码": 4}

    editor = client(world["editor"])
    bad = editor.patch(url, {"catalog_scope": "cleared"}, format="json")
    assert bad.status_code == 422
    assert "catalog_scope_reason" in str(bad.json())
    resource.refresh_from_db()
    assert resource.catalog_scope == "departments"
    done = editor.patch(
        url, {"catalog_scope": "cleared", "catalog_scope_reason": "名册敏感"}, format="json"
    )
    assert done.status_code == 200 and done.json()["catalog_scope"] == "cleared"
    assert client(world["staff_1"]).get(url).status_code == 404
    listed = client(world["staff_1"]).get("/api/v1/resources/").json()
    assert resource.pk not in [r["id"] for r in listed["results"]]

    coordinator = client(world["coordinator"])
    override = coordinator.post(
        url + "scope/",
        {"catalog_scope": "provider", "catalog_scope_reason": "主管认定"},
        format="json",
    )
    assert override.status_code == 200 and override.json()["catalog_scope"] == "provider"
    refused = client(world["staff_4"]).post(
        url + "scope/", {"catalog_scope": "departments"}, format="json"
    )
    assert refused.status_code == 404  # it no longer exists for them
    assert [e["to"] for e in scope_events(resource)] == ["cleared", "provider"]
    assert channels(resource) == {"api"}


def test_the_import_template_shows_the_scope_columns_with_the_default(world):
    response = login(Client(), world["editor"]).get(reverse("catalog:resource_import_template"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(body(response)))[excel.RESOURCE_SHEET]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    at = rows[0].index("目录共享范围")
    assert rows[0][at + 1] == "目录范围理由"
    assert rows[1][at] == "各部门可见"
