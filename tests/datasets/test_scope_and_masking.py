"""A grant's row scope and clear items, in JSON rows, CSV, XLSX and verification."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from datasets import exports, selectors, services
from datasets.exports import neutralise

from .. import builders
from .conftest import csv_file
from .typed import HEADER, typed_world, valid_row

pytestmark = pytest.mark.django_db

PERSONAL = ["统一社会信用代码", "名称", "法定代表人", "身份证号", "手机号", "行政区划代码"]


@pytest.fixture
def scoped():
    _dept, editor, resource = typed_world()
    rows = [valid_row(1), valid_row(2), valid_row(3, region="340103"), valid_row(4, region="")]
    services.dataset_upload(actor=editor, resource=resource, file=csv_file([HEADER, *rows]))
    district = builders.department("区数据局", region_code="340102")
    grant = builders.grant(resource, district, item_names=PERSONAL)
    grant.row_scope_region = "340102"
    grant.save()
    grant.clear_items.set(resource.items.filter(name="身份证号"))
    user = builders.user(district, clearance=3)
    return user, resource, rows


def expected(rows: list[list[str]]) -> list[list[str]]:
    out = []
    for row in rows:
        named = dict(zip(HEADER, row, strict=True))
        named["法定代表人"] = "张**"
        named["手机号"] = named["手机号"][:3] + "****" + named["手机号"][-4:]
        out.append([named[name] for name in PERSONAL])
    return out


def test_rows_in_scope_only_with_clear_and_masked_items(scoped):
    user, resource, rows = scoped
    page = selectors.dataset_rows_for(user=user, resource=resource)
    assert page.columns == PERSONAL
    assert page.rows == expected(rows[:2])


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_downloads_keep_scope_and_masking(scoped, fmt):
    user, resource, rows = scoped
    out = io.BytesIO()
    count = exports.dataset_export(user=user, resource=resource, out=out, format=fmt)
    if fmt == "csv":
        table = list(csv.reader(io.StringIO(out.getvalue().decode("utf-8-sig"))))
    else:
        sheet = load_workbook(io.BytesIO(out.getvalue()), read_only=True).worksheets[0]
        table = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert count == 2
    assert table == [PERSONAL, *expected(rows[:2])]


def test_verification_does_not_see_rows_out_of_scope(scoped):
    user, resource, rows = scoped
    key = HEADER[0]
    inside = selectors.dataset_verify(user=user, resource=resource, keys={key: rows[0][0]})
    outside = selectors.dataset_verify(user=user, resource=resource, keys={key: rows[2][0]})
    assert (inside["exists"], outside["exists"]) == (True, False)
    answer = selectors.dataset_verify(
        user=user,
        resource=resource,
        keys={key: rows[0][0]},
        values={"手机号": rows[0][4], "名称": "别的名字"},
    )
    assert answer["matches"] == {"手机号": True, "名称": False}


def test_key_lookups_find_only_rows_in_scope(scoped):
    user, resource, rows = scoped
    key = HEADER[0]

    def lookup(value: str) -> list[list[str]]:
        return selectors.dataset_rows_for(user=user, resource=resource, filters={key: value}).rows

    assert lookup(rows[1][0]) == expected(rows[1:2])
    assert lookup(rows[2][0]) == []  # region 340103: outside the grant's 340102
    assert lookup(rows[3][0]) == []  # no region at all
    assert lookup(valid_row(9)[0]) == []  # a valid key that was never stored


def test_a_scoped_grant_on_data_without_region_sees_nothing(scoped, settings):
    user, resource, rows = scoped
    settings.PORTAL_DATA_REGION_ITEM = "区划"  # the stored data has no such column
    assert selectors.dataset_rows_for(user=user, resource=resource).rows == []
    by_key = selectors.dataset_rows_for(
        user=user, resource=resource, filters={HEADER[0]: rows[0][0]}
    )
    assert by_key.rows == []
    answer = selectors.dataset_verify(user=user, resource=resource, keys={HEADER[0]: rows[0][0]})
    assert answer["exists"] is False


def test_the_provider_sees_every_row_in_clear(scoped):
    _user, resource, rows = scoped
    from accounts.models import User

    editor = User.objects.get(username="editor")
    page = selectors.dataset_rows_for(user=editor, resource=resource)
    assert len(page.rows) == 4
    assert page.rows[0][page.columns.index("手机号")] == rows[0][4]


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+1", "'=1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("-12.5", "-12.5"),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("普通", "普通"),
    ],
)
def test_formula_cells_are_neutralised(value, written):
    assert neutralise(value) == written


def test_formula_text_stays_text_in_xlsx(scoped):
    _user, resource, _rows = scoped
    from accounts.models import User

    editor = User.objects.get(username="editor")
    row = valid_row(7)
    row[HEADER.index("备注")] = '=HYPERLINK("http://x")'
    services.dataset_upload(actor=editor, resource=resource, file=csv_file([HEADER, row]))
    out = io.BytesIO()
    exports.dataset_export(user=editor, resource=resource, out=out, format="xlsx")
    sheet = load_workbook(io.BytesIO(out.getvalue())).worksheets[0]
    cell = sheet.cell(row=2, column=HEADER.index("备注") + 1)
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")
