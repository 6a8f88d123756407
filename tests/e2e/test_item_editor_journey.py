"""An editor registers a resource whose item is named like personal data but tagged "not personal".

In the browser: the category is found through the filter box over the grouped select, the item
row's selects show their whole choices and one delete control; saving brings the editor back to
the warned row, a reason confirms it, and the resource can then be submitted.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from catalog.models import PersonalDataConfirmation, Resource

from .. import builders

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_editor_finds_the_category_and_confirms_a_flagged_item(page, shot, login):
    department = builders.department("市市场监督管理局")
    editor = builders.user(department, clearance=3, roles=(Role.STAFF, Role.EDITOR))
    login(page, editor)
    page.goto("/catalog/manage/resources/new/")

    # The category select: grouped by class, narrowed by typing.
    category = page.locator("select[name=category]")
    assert category.locator("optgroup").count() >= 2
    page.locator("input.select-filter").fill("法人")
    visible = category.locator("option:not([hidden])")
    texts = [t.strip() for t in visible.all_inner_texts()]
    assert texts and all("法人" in t or t.startswith("-") for t in texts), texts
    category.select_option(label=next(t for t in texts if t.startswith("102")))
    shot("category-filtered")

    page.locator("#id_name").fill("个体户从业人员信息")
    page.locator("#id_summary").fill("个体工商户从业人员的基本信息")
    page.locator("#id_format_class").select_option("database")
    page.locator("#id_share_type").select_option("conditional")
    page.locator("#id_share_condition").fill("用于行政审批")
    page.locator("#id_share_method").select_option("api")
    page.locator("#id_update_cycle").select_option("daily")
    page.locator("#id_level").select_option("3")

    for name, level in (("编号", "1"), ("公民身份号码", "3")):
        page.locator("[data-formset-add]").click()
        row = page.locator("[data-formset-body] [data-formset-form]").last
        row.locator("input[name$='-name']").fill(name)
        row.locator("select[name$='-data_type']").select_option("C")
        row.locator("input[name$='-length']").fill("18")
        row.locator("select[name$='-level']").select_option(level)
    row = page.locator("[data-formset-body] [data-formset-form]").last
    # One delete control with JavaScript: the button; the checkbox is hidden.
    expect(row.locator("[data-formset-remove]")).to_be_visible()
    expect(row.locator("input[name$='-DELETE']")).to_be_hidden()
    # The level select is wide enough for its longest choice: nothing is cut off.
    for name in ("level", "kind", "data_type"):
        fits = row.locator(f"select[name$='-{name}']").evaluate(
            "s => { const c = document.createElement('canvas').getContext('2d');"
            " c.font = getComputedStyle(s).font;"
            " const widest = Math.max(...[...s.options].map(o => c.measureText(o.text).width));"
            " return s.clientWidth >= widest; }"
        )
        assert fits, name
    shot("item-rows")
    page.locator("form button[type=submit].btn-primary").click()

    resource = Resource.objects.get(name="个体户从业人员信息")
    expect(page).to_have_url(re.compile(rf"/catalog/manage/resources/{resource.pk}/edit/$"))
    warned = page.locator("[data-personal-warning]")
    expect(warned).to_have_count(1)
    expect(warned).to_contain_text("公民身份号码")
    shot("warned-row")
    warned.locator("input[name$='-personal_reason']").fill("仅存放证件类别代码")
    page.locator("form button[type=submit].btn-primary").click()
    expect(page).to_have_url(re.compile(r"/catalog/manage/resources/$"))
    assert PersonalDataConfirmation.objects.get().reason == "仅存放证件类别代码"
