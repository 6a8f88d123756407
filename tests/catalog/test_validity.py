"""Validity dates (有效期): the flag past the date, the provider's queue, renewing, Excel import.

"Today" is ``timezone.localdate()``: dates are written a few days either side of it, never
by mocking the clock.
"""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import Role
from audit.models import AuditEvent
from catalog import excel
from catalog import services as catalog_services
from catalog.models import Resource
from catalog.services.imports import resources_import
from portal.work import my_work
from tests import builders

from .maintenance_helpers import login
from .test_excel_import import item_cells, resource_cells, workbook

pytestmark = pytest.mark.django_db

BADGE = "data-expired"


@pytest.fixture
def city(db):
    prov = builders.department("有效期测试局")
    other = builders.department("另一局")
    today = timezone.localdate()
    r = {
        "expired": builders.resource(
            prov, name="已过期资源", valid_until=today - timedelta(days=3)
        ),
        "today": builders.resource(prov, name="今日到期资源", valid_until=today),
        "later": builders.resource(prov, name="未到期资源", valid_until=today + timedelta(days=3)),
        "open": builders.resource(prov, name="无期限资源"),
        "draft_expired": builders.resource(
            prov, name="过期草稿", status="draft", valid_until=today - timedelta(days=1)
        ),
        "retired": builders.resource(
            prov, name="已下架资源", status="retired", valid_until=today - timedelta(days=3)
        ),
        "other_expired": builders.resource(
            other, name="他局过期资源", valid_until=today - timedelta(days=5)
        ),
    }
    return {
        "prov": prov,
        "other": other,
        "resources": r,
        "editor": builders.user(prov, clearance=4, roles=(Role.STAFF, Role.EDITOR)),
        "other_editor": builders.user(other, clearance=4, roles=(Role.STAFF, Role.EDITOR)),
        "viewer": builders.user(other, clearance=1),
    }


def _detail(client, user, resource) -> str:
    login(client, user)
    response = client.get(reverse("catalog:resource_detail", args=[resource.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_flag_shows_past_the_date_and_not_before(client, city):
    r = city["resources"]
    assert [key for key, res in r.items() if res.is_expired] == [
        "expired",
        "draft_expired",
        "other_expired",
    ]
    viewer = city["viewer"]  # another department's L1 user sees it too
    page = _detail(client, viewer, r["expired"])
    assert BADGE in page and "已过有效期" in page
    for key in ("today", "later", "open"):
        assert BADGE not in _detail(client, viewer, r[key]), key
    # In the catalog list: the expired entries flagged, the others not.
    response = client.get(reverse("catalog:resource_list"))
    html = response.content.decode()
    listed = {res.name for res in response.context["page_obj"]}
    assert {"已过期资源", "今日到期资源", "未到期资源", "无期限资源", "他局过期资源"} <= listed
    assert html.count(BADGE) == 2  # 已过期资源 and 他局过期资源; not the retired or the draft


def test_my_work_counts_the_departments_expired_resources_only(client, city):
    editor = city["editor"]
    queues = {s.queue.key: s for s in my_work(user=editor)}
    expired = queues["expired"]
    # Its own published and draft entries past the date; not the retired one, not another's.
    assert expired.count == 2
    assert [item.title for item in expired.items] == ["已过期资源", "过期草稿"]
    assert all(item.late for item in expired.items)
    other = {s.queue.key: s for s in my_work(user=city["other_editor"])}["expired"]
    assert other.count == 1 and [i.title for i in other.items] == ["他局过期资源"]
    assert "expired" not in {s.queue.key for s in my_work(user=city["viewer"])}
    # The queue's page lists the same entries.
    login(client, editor)
    response = client.get(expired.url)
    assert {r.name for r in response.context["page_obj"]} == {"已过期资源", "过期草稿"}


def test_renewing_is_an_audited_edit_and_retiring_clears_the_flag(city):
    editor = city["editor"]
    resource = city["resources"]["expired"]
    renewed = catalog_services.resource_update(
        actor=editor, resource=resource, valid_until=timezone.localdate() + timedelta(days=365)
    )
    assert not renewed.is_expired and renewed.version == 2
    event = AuditEvent.objects.filter(action="resource.update").latest("sequence")
    assert event.object_id == str(resource.pk)
    assert renewed.versions.get(number=2).snapshot["valid_until"] == str(renewed.valid_until)
    # The version history names the change.
    from catalog.selectors import resource_versions

    history = resource_versions(user=editor, resource=renewed)
    changed = [change.label for change in history[0].diff.fields]
    assert changed == ["有效期止"]
    other = city["resources"]["other_expired"]
    catalog_services.resource_retire(actor=None, resource=other, reason="停止提供")
    other.refresh_from_db()
    assert not other.is_expired
    counts = {s.queue.key: s.count for s in my_work(user=city["other_editor"])}
    assert counts["expired"] == 0


def test_excel_import_and_export_carry_the_date(city):
    editor = city["editor"]
    prov = city["prov"]
    data = workbook(
        [
            resource_cells(prov, name="带有效期资源", valid_until="2031-06-30"),
            resource_cells(prov, name="坏日期资源", valid_until="明年"),
        ],
        [item_cells(2), item_cells(3)],
    )
    result = resources_import(actor=editor, data=data)
    assert [(p.row, p.column) for p in result.problems] == [(3, "有效期")]
    assert not Resource.objects.filter(name="带有效期资源").exists()  # all or nothing
    data = workbook(
        [resource_cells(prov, name="带有效期资源", valid_until="2031-06-30")], [item_cells(2)]
    )
    assert resources_import(actor=editor, data=data).problems == []
    assert str(Resource.objects.get(name="带有效期资源").valid_until) == "2031-06-30"
    # A file written before the column existed (no 有效期) still imports.
    book = load_workbook(io.BytesIO(workbook([resource_cells(prov, name="旧模板资源")], [])))
    sheet = book[excel.RESOURCE_SHEET]
    assert sheet.cell(1, sheet.max_column).value == "有效期"
    sheet.delete_cols(sheet.max_column)
    items = book[excel.ITEM_SHEET]
    items.append([excel_cell for _k, excel_cell in [(k, v) for k, v in _item_row(2)]])
    buffer = io.BytesIO()
    book.save(buffer)
    assert resources_import(actor=editor, data=buffer.getvalue()).problems == []
    assert Resource.objects.get(name="旧模板资源").valid_until is None


def _item_row(row: int) -> list[tuple[str, object]]:
    cells = item_cells(row)
    return [(key, cells.get(key, "")) for key, _header in excel.ITEM_COLUMNS]
