"""A version's quality profile: exact figures on a small known version, computed in SQL."""

from __future__ import annotations

import datetime as dt

import pytest
from stdnum.cn import uscc

from accounts.models import Level
from datasets.models import DatasetVersion, VersionQuality
from datasets.services import quality
from datasets.storage import rows_load
from datasets.validation.identifiers import citizen_id_valid, uscc_valid
from tests import builders

from .conftest import citizen_id

pytestmark = pytest.mark.django_db

COLUMNS = ["编号", "类别", "身份证号", "信用代码", "登记日期", "金额"]
GOOD_USCC = "91340100" + "MA2RX0001"
GOOD_USCC += uscc.calc_check_digit(GOOD_USCC)
BAD_ID = citizen_id(7)[:-1] + ("0" if citizen_id(7)[-1] != "0" else "1")
ROWS = [
    # key, category, ID number, credit code, date, amount
    ["K1", "甲", citizen_id(1), GOOD_USCC, "2020-05-01", "10.5"],
    ["K2", "甲", citizen_id(2), "913401000000000000", "1850-01-01", "3"],
    ["K3", "乙", BAD_ID, None, "2024-12-31", None],
    ["K4", None, None, GOOD_USCC, None, "-2"],
]


@pytest.fixture
def version(db):
    dept = builders.department()
    resource = builders.resource(
        dept,
        level=Level.L3,
        items=[
            builders.item("编号", is_key=True, length=10),
            builders.item("类别", length=10),
            builders.item("身份证号", kind="id_number", level=Level.L3),
            builders.item("信用代码", kind="uscc"),
            builders.item("登记日期", data_type="D", length=10),
            builders.item("金额", data_type="N", length=12),
        ],
    )
    v = DatasetVersion.objects.create(
        resource=resource,
        number=1,
        status=DatasetVersion.Status.ACTIVE,
        source=DatasetVersion.Source.PUSH,
        columns=COLUMNS,
        key_columns=["编号"],
        row_count=len(ROWS),
    )
    rows_load(version_id=v.pk, rows=[(r[0], "", r) for r in ROWS])
    return v


def test_the_sql_check_digits_agree_with_the_validators():
    assert citizen_id_valid(citizen_id(1)) and not citizen_id_valid(BAD_ID)
    assert uscc_valid(GOOD_USCC) and not uscc_valid("913401000000000000")


def test_profile_figures_of_a_known_version(version, django_assert_num_queries):
    # The item list, one aggregate query, one distinct count for each item (the key's unique
    # index answers for the key), and one grouped query for the one item whose values may be
    # shown (类别: not personal, repeated values): set by the items, never by the rows.
    with django_assert_num_queries(1 + 1 + len(COLUMNS) + 1):
        figures = quality.version_profile_compute(version=version, today=dt.date(2026, 6, 1))
    items = {i["name"]: i for i in figures["items"]}
    assert figures["row_count"] == 4
    assert items["编号"]["completeness"] == 1.0 and items["编号"]["distinct"] == 4
    assert items["类别"] | {} == {
        "name": "类别",
        "filled": 3,
        "completeness": 0.75,
        "distinct": 2,
        "checked": False,
        "valid": None,
        "validity": None,
        "min": None,
        "max": None,
        "top": [["甲", 2], ["乙", 1]],
    }
    # Check digits in SQL: one of the three ID numbers is wrong, one of the three codes.
    assert (items["身份证号"]["filled"], items["身份证号"]["valid"]) == (3, 2)
    assert (items["信用代码"]["filled"], items["信用代码"]["valid"]) == (3, 2)
    # 1850 lies before the sane range.
    assert (items["登记日期"]["valid"], items["登记日期"]["min"], items["登记日期"]["max"]) == (
        2,
        "1850-01-01",
        "2024-12-31",
    )
    assert (items["金额"]["min"], items["金额"]["max"], items["金额"]["checked"]) == (
        -2,
        10.5,
        False,
    )
    # Personal values are never stored: no top values, no extremes for ID numbers.
    for name in ("身份证号", "信用代码"):
        assert items[name]["top"] == [] and items[name]["min"] is None
    assert figures["completeness"] == round((4 + 3 + 3 + 3 + 3 + 3) / 24, 4)
    assert figures["validity"] == round(6 / 9, 4)
    assert (figures["uniqueness"], figures["duplicate_keys"], figures["missing_keys"]) == (
        1.0,
        0,
        0,
    )


def test_the_stored_profile_and_its_score(version):
    stored = quality.version_profile(version_id=version.pk)
    assert stored is not None
    assert VersionQuality.objects.get(version=version).pk == stored.pk
    # 40 × 0.7917 + 30 × 0.6667 + 15 × 1 (key unique) + 15 × 1 (first version: no cycle yet)
    assert stored.score == round(40 * 0.7917 + 30 * 0.6667 + 15 + 15) == 82
    assert stored.on_cycle is None
    serialized = str(stored.items)
    for personal in (citizen_id(1), citizen_id(2), BAD_ID):
        assert personal not in serialized


def test_a_superseded_version_is_not_profiled(version):
    DatasetVersion.objects.filter(pk=version.pk).update(status=DatasetVersion.Status.SUPERSEDED)
    assert quality.version_profile(version_id=version.pk) is None
    assert not VersionQuality.objects.exists()


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        ({"completeness": 1.0, "validity": None, "uniqueness": None, "on_cycle": None}, 100),
        ({"completeness": 0.5, "validity": 1.0, "uniqueness": 1.0, "on_cycle": False}, 65),
        ({"completeness": 0.0, "validity": 0.0, "uniqueness": 0.0, "on_cycle": False}, 0),
    ],
)
def test_score_formula(parts, expected):
    assert quality.quality_score(**parts) == expected
