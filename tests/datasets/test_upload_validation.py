"""Bad uploads are refused with a report naming row, column and reason, and nothing is stored."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from audit.models import AuditEvent
from catalog.models import Resource
from datasets import services
from datasets.models import DatasetRow, DatasetVersion
from datasets.validation import DatasetInvalid

from .conftest import csv_file, xlsx_file
from .typed import HEADER, typed_world, valid_row

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return typed_world()


def upload(world, file, **kwargs):
    _dept, editor, resource = world
    return services.dataset_upload(actor=editor, resource=resource, file=file, **kwargs)


def refused(world, file, **kwargs) -> dict:
    """Upload, expect refusal; return the report after checking that nothing was stored."""
    versions_before = list(DatasetVersion.objects.values_list("pk", "status", "row_count"))
    rows_before = DatasetRow.objects.count()
    with pytest.raises(DatasetInvalid) as caught:
        upload(world, file, **kwargs)
    assert list(DatasetVersion.objects.values_list("pk", "status", "row_count")) == versions_before
    assert DatasetRow.objects.count() == rows_before
    return caught.value.report.as_dict()


def with_cell(column: str, value: str, *, row: int = 2) -> list[list[str]]:
    rows = [valid_row(n) for n in range(1, 4)]
    rows[row - 2][HEADER.index(column)] = value
    return [HEADER, *rows]


def test_valid_csv_is_stored_canonically(world):
    version = upload(world, csv_file([HEADER, *(valid_row(n) for n in range(1, 4))]))
    assert version.status == "active" and version.row_count == 3 and version.number == 1
    data = DatasetRow.objects.filter(version=version).order_by("id").first().data
    named = dict(zip(version.columns, data, strict=True))
    assert named["成立日期"] == "2020-01-31"
    assert named["注册资本"] == "1000.50"
    assert named["是否有效"] == "true"
    assert named["备注"] == "备注，含逗号"
    resource = Resource.objects.get(pk=world[2].pk)
    assert resource.data_updated_at is not None
    event = AuditEvent.objects.get(action="data.upload")
    assert event.details["rows"] == 3


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gbk", "gb18030"])
def test_chinese_encodings_are_detected(world, encoding):
    version = upload(world, csv_file([HEADER, valid_row(1)], encoding=encoding))
    row = DatasetRow.objects.get(version=version)
    assert row.data[HEADER.index("名称")] == "企业1"


def test_undecodable_file_is_refused(world):
    body = ",".join(HEADER).encode() + b"\n\xff\xfe\x80\x81\n"
    report = refused(world, SimpleUploadedFile("x.csv", body))
    assert "UTF-8" in report["errors"][0]["message"] or "GBK" in report["errors"][0]["message"]


def test_missing_and_extra_columns_are_named(world):
    header = [h for h in HEADER if h != "手机号"] + ["电话"]
    rows = [[c for h, c in zip(HEADER, valid_row(1), strict=True) if h != "手机号"] + ["1"]]
    report = refused(world, csv_file([header, *rows]))
    messages = " ".join(e["message"] for e in report["errors"])
    assert "手机号" in messages and "电话" in messages
    assert all(e["row"] == 1 for e in report["errors"])


@pytest.mark.parametrize(
    ("column", "value", "fragment"),
    [
        ("人数", "十二", "integer"),
        ("人数", "1234567", "digits"),
        ("成立日期", "2024-13-01", "date"),
        ("成立日期", "2024/01/01", "date"),
        ("更新时间", "明天", "date and time"),
        ("是否有效", "也许", "logical"),
        ("注册资本", "12.345", "two decimals"),
        ("注册资本", "一百", "money"),
        ("比率", "x1", "number"),
        ("名称", "名" * 21, "longer than 20"),
        ("身份证号", "340102199001010010", "citizen ID"),
        ("统一社会信用代码", "91340100MA2XXXXXX0", "social credit"),
        ("统一社会信用代码", "", "key item may not be empty"),
    ],
)
def test_bad_values_are_reported_by_row_and_column(world, column, value, fragment, settings):
    settings.LANGUAGE_CODE = "en"
    from django.utils import translation

    with translation.override("en"):
        report = refused(world, csv_file(with_cell(column, value, row=3)))
    assert report["total"] == 1
    error = report["errors"][0]
    assert (error["row"], error["column"]) == (3, column)
    assert fragment in error["message"]


def test_messages_are_translated_to_chinese(world):
    report = refused(world, csv_file(with_cell("人数", "十二")))
    assert "整数" in report["errors"][0]["message"]


def test_duplicate_keys_in_the_file(world):
    rows = [valid_row(1), valid_row(2), valid_row(1)]
    report = refused(world, csv_file([HEADER, *rows]))
    assert report["errors"][0]["row"] == 4
    assert "2" in report["errors"][0]["message"]


def test_empty_file_and_header_only(world):
    refused(world, SimpleUploadedFile("empty.csv", b""))
    report = refused(world, csv_file([HEADER]))
    assert report["total"] == 1


def test_file_over_the_limit(world, settings):
    settings.PORTAL_DATA_UPLOAD_MAX_BYTES = 100
    report = refused(world, csv_file([HEADER, valid_row(1)]))
    assert "MB" in report["errors"][0]["message"]


def test_a_row_wider_than_the_column_limit_is_refused(world, settings):
    settings.PORTAL_DATA_MAX_COLUMNS = len(HEADER) + 1
    wide = [*valid_row(2), "多", "余"]
    report = refused(world, csv_file([HEADER, valid_row(1), wide]))
    assert [e["message"] for e in report["errors"]] == [
        f"有一行包含 {len(HEADER) + 2} 列，最多接受 {len(HEADER) + 1} 列。"
    ]


def test_truncated_xlsx(world):
    whole = xlsx_file([HEADER, *(valid_row(n) for n in range(1, 50))]).read()
    report = refused(world, SimpleUploadedFile("cut.xlsx", whole[: len(whole) // 2]))
    assert report["total"] == 1


def test_not_a_spreadsheet(world):
    refused(world, SimpleUploadedFile("data.pdf", b"%PDF-1.4"))


def test_valid_xlsx_with_typed_cells(world):
    import datetime as dt

    row: list[object] = valid_row(1)
    row[HEADER.index("成立日期")] = dt.datetime(2020, 1, 31)
    row[HEADER.index("人数")] = 12
    row[HEADER.index("注册资本")] = 1000.5
    version = upload(world, xlsx_file([HEADER, row]))
    data = DatasetRow.objects.get(version=version).data
    assert data[HEADER.index("成立日期")] == "2020-01-31"
    assert data[HEADER.index("人数")] == "12"
    assert data[HEADER.index("注册资本")] == "1000.50"


def test_report_is_capped_with_a_count_of_the_rest(world, settings):
    settings.PORTAL_DATA_ERROR_LIMIT = 5
    rows = [valid_row(n) for n in range(1, 21)]
    for row in rows:
        row[HEADER.index("人数")] = "x"
    report = refused(world, csv_file([HEADER, *rows]))
    assert (len(report["errors"]), report["total"], report["omitted"]) == (5, 20, 15)


def test_a_bad_last_row_keeps_the_previous_version_intact(world):
    first = upload(world, csv_file([HEADER, valid_row(1)]))
    rows = [valid_row(n) for n in range(2, 300)]
    rows[-1][HEADER.index("是否有效")] = "?"
    refused(world, csv_file([HEADER, *rows]))
    first.refresh_from_db()
    assert first.status == "active"
    assert DatasetRow.objects.filter(version=first).count() == 1


def test_replace_supersedes_and_append_checks_keys(world):
    first = upload(world, csv_file([HEADER, valid_row(1)]))
    second = upload(world, csv_file([HEADER, valid_row(2)]))
    first.refresh_from_db()
    assert (first.status, second.status, second.number) == ("superseded", "active", 2)
    report = refused(world, csv_file([HEADER, valid_row(2)]), mode="append")
    assert "already" in report["errors"][0]["message"] or "已" in report["errors"][0]["message"]
    appended = upload(world, csv_file([HEADER, valid_row(3)]), mode="append")
    assert appended.pk == second.pk and appended.row_count == 2


def test_only_the_providers_editors_may_upload(world):
    dept, _editor, resource = world
    from tests import builders

    staff = builders.user(dept, clearance=4)
    with pytest.raises(PermissionDenied):
        services.dataset_upload(
            actor=staff, resource=resource, file=csv_file([HEADER, valid_row(1)])
        )
    assert not DatasetVersion.objects.exists()


def test_upload_reads_from_a_plain_binary_file(world):
    body = "\n".join(",".join(r) for r in [HEADER, valid_row(1)]).encode()
    version = upload(world, io.BytesIO(body), name="plain.csv")
    assert version.row_count == 1
