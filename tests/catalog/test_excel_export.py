"""Exports hold exactly what the user may see, and nothing a spreadsheet would execute."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Role
from catalog import excel, services
from tests import builders

from .maintenance_helpers import body, login

pytestmark = pytest.mark.django_db

NAME = excel.RESOURCE_COLUMNS.index(("name", "名称"))


def _names(response) -> set[str]:
    book = load_workbook(io.BytesIO(body(response)))
    rows = list(book[excel.RESOURCE_SHEET].iter_rows(min_row=2, values_only=True))
    return {row[NAME] for row in rows}


def test_export_holds_exactly_the_visible_resources_like_the_browse_page(client, matrix):
    # Issue #23: the export once dropped the submitted and retired resources a coordinator sees
    # on /catalog/; it now holds the browse page's set (tests/api/test_contract.py compares all
    # three lists).
    for user_key, user in matrix.users.items():
        if not user.is_active:
            continue
        login(client, user)
        response = client.get(reverse("catalog:resource_export"))
        assert response.status_code == 200
        expected = {
            matrix.resources[key].name
            for key in matrix.resources
            if matrix.expect_view(user_key, key)
        }
        assert _names(response) == expected, user_key


def test_export_with_all_states_still_respects_visibility(client, matrix):
    login(client, matrix.users["other_editor_3"])
    response = client.get(reverse("catalog:resource_export"), {"status": "all"})
    names = _names(response)
    assert matrix.resources["other_draft_1"].name in names
    assert matrix.resources["draft_2"].name not in names  # another department's draft
    assert matrix.resources["provider_cond_2"].name not in names  # limited to its provider
    assert matrix.resources["cleared_cond_3"].name in names  # cleared for its level
    assert matrix.resources["pub_cond_4"].name in names  # every department sees the entry


def test_export_filters(client, matrix):
    login(client, matrix.users["coordinator_4"])
    url = reverse("catalog:resource_export")
    names = _names(client.get(url, {"share_type": "none", "level": "L2"}))
    assert names == {matrix.resources["pub_none_2"].name}
    names = _names(client.get(url, {"provider": matrix.departments["other"].pk}))
    # The coordinator sees the provider-only entry too (within clearance).
    assert names == {
        matrix.resources["other_cond_2"].name,
        matrix.resources["other_provider_3"].name,
    }
    names = _names(client.get(url, {"q": "pub_unc"}))
    assert len(names) == 4
    assert _names(client.get(url, {"category": "2"})) == set()


def test_related_codes_of_invisible_resources_are_not_exported(client, matrix):
    low, high = matrix.resources["pub_unc_1"], matrix.resources["pub_unc_4"]
    services.resource_update(actor=None, resource=low, related=[high])
    login(client, matrix.users["cons_staff_1"])
    content = body(client.get(reverse("catalog:resource_export")))
    assert high.code.encode() not in content
    login(client, matrix.users["cons_staff_4"])
    book = load_workbook(io.BytesIO(body(client.get(reverse("catalog:resource_export")))))
    related_column = [k for k, _h in excel.RESOURCE_COLUMNS].index("related")
    cells = {
        row[NAME]: row[related_column]
        for row in book["信息资源"].iter_rows(min_row=2, values_only=True)
    }
    assert cells[low.name] == high.code


def test_formula_injection_is_neutralised_in_xlsx_and_csv(client, db):
    department = builders.department("注入测试部门")
    editor = builders.user(department, clearance=2, roles=(Role.STAFF, Role.EDITOR))
    payloads = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR"]
    resource = builders.resource(
        department,
        name="=cmd|' /C calc'!A0",
        summary="+SUM(1,2)",
        share_condition="-1+1",
        format_type="@x",
        status="draft",
        items=[builders.item(p, description=p) for p in payloads],
    )
    login(client, editor)
    exported_xlsx = body(client.get(reverse("catalog:resource_export"), {"status": "all"}))
    book = load_workbook(io.BytesIO(exported_xlsx))
    assert book["信息资源"].max_row == 2
    for sheet in book.worksheets:
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str) and cell.value:
                    assert not cell.value.startswith(("=", "+", "-", "@", "\t", "\r")), cell.value
    resources_csv = body(
        client.get(reverse("catalog:resource_export"), {"format": "csv", "status": "all"})
    )
    assert resources_csv.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(resources_csv.decode("utf-8-sig"))))
    assert rows[0][: len(excel.RESOURCE_COLUMNS)] == [h for _k, h in excel.RESOURCE_COLUMNS]
    exported = rows[1]
    assert exported[NAME] == "'" + resource.name
    items_csv = body(
        client.get(
            reverse("catalog:resource_export"), {"format": "csv", "sheet": "items", "status": "all"}
        )
    ).decode("utf-8-sig")
    for row in list(csv.reader(io.StringIO(items_csv)))[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    # The neutralising apostrophe is removed again on import: the round trip is lossless.
    from catalog.services.imports import resources_import

    item_names = sorted(resource.items.values_list("name", flat=True))
    resource.delete()
    result = resources_import(actor=editor, data=exported_xlsx)
    assert result.problems == []
    restored = result.created[0]
    assert (restored.name, restored.summary, restored.format_type) == (
        resource.name,
        resource.summary,
        resource.format_type,
    )
    assert sorted(restored.items.values_list("name", flat=True)) == item_names


# The export's query count: tests/catalog/test_export_streaming.py pins it per chunk.
