"""The catalog export streams its CSV, writes its workbook in one pass, and says so past a size.

The streamed files hold the same bytes as the export built whole from model instances (the way
it was written before), cost a fixed number of queries per chunk of resources, and hold only
what the user may see.
"""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.db import connection
from django.db.models import Prefetch
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Role
from catalog import excel, selectors, services
from catalog.models import DataItem, Resource
from catalog.selectors import browse, resources_visible_to
from catalog.views.spreadsheets import XLSX, export_filters, resource_export
from tests import builders

from .maintenance_helpers import body, hang_up, login

pytestmark = pytest.mark.django_db

URL = reverse("catalog:resource_export")
NAME = excel.RESOURCE_COLUMNS.index(("name", "名称"))


def _whole_export(user, params: dict[str, str]) -> tuple[bytes, bytes]:
    """Return the resource and item CSVs as the export wrote them before it streamed.

    Model instances with their items and visible related resources prefetched, every row built
    before the file, one CSV writer over all of them.
    """
    queryset = browse.resources_browse(user=user, filters=export_filters(params))
    if params.get("status") in Resource.Status.values:
        queryset = queryset.filter(status=params["status"])
    resources = (
        queryset.select_related("category", "provider", "source_system")
        .prefetch_related(
            Prefetch(
                "items",
                queryset=DataItem.objects.select_related("code_list").order_by("position", "id"),
            ),
            Prefetch("related", queryset=resources_visible_to(user=user).only("id", "code")),
        )
        .order_by("category__code", "code", "id")
    )
    names = selectors.category_names()
    resource_rows, item_rows = [], []
    for number, resource in enumerate(resources, start=2):
        resource_rows.append(excel.resource_row(resource, names))
        item_rows.extend(
            excel.item_row(number, resource.code or "", i) for i in resource.items.all()
        )

    def whole(columns, rows) -> bytes:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow([header for _key, header in columns])
        for row in rows:
            writer.writerow([excel.neutralise(v) if isinstance(v, str) else v for v in row])
        return ("\ufeff" + out.getvalue()).encode("utf-8")

    return whole(excel.RESOURCE_COLUMNS, resource_rows), whole(excel.ITEM_COLUMNS, item_rows)


@pytest.fixture
def varied(matrix):
    """The access matrix plus resources with every kind of cell an export writes."""
    department = matrix.departments["other"]
    system = builders.system(department, legacy_code="OLD-7")
    low = matrix.resources["pub_unc_1"]
    high = matrix.resources["pub_unc_4"]
    odd = builders.resource(
        department,
        name="=HYPERLINK(1)",
        summary="+SUM(1,2)",
        share_condition="-1+1",
        format_type="@x",
        source_system=system,
        valid_until=date(2031, 6, 30),
        items=[
            builders.item("编号", is_key=True, description="=1+1"),
            builders.item("性别", length=1, code_list="GB/T 2261.1-2003"),
        ],
    )
    services.resource_update(actor=None, resource=low, related=[high, odd])
    return matrix


@pytest.mark.parametrize("user_key", ["coordinator_4", "cons_staff_1", "other_editor_3"])
@pytest.mark.parametrize("params", [{}, {"status": "all"}, {"level": "L2", "share_type": "none"}])
def test_the_streamed_csv_holds_the_bytes_of_the_whole_export(
    client, varied, settings, user_key, params
):
    settings.PORTAL_EXPORT_CHUNK = 3  # several chunks, the last one short
    user = varied.users[user_key]
    login(client, user)
    expected_resources, expected_items = _whole_export(user, params)
    resources = client.get(URL, {**params, "format": "csv"})
    items = client.get(URL, {**params, "format": "csv", "sheet": "items"})
    for response in (resources, items):
        assert isinstance(response, StreamingHttpResponse)
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response["Content-Disposition"].startswith('attachment; filename="catalog')
    assert body(resources) == expected_resources
    assert body(items) == expected_items
    assert expected_resources.startswith("\ufeff".encode())
    if user_key == "coordinator_4" and not params:
        assert "'=HYPERLINK(1)" in expected_resources.decode("utf-8-sig")
        assert len(expected_resources.decode().splitlines()) > 1 + 3 * 3


def test_the_csv_holds_exactly_what_the_catalog_lists(client, matrix):
    for user_key, user in matrix.users.items():
        if not user.is_active:
            continue
        login(client, user)
        text = body(client.get(URL, {"format": "csv"})).decode("utf-8-sig")
        names = {row[NAME] for row in list(csv.reader(io.StringIO(text)))[1:]}
        expected = {
            matrix.resources[key].name
            for key in matrix.resources
            if matrix.expect_view(user_key, key)
        }
        assert names == expected, user_key
        items = body(client.get(URL, {"format": "csv", "sheet": "items"})).decode("utf-8-sig")
        item_rows = list(csv.reader(io.StringIO(items)))[1:]
        seen = [
            matrix.resources[key] for key in matrix.resources if matrix.expect_view(user_key, key)
        ]
        assert {row[1] for row in item_rows} <= {r.code or "" for r in seen}, user_key
        # Drafts have no code: the number of rows tells an invisible draft's items apart.
        assert len(item_rows) == sum(r.items.count() for r in seen), user_key


def test_the_workbook_is_written_in_one_pass_like_the_whole_export(client, varied, settings):
    settings.PORTAL_EXPORT_CHUNK = 3
    user = varied.users["coordinator_4"]
    login(client, user)
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"].startswith('attachment; filename="catalog-')
    book = load_workbook(io.BytesIO(body(response)))
    assert book.sheetnames == [excel.RESOURCE_SHEET, excel.ITEM_SHEET]
    expected_resources, expected_items = _whole_export(user, {})
    for sheet, expected in (
        (book.worksheets[0], expected_resources),
        (book.worksheets[1], expected_items),
    ):
        assert sheet.freeze_panes == "A2"
        assert all(cell.font.b for cell in sheet[1]) and not sheet["A2"].font.b
        assert sheet.column_dimensions["A"].width >= 10
        rows = list(csv.reader(io.StringIO(expected.decode("utf-8-sig"))))
        written = [
            ["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)
        ]
        assert written == rows, sheet.title
        assert not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)


def test_a_workbook_past_the_limit_is_refused_with_the_csv_offered(client, matrix, settings):
    user = matrix.users["coordinator_4"]
    login(client, user)
    visible = browse.resources_export_count(
        user=user, filters=export_filters({"status": "all"}), status="all"
    )
    settings.PORTAL_EXPORT_XLSX_MAX_RESOURCES = visible - 1
    response = client.get(URL, {"status": "all"})
    assert response.status_code == 400
    html = response.content.decode()
    assert f"导出包含 {visible} 条资源" in html
    assert f"{URL}?status=all&amp;format=csv" in html
    assert f"{URL}?status=all&amp;format=csv&amp;sheet=items" in html
    # In English for an English reader; a narrower filter, or a higher limit, gets the workbook.
    response = client.get(URL, {"status": "all"}, headers={"accept-language": "en"})
    assert "Download it as CSV" in response.content.decode()
    assert client.get(URL, {"status": "all", "level": "1"}).status_code == 200
    settings.PORTAL_EXPORT_XLSX_MAX_RESOURCES = visible
    assert client.get(URL, {"status": "all"}).status_code == 200
    # CSV has no such limit.
    settings.PORTAL_EXPORT_XLSX_MAX_RESOURCES = 0
    assert client.get(URL, {"status": "all", "format": "csv"}).status_code == 200


def _queries(client, params) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(URL, params)
        assert response.status_code == 200
        body(response)
    return len(captured.captured_queries)


# Every export: session, user, the user's roles, the category names, the resources (one query
# walked with a cursor), and the read-only transaction around the reads (query_only on and off on
# SQLite; savepoint, read-only, rollback, release on PostgreSQL). The workbook counts the
# resources first (its size limit). Then, per chunk of resources, the queries ``per_chunk``.
EXPORT_QUERIES = 5


def _read_only_statements() -> int:
    return 4 if connection.vendor == "postgresql" else 2


@pytest.mark.parametrize(
    ("params", "per_chunk"),
    [
        ({"format": "csv"}, 1),  # the chunk's related codes
        ({"format": "csv", "sheet": "items"}, 1),  # the chunk's items
        ({}, 2),  # both, and the count first
    ],
)
def test_queries_grow_with_the_chunks_not_with_the_resources(client, settings, params, per_chunk):
    settings.PORTAL_EXPORT_CHUNK = 10
    department = builders.department("导出计数部门")
    editor = builders.user(department, clearance=2, roles=(Role.STAFF, Role.EDITOR))
    login(client, editor)
    for _n in range(3):
        builders.resource(department, items=[builders.item("编号"), builders.item("名称")])
    _queries(client, params)  # the session's first request reads a little more
    small = _queries(client, params)  # one chunk
    for _n in range(27):
        builders.resource(department, items=[builders.item("编号"), builders.item("名称")])
    assert _queries(client, params) == small + 2 * per_chunk  # three chunks
    settings.PORTAL_EXPORT_CHUNK = 2000
    assert _queries(client, params) == small  # one chunk again, for ten times the resources
    counted = 0 if params else 1
    assert small == EXPORT_QUERIES + _read_only_statements() + counted + per_chunk


def test_a_stream_abandoned_mid_way_ends_its_read_only_transaction(rf, matrix, settings):
    settings.PORTAL_EXPORT_CHUNK = 2
    # The view itself (no test client around it), as the server runs it.
    request = rf.get(URL, {"format": "csv"})
    request.user = matrix.users["coordinator_4"]
    response = resource_export(request)
    pieces = iter(response.streaming_content)
    assert next(pieces).startswith("\ufeff".encode())  # the header, before any query
    next(pieces)
    hang_up(response)  # the client went away
    # The connection writes again: the read-only transaction ended with the stream.
    resource = matrix.resources["pub_unc_1"]
    services.resource_update(actor=None, resource=resource, summary="导出中断之后仍可写入")
    assert Resource.objects.get(pk=resource.pk).summary == "导出中断之后仍可写入"
