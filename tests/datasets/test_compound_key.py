"""Resources keyed by two items: filter by the whole key or by one key item."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from accounts.models import Role
from datasets import selectors, services
from datasets.validation import DatasetInvalid

from .. import builders
from .conftest import csv_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    dept = builders.department("统计部门")
    editor = builders.user(dept, clearance=2, roles=(Role.STAFF, Role.EDITOR))
    item = builders.item
    resource = builders.resource(
        dept,
        level=1,
        share_type="unconditional",
        items=[
            item("年份", data_type="I", length=4, is_key=True),
            item("区划", length=6, is_key=True),
            item("人口", data_type="I", length=9),
        ],
    )
    rows = [["2023", "340102", "100"], ["2024", "340102", "110"], ["2024", "340103", "90"]]
    services.dataset_upload(
        actor=editor, resource=resource, file=csv_file([["年份", "区划", "人口"], *rows])
    )
    reader = builders.user(builders.department("其他部门"), clearance=1)
    return editor, reader, resource


def test_whole_key_and_single_key_item_filters(world):
    _editor, reader, resource = world
    whole = selectors.dataset_rows_for(
        user=reader, resource=resource, filters={"年份": "2024", "区划": "340103"}
    )
    assert whole.rows == [["2024", "340103", "90"]]
    one = selectors.dataset_rows_for(user=reader, resource=resource, filters={"年份": 2024})
    assert [row[2] for row in one.rows] == ["110", "90"]
    with pytest.raises(ValidationError):
        selectors.dataset_rows_for(user=reader, resource=resource, filters={"年份": "二〇二四"})


def test_the_same_pair_twice_is_a_duplicate_but_either_half_alone_is_not(world):
    editor, _reader, resource = world
    with pytest.raises(DatasetInvalid) as caught:
        services.dataset_upload(
            actor=editor,
            resource=resource,
            file=csv_file(
                [["年份", "区划", "人口"], ["2024", "340102", "1"], ["2024", "340102", "2"]]
            ),
        )
    assert caught.value.report.errors[0]["row"] == 3


def test_verification_needs_the_whole_key(world):
    _editor, reader, resource = world
    with pytest.raises(ValidationError, match="区划"):
        selectors.dataset_verify(user=reader, resource=resource, keys={"年份": "2024"})
    answer = selectors.dataset_verify(
        user=reader,
        resource=resource,
        keys={"年份": "2024", "区划": "340102"},
        values={"人口": "110"},
    )
    assert answer == {"exists": True, "matches": {"人口": True}}


def test_bad_page_sizes_and_non_key_verification_are_refused(world):
    _editor, reader, resource = world
    with pytest.raises(ValidationError):
        selectors.dataset_rows_for(user=reader, resource=resource, limit="many")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="人口"):
        selectors.dataset_verify(
            user=reader, resource=resource, keys={"年份": "2024", "区划": "340102", "人口": "1"}
        )
