"""Values of an item with a code list: uploads and pushes refuse a value outside the list, naming
row, item and list; the quality profile counts such values as invalid, in SQL."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from accounts.models import Level, Role
from catalog.models import CodeListEntry, DataItem
from datasets import services
from datasets.models import DatasetRow, DatasetVersion
from datasets.services import quality
from datasets.storage import rows_load
from datasets.validation import CHUNK_ROWS, DatasetInvalid, RowPlan
from tests import builders

from .conftest import csv_file, xlsx_file

pytestmark = pytest.mark.django_db

SEX = "GB/T 2261.1-2003"
ETHNIC = "GB/T 3304-1991"
HEADER = ["编号", "性别", "民族", "人数"]


@pytest.fixture
def world():
    dept = builders.department("代码集数据部门")
    editor = builders.user(dept, clearance=3, roles=(Role.STAFF, Role.EDITOR))
    resource = builders.resource(
        dept,
        level=Level.L2,
        items=[
            builders.item("编号", is_key=True, length=10),
            builders.item("性别", length=1, code_list=SEX),
            builders.item("民族", length=2, code_list=ETHNIC),
            builders.item("人数", data_type="I", length=6),
        ],
    )
    return editor, resource


def rows(count: int = 3) -> list[list[str]]:
    return [[f"P{n:05d}", "12"[n % 2], "01", str(n)] for n in range(1, count + 1)]


def refused(world, file) -> dict:
    editor, resource = world
    before = (DatasetVersion.objects.count(), DatasetRow.objects.count())
    with pytest.raises(DatasetInvalid) as caught:
        services.dataset_upload(actor=editor, resource=resource, file=file)
    assert (DatasetVersion.objects.count(), DatasetRow.objects.count()) == before
    return caught.value.report.as_dict()


def test_values_from_the_lists_are_stored(world):
    editor, resource = world
    version = services.dataset_upload(
        actor=editor, resource=resource, file=csv_file([HEADER, *rows()])
    )
    assert version.status == "active" and version.row_count == 3


def test_a_value_outside_the_list_is_refused_naming_row_item_and_list(world):
    data = rows()
    data[1][1] = "3"  # row 3 of the file
    data[2][2] = "57"  # row 4: no 57th ethnic group
    report = refused(world, csv_file([HEADER, *data]))
    assert report["total"] == 2
    first, second = report["errors"]
    assert (first["row"], first["column"]) == (3, "性别")
    assert first["message"] == "“3”不是“性别”所用代码集 人的性别代码（GB/T 2261.1-2003）中的代码。"
    assert (second["row"], second["column"]) == (4, "民族")
    assert "GB/T 3304-1991" in second["message"]


def test_the_message_is_in_the_users_language(world):
    data = rows()
    data[0][1] = "x"
    with translation.override("en"):
        report = refused(world, xlsx_file([HEADER, *data]))
    assert report["errors"][0]["message"] == (
        "“x” is not a code of 人的性别代码 (GB/T 2261.1-2003), the code list of “性别”."
    )


def test_empty_cells_follow_the_required_rules_not_the_list(world):
    editor, resource = world
    data = rows()
    data[0][1] = ""
    version = services.dataset_upload(
        actor=editor, resource=resource, file=csv_file([HEADER, *data])
    )
    assert version.row_count == 3


def test_an_inactive_code_is_refused(world):
    CodeListEntry.objects.filter(code_list__code=SEX, value="2").update(active=False)
    report = refused(world, csv_file([HEADER, *rows()]))
    assert {e["row"] for e in report["errors"]} == {2, 4}  # the rows holding 2 (女性)
    assert report["errors"][0]["column"] == "性别"


def test_a_bad_value_deep_in_a_large_file_is_found(world):
    data = rows(CHUNK_ROWS + 10)
    data[CHUNK_ROWS + 5][1] = "5"
    report = refused(world, csv_file([HEADER, *data]))
    assert [(e["row"], e["column"]) for e in report["errors"]] == [(CHUNK_ROWS + 7, "性别")]


def test_a_push_is_refused_alike(world):
    editor, resource = world
    with pytest.raises(DatasetInvalid) as caught:
        services.dataset_push(
            actor=editor,
            resource=resource,
            rows=[dict(zip(HEADER, ["P1", "1", "99", "1"], strict=True))],
            mode="append",
            batch_id="b1",
        )
    error = caught.value.report.as_dict()["errors"][0]
    assert (error["row"], error["column"]) == (1, "民族")
    assert not DatasetVersion.objects.exists()


def test_the_codes_are_loaded_once_per_run(world, django_assert_num_queries):
    _editor, resource = world
    items = list(resource.items.order_by("position"))
    # The active entries of both lists, and the lists' names: two queries, whatever the rows.
    with django_assert_num_queries(2):
        plan = RowPlan.for_items(items)
    assert plan.code_sets[0] is None and plan.code_sets[3] is None
    assert plan.code_sets[1].values == frozenset({"0", "1", "2", "9"})
    assert len(plan.code_sets[2].values) == 58
    # Without a code list on any item, no query at all.
    plain = [DataItem(name="x", data_type="C", length=2, position=0)]
    with django_assert_num_queries(0):
        RowPlan.for_items(plain)


def test_the_profile_counts_values_outside_the_list_as_invalid(world):
    _editor, resource = world
    version = DatasetVersion.objects.create(
        resource=resource,
        number=1,
        status=DatasetVersion.Status.ACTIVE,
        source=DatasetVersion.Source.PUSH,
        columns=HEADER,
        key_columns=["编号"],
        row_count=5,
    )
    CodeListEntry.objects.filter(code_list__code=SEX, value="9").update(active=False)
    stored = [
        ["P1", "1", "01", "1"],
        ["P2", "2", "57", "2"],  # no 57th ethnic group
        ["P3", "3", "98", "3"],  # no sex code 3
        ["P4", "9", None, "4"],  # 9 no longer active; an empty 民族 is not checked
        ["P5", None, "1", "5"],  # 1 is not 01
    ]
    rows_load(version_id=version.pk, rows=[(r[0], "", r) for r in stored])
    figures = quality.version_profile_compute(version=version, today=dt.date(2026, 6, 1))
    items = {i["name"]: i for i in figures["items"]}
    assert (items["性别"]["checked"], items["性别"]["filled"], items["性别"]["valid"]) == (
        True,
        4,
        2,
    )
    assert (items["民族"]["filled"], items["民族"]["valid"]) == (4, 2)
    assert items["民族"]["validity"] == 0.5
    assert items["人数"]["checked"] is False  # no list, no rule: not checked
    assert figures["validity"] == round(4 / 8, 4)
