"""The data-item rows of the resource editor: whole selects, one delete control, the personal-data
warning with its reason inline, and a category select grouped by class with a filter box."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from audit.models import AuditEvent
from catalog.models import Category, PersonalDataConfirmation, Resource
from tests import builders

from .maintenance_helpers import login
from .test_resource_form import form_data

pytestmark = pytest.mark.django_db

ITEMS = [
    {
        "name": "编号",
        "data_type": "C",
        "length": "10",
        "level": "1",
        "kind": "none",
        "is_key": "on",
    },
    {"name": "公民身份号码", "data_type": "C", "length": "18", "level": "2", "kind": "none"},
    {"name": "姓名", "data_type": "C", "length": "20", "level": "2", "kind": "name"},
]


@pytest.fixture
def editor(db):
    department = builders.department("表单测试部门")
    return builders.user(department, clearance=3, roles=("staff", "editor"))


def rows(page: str) -> list[str]:
    """Return the item rows of the page, without the template for new rows."""
    found = re.findall(r"<fieldset class=\"item-row.*?</fieldset>", page, re.S)
    return [row for row in found if "__prefix__" not in row]


def edit_data(resource: Resource, items: list[dict], **extra) -> dict:
    data = form_data(items=items, **extra)
    data["items-INITIAL_FORMS"] = str(resource.items.count())
    return data


def test_category_select_is_grouped_by_class_and_filterable(client, editor):
    login(client, editor)
    page = client.get(reverse("catalog:resource_create")).content.decode()
    select = re.search(r'<select name="category".*?</select>', page, re.S).group(0)
    assert "data-select-filter=" in select
    groups = re.findall(r'<optgroup label="([^"]+)"', select)
    classes = Category.objects.filter(depth=1).order_by("code")
    assert groups == [str(c) for c in classes if c.children.exists()]
    # A whole class is a group label, never a choice.
    first_class = classes.first()
    assert f'value="{first_class.pk}"' not in select
    assert 'value="' + str(Category.objects.get(code="101").pk) + '"' in select
    script = (Path(settings.BASE_DIR) / "static/portal/portal.js").read_text()
    assert "select[data-select-filter]" in script  # the portal's own script, no CDN


def test_rows_have_one_delete_control_and_whole_selects(client, editor):
    resource = builders.resource(
        editor.department, level=2, status="draft", items=[builders.item("编号")]
    )
    login(client, editor)
    page = client.get(reverse("catalog:resource_edit", args=[resource.pk])).content.decode()
    [row] = rows(page)
    assert row.count("data-formset-remove") == 1
    # The checkbox is the control without JavaScript only; the button with it only.
    assert re.search(
        r'class="col-auto no-js-only item-delete"><input type="checkbox" name="items-0-DELETE"', row
    )
    assert 'class="col-auto js-only"><button' in row
    assert row.count('name="items-0-DELETE"') == 1
    for name in ("data_type", "level", "kind"):
        assert re.search(rf'col-md-auto item-select".*?name="items-0-{name}"', row, re.S), name
    css = (Path(settings.BASE_DIR) / "static/portal/portal.css").read_text()
    assert ".item-row .item-select .form-select { min-width: max-content;" in css


def test_an_untagged_personal_item_is_warned_then_confirmed_with_a_reason(client, editor):
    login(client, editor)
    response = client.post(reverse("catalog:resource_create"), form_data(items=ITEMS))
    resource = Resource.objects.get(name="企业登记信息")
    # Saved, but back on its edit page rather than the list: the rows say what is missing.
    assert response.status_code == 302
    assert response.url == reverse("catalog:resource_edit", args=[resource.pk])
    page = client.get(response.url).content.decode()
    id_row, number_row, name_row = rows(page)[1], rows(page)[0], rows(page)[2]
    assert "data-personal-warning" in id_row and "公民身份号码" in id_row
    assert 'name="items-1-personal_reason"' in id_row
    assert "data-personal-warning" not in number_row  # not personal by its name
    assert "data-personal-warning" not in name_row  # tagged with its kind

    # Submitting is refused until the editor gives a reason.
    client.post(reverse("catalog:resource_submit", args=[resource.pk]))
    resource.refresh_from_db()
    assert resource.status == "draft"

    data = edit_data(resource, ITEMS, **{"items-1-personal_reason": "仅存放证件类别代码"})
    response = client.post(reverse("catalog:resource_edit", args=[resource.pk]), data)
    assert response.status_code == 302 and response.url == reverse("catalog:resource_mine")
    confirmation = PersonalDataConfirmation.objects.get(item__name="公民身份号码")
    assert (confirmation.reason, confirmation.confirmed_by_id) == ("仅存放证件类别代码", editor.pk)
    assert AuditEvent.objects.filter(
        action="item.personal_confirm", object_id=str(resource.pk), actor=editor
    ).exists()
    page = client.get(reverse("catalog:resource_edit", args=[resource.pk])).content.decode()
    assert "仅存放证件类别代码" in rows(page)[1]

    client.post(reverse("catalog:resource_submit", args=[resource.pk]))
    resource.refresh_from_db()
    assert resource.status == "submitted"


def test_a_reason_on_a_row_that_is_not_flagged_is_ignored(client, editor):
    login(client, editor)
    items = [dict(ITEMS[0]), dict(ITEMS[2])]
    data = form_data(items=items, **{"items-0-personal_reason": "无关"})
    response = client.post(reverse("catalog:resource_create"), data)
    assert response.url == reverse("catalog:resource_mine")
    assert not PersonalDataConfirmation.objects.exists()
