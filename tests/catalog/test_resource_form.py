"""Creating and editing a resource with its data items in one form: every rule, nothing changed."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from catalog.models import Category, DataItem, Resource
from tests import builders

from .maintenance_helpers import login

pytestmark = pytest.mark.django_db


def form_data(**overrides: Any) -> dict[str, Any]:
    """Return a valid POST for the resource form with two data items."""
    items = overrides.pop(
        "items",
        [
            {
                "name": "统一社会信用代码",
                "data_type": "C",
                "length": "18",
                "level": "1",
                "kind": "uscc",
                "is_key": "on",
            },
            {"name": "企业名称", "data_type": "C", "length": "100", "level": "2", "kind": "none"},
        ],
    )
    data: dict[str, Any] = {
        "category": str(Category.objects.get(code="102").pk),
        "name": "企业登记信息",
        "summary": "企业登记的基本信息",
        "format_class": "database",
        "format_type": "PostgreSQL",
        "share_type": "conditional",
        "share_condition": "用于行政审批",
        "share_method": "api",
        "open_type": "not_open",
        "open_condition": "",
        "update_cycle": "daily",
        "level": "2",
        "source_system": "",
        "region_code": "",
        "related_codes": "",
        "items-TOTAL_FORMS": str(len(items)),
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "500",
    }
    for index, item in enumerate(items):
        for key, value in item.items():
            data[f"items-{index}-{key}"] = value
    data.update(overrides)
    return data


@pytest.fixture
def editor(db):
    department = builders.department("表单测试部门")
    return builders.user(department, clearance=3, roles=("staff", "editor"))


def test_editor_creates_a_resource_with_items(client, editor):
    login(client, editor)
    response = client.post(reverse("catalog:resource_create"), form_data())
    assert response.status_code == 302, response.context and response.context["form"].errors
    resource = Resource.objects.get(name="企业登记信息")
    assert resource.provider == editor.department and resource.status == "draft"
    assert resource.region_code == editor.department.region_code
    assert [i.name for i in resource.items.order_by("position")] == ["统一社会信用代码", "企业名称"]
    assert AuditEvent.objects.filter(action="resource.create", object_id=str(resource.pk)).exists()


BAD_INPUT = {
    "name too long": ({"name": "名" * 51}, "name"),
    "summary too long": ({"summary": "摘" * 257}, "summary"),
    "conditional without conditions": ({"share_condition": ""}, "share_condition"),
    "not shared without legal basis": (
        {"share_type": "none", "share_condition": ""},
        "share_condition",
    ),
    "bad region code": ({"region_code": "12345"}, "region_code"),
    "level above own clearance": ({"level": "4"}, "level"),
    "a whole class as category": ({"category": "CLASS"}, "category"),
    "unknown related code": ({"related_codes": "101/999999"}, "related_codes"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUT))
def test_bad_metadata_is_refused_with_a_message_and_nothing_changes(client, editor, case):
    overrides, field = BAD_INPUT[case]
    if overrides.get("category") == "CLASS":
        overrides = {"category": str(Category.objects.get(code="1").pk)}
    login(client, editor)
    response = client.post(reverse("catalog:resource_create"), form_data(**overrides))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors.get(field), form.errors
    assert not Resource.objects.exists()
    assert not DataItem.objects.exists()


def test_state_secret_is_refused_with_a_clear_message(client, editor):
    login(client, editor)
    response = client.post(reverse("catalog:resource_create"), form_data(state_secret="on"))
    assert response.status_code == 200
    assert "涉密" in " ".join(response.context["form"].non_field_errors())
    assert not Resource.objects.exists()


ITEM_CASES = {
    "item above resource level": (
        [{"name": "身份证号", "data_type": "C", "length": "18", "level": "3", "kind": "id_number"}],
        "level",
    ),
    "duplicate item names": (
        [
            {"name": "名称", "data_type": "C", "length": "10", "level": "1", "kind": "none"},
            {"name": "名称", "data_type": "C", "length": "10", "level": "1", "kind": "none"},
        ],
        "name",
    ),
    "zero length": (
        [{"name": "名称", "data_type": "C", "length": "0", "level": "1", "kind": "none"}],
        "length",
    ),
    "unknown data type": (
        [{"name": "名称", "data_type": "X", "length": "5", "level": "1", "kind": "none"}],
        "data_type",
    ),
}


@pytest.mark.parametrize("case", sorted(ITEM_CASES))
def test_bad_items_are_refused_on_their_row(client, editor, case):
    items, field = ITEM_CASES[case]
    login(client, editor)
    response = client.post(reverse("catalog:resource_create"), form_data(items=items))
    assert response.status_code == 200
    formset = response.context["formset"]
    assert any(f.errors.get(field) for f in formset.forms), [f.errors for f in formset.forms]
    assert not Resource.objects.exists()


def test_no_items_is_refused(client, editor):
    login(client, editor)
    response = client.post(reverse("catalog:resource_create"), form_data(items=[]))
    assert response.status_code == 200
    assert response.context["formset"].non_form_errors()
    assert not Resource.objects.exists()


def test_non_editors_may_not_create(client, editor):
    staff = builders.user(editor.department, clearance=3)
    login(client, staff)
    assert client.get(reverse("catalog:resource_create")).status_code == 403
    assert client.post(reverse("catalog:resource_create"), form_data()).status_code == 403
    assert not Resource.objects.exists()


def test_editing_replaces_items_and_keeps_them_on_error(client, editor):
    resource = builders.resource(editor.department, level=2, status="draft")
    login(client, editor)
    url = reverse("catalog:resource_edit", args=[resource.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["formset"].initial[0]["name"] == "编号"
    response = client.post(url, form_data(name="改名后的资源"))
    assert response.status_code == 302, (
        response.context["form"].errors,
        [f.errors for f in response.context["formset"].forms],
    )
    resource.refresh_from_db()
    assert resource.name == "改名后的资源"
    assert sorted(resource.items.values_list("name", flat=True)) == ["企业名称", "统一社会信用代码"]
    response = client.post(url, form_data(name="", summary="x"))
    assert response.status_code == 200
    resource.refresh_from_db()
    assert resource.name == "改名后的资源"
