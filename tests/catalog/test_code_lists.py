"""Code lists (代码集): seeded standards, kept in the admin (audited), set on data items through
the editor, the Excel import and the API, read through the API, shown on the resource page."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from accounts.models import Role
from accounts.validators import _region_codes
from audit.models import AuditEvent
from catalog.models import CodeList, CodeListEntry, DataItem, Resource
from catalog.services import resource_update
from catalog.services.imports import resources_import
from tests import builders

from .maintenance_helpers import login
from .test_excel_import import item_cells, resource_cells, workbook
from .test_item_editor import edit_data
from .test_resource_form import form_data

pytestmark = pytest.mark.django_db

SEX = "GB/T 2261.1-2003"
MARITAL = "GB/T 2261.2-2003"
ETHNIC = "GB/T 3304-1991"
REGION = "GB/T 2260"


@pytest.fixture
def people(db):
    department = builders.department("代码集测试部门")
    other = builders.department("代码集另一部门")
    return {
        "department": department,
        "editor": builders.user(department, clearance=3, roles=(Role.STAFF, Role.EDITOR)),
        "other_editor": builders.user(other, clearance=3, roles=(Role.STAFF, Role.EDITOR)),
        "staff": builders.user(department, clearance=1),
        "coordinator": builders.user(
            builders.department("代码集数据局"), clearance=4, roles=(Role.STAFF, Role.COORDINATOR)
        ),
    }


def entries(code: str) -> dict[str, str]:
    return dict(CodeListEntry.objects.filter(code_list__code=code).values_list("value", "label"))


def item_lists(resource: Resource) -> dict[str, str | None]:
    return {
        i.name: (i.code_list.code if i.code_list else None)
        for i in resource.items.select_related("code_list")
    }


# --- the seeded lists ---------------------------------------------------------------------------


def test_the_migration_seeds_the_national_lists():
    assert entries(SEX) == {"0": "未知的性别", "1": "男性", "2": "女性", "9": "未说明的性别"}
    assert entries(MARITAL) == {
        "10": "未婚",
        "20": "已婚",
        "21": "初婚",
        "22": "再婚",
        "23": "复婚",
        "30": "丧偶",
        "40": "离婚",
        "90": "未说明的婚姻状况",
    }
    ethnic = entries(ETHNIC)
    assert len(ethnic) == 58
    assert [f"{n:02d}" for n in range(1, 57)] + ["97", "98"] == list(
        CodeListEntry.objects.filter(code_list__code=ETHNIC)
        .order_by("position")
        .values_list("value", flat=True)
    )
    assert ethnic["01"] == "汉族" and ethnic["46"] == "德昂族" and ethnic["56"] == "基诺族"
    assert ethnic["36"] == "毛南族" and ethnic["97"] == "其他"
    assert ethnic["98"] == "外国血统中国籍人士"
    # GB/T 2260: exactly the codes the region validator takes, read from the same table.
    regions = entries(REGION)
    assert sorted(regions) == _region_codes()
    assert regions["110101"] == "东城区" and regions["340100"] == "合肥市"
    assert CodeList.objects.filter(active=True).count() >= 4


def test_seeding_again_leaves_a_changed_list_alone():
    import importlib

    from django.apps import apps

    CodeList.objects.filter(code=SEX).update(name="性别（本市）")
    importlib.import_module("catalog.migrations.0011_code_lists").seed(apps, None)
    assert CodeList.objects.get(code=SEX).name == "性别（本市）"
    assert CodeList.objects.filter(code=SEX).count() == 1


def test_the_database_refuses_a_code_list_on_a_date_item(people):
    resource = builders.resource(people["department"], status="draft")
    item = resource.items.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        DataItem.objects.filter(pk=item.pk).update(
            data_type="D", code_list=CodeList.objects.get(code=SEX)
        )


def test_a_list_in_use_cannot_be_deleted(people):
    builders.resource(
        people["department"],
        status="draft",
        items=[builders.item("编号", is_key=True), builders.item("性别", length=1, code_list=SEX)],
    )
    with pytest.raises(ProtectedError):
        CodeList.objects.get(code=SEX).delete()


# --- the services (shared by the form, the import and the API) --------------------------------


def test_service_sets_and_refuses_code_lists_with_nothing_changed(people):
    resource = builders.resource(
        people["department"],
        status="draft",
        items=[builders.item("编号", is_key=True), builders.item("性别", length=1, code_list=SEX)],
    )
    assert item_lists(resource) == {"编号": None, "性别": SEX}
    for spec, fragment in [
        (builders.item("性别", length=1, code_list="GB/T 9999"), "GB/T 9999"),
        (builders.item("性别", data_type="D", length=10, code_list=SEX), "C、N、I"),
        (builders.item("性别", data_type="L", length=1, code_list=SEX), "C、N、I"),
    ]:
        with pytest.raises(ValidationError) as caught:
            resource_update(
                actor=people["editor"],
                resource=resource,
                items=[builders.item("编号", is_key=True), spec],
            )
        assert any(fragment in m for m in caught.value.message_dict["items"])
        assert item_lists(Resource.objects.get(pk=resource.pk)) == {"编号": None, "性别": SEX}


def test_an_inactive_list_stays_on_its_items_but_is_not_chosen_anew(people):
    resource = builders.resource(
        people["department"],
        status="draft",
        items=[builders.item("编号", is_key=True), builders.item("性别", length=1, code_list=SEX)],
    )
    CodeList.objects.filter(code=SEX).update(active=False)
    # Editing anything else keeps the item's list.
    resource_update(actor=people["editor"], resource=resource, name="改名后的资源")
    assert item_lists(Resource.objects.get(pk=resource.pk))["性别"] == SEX
    with pytest.raises(ValidationError) as caught:
        builders.resource(
            people["department"],
            status="draft",
            items=[builders.item("性别", length=1, code_list=SEX)],
        )
    assert "不再使用" in " ".join(caught.value.message_dict["items"])


# --- the item editor -------------------------------------------------------------------------


def test_editor_sets_a_code_list_in_the_item_editor(client, people):
    login(client, people["editor"])
    page = client.get(reverse("catalog:resource_create")).content.decode()
    assert f'<option value="{SEX}">{SEX} 人的性别代码</option>' in page
    items = [
        {"name": "编号", "data_type": "C", "length": "10", "level": "1", "kind": "none"},
        {
            "name": "性别",
            "data_type": "C",
            "length": "1",
            "level": "1",
            "kind": "none",
            "code_list": SEX,
        },
    ]
    response = client.post(reverse("catalog:resource_create"), form_data(items=items))
    assert response.status_code == 302
    resource = Resource.objects.get(name="企业登记信息")
    assert item_lists(resource) == {"编号": None, "性别": SEX}
    # The edit page shows it selected, and the list can be taken off again.
    page = client.get(reverse("catalog:resource_edit", args=[resource.pk])).content.decode()
    assert f'<option value="{SEX}" selected>' in page
    items[1]["code_list"] = ""
    response = client.post(
        reverse("catalog:resource_edit", args=[resource.pk]), edit_data(resource, items)
    )
    assert response.status_code == 302
    assert item_lists(resource)["性别"] is None


def test_item_editor_refuses_a_list_on_a_date_item_and_changes_nothing(client, people):
    resource = builders.resource(people["department"], status="draft")
    before = item_lists(resource)
    login(client, people["editor"])
    items = [
        {"name": "编号", "data_type": "C", "length": "10", "level": "1", "kind": "none"},
        {
            "name": "名称",
            "data_type": "D",
            "length": "10",
            "level": "1",
            "kind": "none",
            "code_list": SEX,
        },
    ]
    response = client.post(
        reverse("catalog:resource_edit", args=[resource.pk]), edit_data(resource, items)
    )
    assert response.status_code == 200
    assert "只有字符型和数值型数据项（C、N、I）可以使用代码集" in response.content.decode()
    assert item_lists(Resource.objects.get(pk=resource.pk)) == before
    # An unknown code is not one of the select's choices: the form refuses it too.
    items[1].update(data_type="C", code_list="GB/T 0000")
    response = client.post(
        reverse("catalog:resource_edit", args=[resource.pk]), edit_data(resource, items)
    )
    assert response.status_code == 200
    assert item_lists(Resource.objects.get(pk=resource.pk)) == before


def test_item_editor_query_count_does_not_grow_with_items(
    client, people, django_assert_num_queries
):
    few = builders.resource(people["department"], status="draft")
    many = builders.resource(
        people["department"],
        status="draft",
        items=[builders.item(f"项{n}", length=2, code_list=SEX) for n in range(12)],
    )
    login(client, people["editor"])
    client.get(reverse("catalog:resource_edit", args=[few.pk]))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(reverse("catalog:resource_edit", args=[few.pk]))
    with CaptureQueriesContext(connection) as large:
        client.get(reverse("catalog:resource_edit", args=[many.pk]))
    assert len(large) == len(small)


# --- the Excel import and export ----------------------------------------------------------------


def test_excel_import_sets_the_code_list_by_code(people):
    dept = people["department"]
    data = workbook(
        [resource_cells(dept)],
        [
            item_cells(2),
            item_cells(2, name="性别", length=1, kind="无", is_key="否", code_list=SEX),
        ],
    )
    result = resources_import(actor=people["editor"], data=data)
    assert result.problems == []
    assert item_lists(Resource.objects.get(name="企业登记信息")) == {
        "统一社会信用代码": None,
        "性别": SEX,
    }


def test_excel_import_names_an_unknown_list_and_a_wrong_type_and_imports_nothing(people):
    dept = people["department"]
    data = workbook(
        [resource_cells(dept)],
        [
            item_cells(2),
            item_cells(2, name="性别", length=1, kind="无", is_key="否", code_list="GB/T 0000"),
            item_cells(
                2, name="登记日期", data_type="D", length=10, kind="无", is_key="否", code_list=SEX
            ),
        ],
    )
    result = resources_import(actor=people["editor"], data=data)
    found = {(p.sheet, p.row, p.column): p.message for p in result.problems}
    assert "GB/T 0000" in found[("信息项", 3, "代码集")]
    assert "C、N、I" in found[("信息项", 4, "代码集")]
    assert not Resource.objects.filter(name="企业登记信息").exists()


def test_excel_files_without_the_column_still_import(people):
    dept = people["department"]
    data = workbook([resource_cells(dept)], [item_cells(2)])
    book = load_workbook(io.BytesIO(data))
    book["信息项"].delete_cols(len(book["信息项"][1]))
    buffer = io.BytesIO()
    book.save(buffer)
    assert [c.value for c in book["信息项"][1]][-1] == "说明"
    result = resources_import(actor=people["editor"], data=buffer.getvalue())
    assert result.problems == []


def test_the_export_writes_the_code_list_column(client, people):
    from catalog import excel

    resource = builders.resource(
        people["department"],
        items=[builders.item("编号", is_key=True), builders.item("性别", length=1, code_list=SEX)],
    )
    login(client, people["editor"])
    response = client.get(reverse("catalog:resource_export") + "?format=csv&sheet=items")
    text = b"".join(response.streaming_content if response.streaming else [response.content])
    lines = text.decode("utf-8-sig").splitlines()
    assert lines[0].split(",")[-1] == "代码集"
    assert any(line.endswith(f",{SEX}") and "性别" in line for line in lines)
    assert excel.ITEM_COLUMNS[-1] == ("code_list", "代码集")
    assert resource.code


# --- the resource page ----------------------------------------------------------------------------


def test_the_resource_page_shows_each_items_code_list(client, people):
    resource = builders.resource(
        people["department"],
        items=[builders.item("编号", is_key=True), builders.item("性别", length=1, code_list=SEX)],
    )
    login(client, people["staff"])
    page = client.get(reverse("catalog:resource_detail", args=[resource.pk])).content.decode()
    assert '<th scope="col">代码集</th>' in page
    assert f'<span class="text-nowrap">{SEX}</span> 人的性别代码' in page


# --- the API ----------------------------------------------------------------------------------


def api(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {builders.api_key(user)}")
    return client


def resource_body(**item_overrides) -> dict:
    from catalog.models import Category

    return {
        "category": Category.objects.get(code="101").pk,
        "name": "接口登记的代码集资源",
        "summary": "由接口登记",
        "format_class": "database",
        "share_type": "unconditional",
        "share_method": "api",
        "update_cycle": "daily",
        "level": 1,
        "items": [
            {"name": "编号", "data_type": "C", "length": 18, "level": 1},
            {"name": "性别", "data_type": "C", "length": 1, "level": 1, **item_overrides},
        ],
    }


def test_api_writes_the_code_list_by_code_and_shows_code_and_name(people):
    client = api(people["editor"])
    response = client.post("/api/v1/resources/", resource_body(code_list=SEX), format="json")
    assert response.status_code == 201, response.json()
    items = {i["name"]: i for i in response.json()["items"]}
    assert items["性别"]["code_list"] == {"code": SEX, "name": "人的性别代码"}
    assert items["编号"]["code_list"] is None
    pk = response.json()["id"]
    # An item sent without code_list keeps its list; null takes it off.
    body = resource_body()
    response = client.put(f"/api/v1/resources/{pk}/", body, format="json")
    assert response.status_code == 200, response.json()
    assert item_lists(Resource.objects.get(pk=pk))["性别"] == SEX
    response = client.patch(
        f"/api/v1/resources/{pk}/", {"items": resource_body(code_list=None)["items"]}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert item_lists(Resource.objects.get(pk=pk))["性别"] is None


@pytest.mark.parametrize(
    ("overrides", "fragment"),
    [
        ({"code_list": "GB/T 0000"}, "GB/T 0000"),
        ({"code_list": SEX, "data_type": "D", "length": 10}, "C、N、I"),
    ],
)
def test_api_refuses_an_unknown_list_or_a_wrong_type_and_stores_nothing(
    people, overrides, fragment
):
    count = Resource.objects.count()
    response = api(people["editor"]).post(
        "/api/v1/resources/", resource_body(**overrides), format="json"
    )
    # The body is what the schema allows; the item's rule refuses it (docs/api.md).
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "unprocessable"
    assert fragment in str(response.json())
    assert Resource.objects.count() == count


def test_code_lists_are_read_by_every_signed_in_user_and_nobody_else(people):
    assert APIClient().get("/api/v1/code-lists/").status_code == 401
    assert APIClient().get(f"/api/v1/code-lists/{SEX}/").status_code == 401
    for key in ("staff", "other_editor", "coordinator"):
        client = api(people[key])
        listed = client.get("/api/v1/code-lists/?page_size=200").json()["results"]
        by_code = {c["code"]: c for c in listed}
        assert by_code[SEX]["name"] == "人的性别代码" and by_code[SEX]["entry_count"] == 4
        assert by_code[REGION]["entry_count"] == len(_region_codes())
        page = client.get(f"/api/v1/code-lists/{SEX}/").json()
        assert [(e["value"], e["label"]) for e in page["results"]] == [
            ("0", "未知的性别"),
            ("1", "男性"),
            ("2", "女性"),
            ("9", "未说明的性别"),
        ]


def test_code_list_entries_come_a_page_at_a_time_and_unknown_lists_are_404(people):
    client = api(people["staff"])
    first = client.get(f"/api/v1/code-lists/{ETHNIC}/?page_size=50").json()
    assert len(first["results"]) == 50 and first["results"][0]["value"] == "01"
    second = client.get(first["next"]).json()
    assert [e["value"] for e in second["results"]][-2:] == ["97", "98"]
    assert second["next"] is None
    encoded = client.get("/api/v1/code-lists/GB%2FT%202261.2-2003/").json()
    assert len(encoded["results"]) == 8
    assert client.get("/api/v1/code-lists/GB/T 0000/").status_code == 404
    assert client.get("/api/v1/code-lists/GB/T 2261.1-2003/?page_size=0").status_code == 400


@pytest.mark.parametrize(
    ("path", "queries"),
    [
        # Token lookup (user and department joined), then the page; whatever the page size.
        ("code-lists/", 2),
        # Token lookup, the list, then the page of its entries.
        (f"code-lists/{REGION}/", 3),
    ],
)
def test_code_list_endpoints_cost_a_fixed_number_of_queries(
    people, path, queries, django_assert_num_queries
):
    client = api(people["staff"])
    client.get("/api/v1/me/")  # stamp the token's last use outside the measurement
    for page_size in (2, 200):
        with django_assert_num_queries(queries):
            response = client.get(f"/api/v1/{path}?page_size={page_size}")
        assert response.status_code == 200
        assert len(response.json()["results"]) == min(page_size, len(response.json()["results"]))


# --- the admin site -------------------------------------------------------------------------------


def test_the_coordinator_keeps_code_lists_in_the_admin_and_each_change_is_audited(client, people):
    from accounts.models import User

    coordinator = User.objects.get(pk=people["coordinator"].pk)
    User.objects.filter(pk=coordinator.pk).update(is_staff=True)
    login(client, coordinator)
    response = client.post(
        reverse("admin:catalog_codelist_add"),
        {
            "code": "DB34/T 0001-2026",
            "name": "本市测试代码",
            "description": "",
            "source": "市数据局",
            "active": "on",
            "entries-TOTAL_FORMS": "2",
            "entries-INITIAL_FORMS": "0",
            "entries-MIN_NUM_FORMS": "0",
            "entries-MAX_NUM_FORMS": "1000",
            "entries-0-position": "1",
            "entries-0-value": "A",
            "entries-0-label": "甲类",
            "entries-0-active": "on",
            "entries-1-position": "2",
            "entries-1-value": "B",
            "entries-1-label": "乙类",
            "entries-1-active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    created = CodeList.objects.get(code="DB34/T 0001-2026")
    assert entries(created.code) == {"A": "甲类", "B": "乙类"}
    event = AuditEvent.objects.get(action="code_list.create")
    assert event.details["code"] == created.code and event.details["entries"] == 2
    response = client.post(
        reverse("admin:catalog_codelist_delete", args=[created.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not CodeList.objects.filter(code="DB34/T 0001-2026").exists()
    assert AuditEvent.objects.filter(action="code_list.delete").count() == 1


def test_an_editor_with_admin_access_cannot_change_code_lists(client, people):
    from accounts.models import User

    User.objects.filter(pk=people["editor"].pk).update(is_staff=True)
    login(client, people["editor"])
    sex = CodeList.objects.get(code=SEX)
    assert client.get(reverse("admin:catalog_codelist_changelist")).status_code == 403
    response = client.post(
        reverse("admin:catalog_codelist_change", args=[sex.pk]),
        {"code": SEX, "name": "改掉", "active": "on"},
    )
    assert response.status_code == 403
    assert CodeList.objects.get(code=SEX).name == "人的性别代码"
    assert not AuditEvent.objects.filter(action__startswith="code_list.").exists()


def test_a_long_lists_entries_are_kept_one_at_a_time_and_audited(client, people):
    from accounts.models import User

    User.objects.filter(pk=people["coordinator"].pk).update(is_staff=True)
    login(client, people["coordinator"])
    regions = CodeList.objects.get(code=REGION)
    page = client.get(reverse("admin:catalog_codelist_change", args=[regions.pk]))
    assert page.status_code == 200
    assert "entries-TOTAL_FORMS" not in page.content.decode()  # no inline of thousands of rows
    entry = regions.entries.get(value="110101")
    response = client.post(
        reverse("admin:catalog_codelistentry_change", args=[entry.pk]),
        {
            "code_list": regions.pk,
            "position": entry.position,
            "value": "110101",
            "label": "东城区",
            "active": "",
        },
    )
    assert response.status_code == 302
    assert not CodeListEntry.objects.get(pk=entry.pk).active
    event = AuditEvent.objects.get(action="code_list.update")
    assert event.details["code"] == REGION
    assert event.details["changes"] == [{"entry": "110101", "changed": ["active"]}]


def test_a_code_list_change_of_a_published_resource_is_a_version_with_its_diff(people):
    from catalog import selectors

    resource = builders.resource(
        people["department"],
        items=[builders.item("编号", is_key=True), builders.item("婚姻状况", length=2)],
    )
    resource_update(
        actor=people["editor"],
        resource=resource,
        items=[
            builders.item("编号", is_key=True),
            builders.item("婚姻状况", length=2, code_list=MARITAL),
        ],
    )
    resource = Resource.objects.get(pk=resource.pk)
    assert resource.version == 2
    latest = selectors.resource_versions(user=people["editor"], resource=resource)[0]
    assert latest.version.snapshot["items"][1]["code_list"] == MARITAL
    ((name, changes),) = latest.diff.items_changed
    assert name == "婚姻状况"
    assert [(c.label, c.before, c.after) for c in changes] == [("代码集", "—", MARITAL)]
