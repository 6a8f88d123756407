"""Personal data recognised from item names and values (catalog/detection.py), and what is not."""

from __future__ import annotations

import pytest

from catalog import detection
from catalog.detection import Finding, detect_item, detect_name, detect_value, detect_values

VALID_ID = "11010519491231002X"
VALID_CARD = "6217000000000000004"
SOLE_TRADER = "92330106MA27XM8W01"


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("公民身份号码", "id_number"),
        ("身份证号", "id_number"),
        ("申请人身份证号码", "id_number"),
        ("证件号码", "id_number"),
        ("手机", "mobile"),
        ("手机号码", "mobile"),
        ("联系电话", "mobile"),
        ("姓名", "name"),
        ("申请人姓名", "name"),
        ("法定代表人", "name"),
        ("住址", "address"),
        ("家庭 地址", "address"),
        ("银行卡号", "bank_card"),
        ("银行账号", "bank_card"),
        ("个体工商户统一社会信用代码", "uscc"),
        ("ID_Number", "id_number"),
    ],
)
def test_personal_names_are_recognised(name: str, kind: str) -> None:
    found = detect_name(name)
    assert found is not None and found.kind == kind
    assert found.min_level == detection.MIN_LEVELS[kind]


@pytest.mark.parametrize(
    "name",
    [
        "单位名称",
        "企业名称",
        "统一社会信用代码",
        "注册地址",
        "单位地址",
        "办公电话",
        "金额",
        "",
        "网址",
    ],
)
def test_other_names_are_not(name: str) -> None:
    assert detect_name(name) is None


def test_min_levels() -> None:
    assert detect_name("公民身份号码") == Finding("id_number", 3)
    assert detect_name("姓名") == Finding("name", 2)


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        (VALID_ID, "id_number"),
        (" 11010519491231002x ", "id_number"),
        ("13812345678", "mobile"),
        ("19912345678", "mobile"),
        (VALID_CARD, "bank_card"),
        (SOLE_TRADER, "uscc"),
    ],
)
def test_personal_values_are_recognised(value: str, kind: str) -> None:
    found = detect_value(value)
    assert found is not None and found.kind == kind


@pytest.mark.parametrize(
    "value",
    [
        "110105194912310023",  # ID number with a wrong check digit
        "110105194912310022",
        "11010519491331002X",  # ... and with no such birth date
        "6217000000000000005",  # bank card failing Luhn
        "12812345678",  # 12x is no mobile prefix
        "1381234567",  # ten digits
        "91330106MA27XM8W04",  # a company's USCC: not a person
        "92330106MA27XM8W02",  # a sole trader's USCC with a wrong check character
        "张三",
        "",
        None,
        12345678901,
    ],
)
def test_other_values_are_not(value: object) -> None:
    assert detect_value(value) is None


def test_a_column_needs_most_values_to_be_personal() -> None:
    assert detect_values([VALID_ID, VALID_ID, "", None]) == Finding("id_number", 3)
    assert detect_values(["13812345678", "x", "y"]) is None
    assert detect_values([]) is None


def test_item_by_name_then_by_values() -> None:
    assert detect_item("证件号码").kind == "id_number"  # type: ignore[union-attr]
    assert detect_item("字段1", ["13812345678"]).kind == "mobile"  # type: ignore[union-attr]
    assert detect_item("字段1", ["110105194912310023"]) is None
