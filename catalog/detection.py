"""Recognise personal data (个人信息) from a data item's name and from sample values.

Pure functions, no models: the catalog's services flag an item registered as "not personal" whose
name says otherwise, the task worker flags a column whose uploaded values say otherwise, and the
read path masks such values as a safety net. Each answer is a ``Finding``: the personal-data kind
(the ``DataItem.Kind`` values) and the minimum level the guide expects for it.

Names are data (``NAME_RULES``): a rule matches when the item's name, without spaces, contains one
of its words and none of its exclusions. Values are recognised by their check digits, so an ID
number or bank card with a wrong check digit is not personal data by this module's account.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from stdnum import luhn
from stdnum.cn import ric, uscc
from stdnum.exceptions import ValidationError as StdnumError

ID_NUMBER = "id_number"
MOBILE = "mobile"
NAME = "name"
ADDRESS = "address"
BANK_CARD = "bank_card"
USCC = "uscc"

# The minimum level (1-4) each kind of personal data is registered at.
MIN_LEVELS: dict[str, int] = {
    ID_NUMBER: 3,
    BANK_CARD: 3,
    MOBILE: 3,
    ADDRESS: 2,
    NAME: 2,
    USCC: 2,  # a sole trader's (个体工商户) code identifies a person
}


@dataclass(frozen=True)
class Finding:
    """Personal data recognised: its kind and the minimum level it belongs at."""

    kind: str
    min_level: int


@dataclass(frozen=True)
class NameRule:
    kind: str
    words: tuple[str, ...]
    exclusions: tuple[str, ...] = ()


# Checked in order; the first rule that matches wins (证件号码 before 号码-like mobile words).
NAME_RULES: tuple[NameRule, ...] = (
    NameRule(
        ID_NUMBER,
        ("公民身份号码", "身份证", "身份号码", "证件号码", "证件号", "idcard", "idnumber"),
    ),
    NameRule(BANK_CARD, ("银行卡", "银行账号", "银行帐号", "开户账号", "卡号", "bankcard")),
    NameRule(
        MOBILE,
        ("手机", "联系电话", "移动电话", "电话号码", "联系方式", "mobile", "phone"),
        exclusions=("单位电话", "办公电话", "服务电话", "值班电话", "咨询电话"),
    ),
    NameRule(
        USCC,
        ("个体工商户统一社会信用代码", "个体户统一社会信用代码", "个体工商户信用代码"),
    ),
    NameRule(
        ADDRESS,
        (
            "住址",
            "家庭地址",
            "居住地址",
            "户籍地址",
            "户籍所在地",
            "联系地址",
            "通讯地址",
            "通信地址",
            "迁入地址",
            "迁出地址",
        ),
        exclusions=("单位", "办公", "注册", "经营", "机构"),
    ),
    NameRule(
        NAME,
        ("姓名", "联系人", "申请人", "法定代表人", "户主", "经办人", "持卡人"),
        exclusions=("单位名称", "企业名称", "联系人电话"),
    ),
)


def finding_for(kind: str) -> Finding:
    return Finding(kind, MIN_LEVELS[kind])


# Item names repeat across a catalog (姓名, 联系电话, 统一社会信用代码 in thousands of entries) and
# a page of the API's expanded list asks about some 500 of them: the answers are kept, at most
# this many names (of at most 50 characters) per process. The rules are constants.
NAME_ANSWERS_KEPT = 4096


@lru_cache(maxsize=NAME_ANSWERS_KEPT)
def detect_name(name: str) -> Finding | None:
    """Return the personal data an item's name points to, or None."""
    key = re.sub(r"[\s_\-·()（）]", "", name or "").lower()
    if not key:
        return None
    for rule in NAME_RULES:
        if any(word in key for word in rule.words) and not any(
            excluded in key for excluded in rule.exclusions
        ):
            return finding_for(rule.kind)
    return None


_ID_SHAPE = re.compile(r"\d{17}[\dXx]\Z")
_MOBILE_SHAPE = re.compile(r"1[3-9]\d{9}\Z")
_CARD_SHAPE = re.compile(r"\d{16,19}\Z")
_USCC_SOLE_TRADER = re.compile(r"92\d{6}[0-9A-HJ-NPQRTUWXY]{10}\Z")
# Cheap gate before any check digit: the value's length and first character.
_CANDIDATE = re.compile(r"(?:1[3-9]\d{9}|\d{16,19}|\d{17}[Xx]|92[0-9A-Z]{16})\Z")


def _valid(module: object, value: str) -> bool:
    try:
        module.validate(value)  # type: ignore[attr-defined]
    except StdnumError:
        return False
    return True


def detect_value(value: object) -> Finding | None:
    """Return the personal data one value is, by its shape and check digits, or None.

    Recognised: a citizen ID number (GB 11643, valid check digit and birth date), a mobile number
    (1[3-9] and nine digits), a bank card (16-19 digits passing Luhn) and a sole trader's USCC
    (starting 92, valid check character). Anything else, including an 18-digit number with a
    wrong check digit, is not.
    """
    if not isinstance(value, str):
        return None
    value = value.strip()
    if not _CANDIDATE.match(value):
        return None
    if _MOBILE_SHAPE.match(value):
        return finding_for(MOBILE)
    if _ID_SHAPE.match(value) and _valid(ric, value.upper()):
        return finding_for(ID_NUMBER)
    if _USCC_SOLE_TRADER.match(value) and _valid(uscc, value):
        return finding_for(USCC)
    if _CARD_SHAPE.match(value) and not _ID_SHAPE.match(value) and _valid(luhn, value):
        return finding_for(BANK_CARD)
    return None


def detect_values(values: Iterable[object], *, threshold: float = 0.5) -> Finding | None:
    """Return the kind most of the non-empty sample values are, or None.

    A column counts as personal when at least ``threshold`` of its non-empty values are one kind
    (a stray number that happens to pass Luhn does not make a column of amounts personal).
    """
    counts: dict[str, int] = {}
    total = 0
    for value in values:
        if value is None or value == "":
            continue
        total += 1
        found = detect_value(value)
        if found is not None:
            counts[found.kind] = counts.get(found.kind, 0) + 1
    if not counts:
        return None
    kind, count = max(counts.items(), key=lambda pair: pair[1])
    return finding_for(kind) if count >= threshold * total else None


def detect_item(name: str, values: Iterable[object] = ()) -> Finding | None:
    """Return what an item is by its name, else by its sample values, or None."""
    return detect_name(name) or detect_values(values)
