"""API pushes: replace, append and upsert by key, idempotent by batch id, atomic per batch."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from datasets import services
from datasets.models import DatasetBatch, DatasetRow, DatasetVersion
from datasets.validation import DatasetInvalid

from .typed import HEADER, typed_world, valid_row

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return typed_world()


def record(n: int, **changes: str) -> dict[str, str]:
    row = dict(zip(HEADER, valid_row(n), strict=True))
    row.update(changes)
    return row


def push(world, rows, mode="append", batch_id="b1"):
    _dept, editor, resource = world
    return services.dataset_push(
        actor=editor, resource=resource, rows=rows, mode=mode, batch_id=batch_id
    )


def names(version: DatasetVersion) -> list[str]:
    position = version.columns.index("名称")
    return sorted(r.data[position] for r in DatasetRow.objects.filter(version=version))


def test_append_then_upsert_then_replace(world):
    first = push(world, [record(1), record(2)], "append", "b1")
    assert (first["version"], first["inserted"], first["row_count"]) == (1, 2, 2)
    upsert = push(world, [record(2, 名称="改名"), record(3)], "upsert", "b2")
    assert (upsert["inserted"], upsert["updated"], upsert["row_count"]) == (1, 1, 3)
    active = DatasetVersion.objects.get(status="active")
    assert names(active) == ["企业1", "企业3", "改名"]
    replaced = push(world, [record(9)], "replace", "b3")
    assert (replaced["version"], replaced["row_count"]) == (2, 1)
    assert names(DatasetVersion.objects.get(status="active")) == ["企业9"]


def test_the_same_batch_id_stores_once(world):
    first = push(world, [record(1)], "append", "same")
    again = push(world, [record(2)], "append", "same")
    assert again == {**first, "replayed": True}
    assert DatasetRow.objects.count() == 1
    assert DatasetBatch.objects.count() == 1


def test_append_refuses_a_key_already_stored(world):
    push(world, [record(1)], "append", "b1")
    with pytest.raises(DatasetInvalid) as caught:
        push(world, [record(2), record(1)], "append", "b2")
    error = caught.value.report.errors[0]
    assert (error["row"], error["column"]) == (2, "统一社会信用代码")
    assert DatasetRow.objects.count() == 1
    assert not DatasetBatch.objects.filter(batch_id="b2").exists()


def test_missing_and_unknown_fields_are_named(world):
    row = record(1)
    del row["人数"]
    row["电话"] = "1"
    with pytest.raises(DatasetInvalid) as caught:
        push(world, [record(2), row])
    messages = [e["message"] for e in caught.value.report.errors]
    assert any("人数" in m for m in messages) and any("电话" in m for m in messages)
    assert {e["row"] for e in caught.value.report.errors} == {2}
    assert not DatasetRow.objects.exists()


def test_one_bad_value_stores_nothing_of_the_batch(world):
    with pytest.raises(DatasetInvalid):
        push(world, [record(1), record(2, 人数="many")], "replace", "b1")
    assert not DatasetVersion.objects.exists() and not DatasetRow.objects.exists()


def test_pushed_json_types_are_accepted(world):
    push(world, [record(1, 人数=12, 是否有效=False, 注册资本=3.5)], "append", "b1")  # type: ignore[arg-type]
    version = DatasetVersion.objects.get()
    data = DatasetRow.objects.get().data
    named = dict(zip(version.columns, data, strict=True))
    assert (named["人数"], named["是否有效"], named["注册资本"]) == ("12", "false", "3.50")


@pytest.mark.parametrize(
    ("rows", "mode", "batch_id"),
    [([], "append", "b1"), ("text", "append", "b1"), ([{}], "merge", "b1"), ([{}], "append", "")],
)
def test_malformed_requests(world, rows, mode, batch_id):
    with pytest.raises(ValidationError):
        push(world, rows, mode, batch_id)
    assert not DatasetRow.objects.exists()


def test_outsiders_may_not_push(world):
    from tests import builders

    outsider = builders.user(
        builders.department("别的部门"), clearance=4, roles=("staff", "editor")
    )
    with pytest.raises(PermissionDenied):
        services.dataset_push(
            actor=outsider, resource=world[2], rows=[record(1)], mode="append", batch_id="x"
        )
    assert not DatasetRow.objects.exists()


def test_a_batch_over_the_limit_is_refused(world, settings):
    settings.PORTAL_DATA_PUSH_MAX_ROWS = 2
    with pytest.raises(DatasetInvalid):
        push(world, [record(1), record(2), record(3)])
    assert not DatasetRow.objects.exists()


def test_values_the_copy_format_must_escape_are_stored_exactly(world):
    # Quotes, backslashes, tabs and line breaks take the loader's escaping path; every other
    # batch goes as plain COPY text. Both must store the values exactly.
    tricky = ['引号"内"', "反斜杠\\n不是换行", "制表\t符", "换\n行", "回车\r符"]
    rows = [record(n, 备注=text) for n, text in enumerate(tricky, start=1)]
    rows += [record(n) for n in range(10, 13)]
    push(world, rows, "replace", "tricky")
    active = DatasetVersion.objects.get(status="active")
    position = active.columns.index("备注")
    stored = {r.data[position] for r in DatasetRow.objects.filter(version=active)}
    assert set(tricky) <= stored
    assert len(stored) == len(tricky) + 1  # the three plain rows share one remark
