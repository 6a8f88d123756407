"""Check values against a resource's data items and turn them into their canonical text.

Each data item compiles to one converter; the row loop then only calls converters, so the cost
per cell is a function call and a check or two (the import benchmark depends on it).
Canonical forms: dates ``YYYY-MM-DD``, date-times ``YYYY-MM-DD HH:MM:SS``, logicals
``true``/``false``, currency with two decimals, everything else the trimmed text; empty is None.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from catalog.models import DataItem

from .identifiers import citizen_id_valid, uscc_valid
from .report import BadValue

_INTEGER = re.compile(r"[+-]?\d+\Z")
_DECIMAL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)\Z")
_FLOAT = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\Z")
_DATETIME_BASIC = re.compile(r"(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})\Z")
_LOGICAL = {
    "是": "true",
    "否": "false",
    "true": "true",
    "false": "false",
    "1": "true",
    "0": "false",
    "y": "true",
    "n": "false",
}

Converter = Callable[[Any], "str | None"]


@dataclass(frozen=True)
class CodeSet:
    """An item's code list as the row loop checks it: the active codes, loaded once per run."""

    code: str
    name: str
    values: frozenset[str]


# --- converters ------------------------------------------------------------------------------


def _text(value: Any) -> str:
    if type(value) is str:
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # Excel stores every number as a float
    return str(value).strip()


def _string(length: int | None) -> Converter:
    def convert(value: Any) -> str | None:
        text = value.strip() if type(value) is str else _text(value)
        if not text:
            return None
        if length is not None and len(text) > length:
            raise BadValue(
                _("“%(value)s” is longer than %(length)d characters.")
                % {"value": text[:30], "length": length}
            )
        return text

    return convert


def _digits_over(text: str, length: int) -> bool:
    # Only called on text the number pattern matched: digits, one sign, one point, no exponent.
    return len(text) - (text[0] in "+-") - ("." in text) > length


def _integer(length: int) -> Converter:
    def convert(value: Any) -> str | None:
        text = value.strip() if type(value) is str else _text(value)
        if not text:
            return None
        if not _INTEGER.match(text):
            raise BadValue(_("“%(value)s” is not an integer.") % {"value": text[:30]})
        if _digits_over(text, length):
            raise BadValue(
                _("“%(value)s” has more than %(length)d digits.")
                % {"value": text[:30], "length": length}
            )
        return str(int(text))

    return convert


def _number(length: int | None, pattern: re.Pattern[str]) -> Converter:
    def convert(value: Any) -> str | None:
        text = value.strip() if type(value) is str else _text(value)
        if not text:
            return None
        if not pattern.match(text):
            raise BadValue(_("“%(value)s” is not a number.") % {"value": text[:30]})
        if length is not None and _digits_over(text, length):
            raise BadValue(
                _("“%(value)s” has more than %(length)d digits.")
                % {"value": text[:30], "length": length}
            )
        return text

    return convert


_MONEY = re.compile(r"([+-]?)(\d+)(?:\.(\d{0,2}))?\Z")


def _currency(length: int) -> Converter:
    cents = Decimal("0.01")

    def convert(value: Any) -> str | None:
        text = value.strip() if type(value) is str else _text(value)
        if not text:
            return None
        if (money := _MONEY.match(text)) and len(text) <= length + 2:
            # The common case without Decimal: at most two decimals, written out.
            sign, whole, fraction = money.groups()
            return f"{'-' if sign == '-' else ''}{int(whole)}.{(fraction or '').ljust(2, '0')}"
        if not _DECIMAL.match(text):
            raise BadValue(_("“%(value)s” is not an amount of money.") % {"value": text[:30]})
        amount = Decimal(text)
        if amount != amount.quantize(cents):
            raise BadValue(_("“%(value)s” has more than two decimals.") % {"value": text[:30]})
        if _digits_over(text, length):
            raise BadValue(
                _("“%(value)s” has more than %(length)d digits.")
                % {"value": text[:30], "length": length}
            )
        return str(amount.quantize(cents))

    return convert


def _date(value: Any) -> str | None:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = value.strip() if type(value) is str else _text(value)
    if not text:
        return None
    # fromisoformat also takes week dates and other ISO forms; only these two are allowed.
    if (len(text) == 10 and text[4] == "-" and text[7] == "-") or (
        len(text) == 8 and text.isdigit()
    ):
        try:
            return dt.date.fromisoformat(text).isoformat()
        except ValueError:
            pass
    raise BadValue(_("“%(value)s” is not a date (YYYY-MM-DD or YYYYMMDD).") % {"value": text[:30]})


def _datetime(value: Any) -> str | None:
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    text = value.strip() if type(value) is str else _text(value)
    if not text:
        return None
    try:
        if basic := _DATETIME_BASIC.match(text):
            y, mo, d, h, mi, s = (int(part) for part in basic.groups())
            parsed = dt.datetime(y, mo, d, h, mi, s)
        elif len(text) >= 16 and text[4] == "-" and text[10] in " T":
            parsed = dt.datetime.fromisoformat(text)
        else:
            raise ValueError(text)
    except ValueError:
        raise BadValue(
            _("“%(value)s” is not a date and time (YYYY-MM-DD HH:MM:SS).") % {"value": text[:30]}
        ) from None
    return parsed.isoformat(sep=" ")


def _logical(value: Any) -> str | None:
    if value is True or value is False:
        return "true" if value else "false"
    text = value.strip() if type(value) is str else _text(value)
    if not text:
        return None
    try:
        return _LOGICAL[text.lower()]
    except KeyError:
        raise BadValue(
            _("“%(value)s” is not a logical value (是/否, true/false, 1/0).") % {"value": text[:30]}
        ) from None


# Check digits. python-stdnum (stdnum.cn.ric / stdnum.cn.uscc) is the reference; these are the
# same formulas without its per-call clean-up, and the birth-place lookup (a table search costing
# about a millisecond) is cached per region and year: a file has few distinct ones. A test checks
# that both answers agree.


def _checked(convert: Converter, kind: str) -> Converter:
    """Wrap a converter with the check-digit test of ID numbers and USCCs."""
    valid, label = {
        DataItem.Kind.ID_NUMBER: (citizen_id_valid, _("citizen ID number")),
        DataItem.Kind.USCC: (uscc_valid, _("unified social credit code")),
    }[DataItem.Kind(kind)]

    def checked(value: Any) -> str | None:
        if type(value) is str and len(value) == 18 and value.isalnum():
            text = value.upper()  # the usual cell: no call to the string converter
        else:
            converted = convert(value)
            if converted is None:
                return None
            text = converted.upper()
        if not valid(text):
            raise BadValue(
                _("“%(value)s” is not a valid %(label)s (check digit or format).")
                % {"value": text[:30], "label": label}
            )
        return text

    return checked


# --- column fast paths ------------------------------------------------------------------------
#
# A file's columns are nearly always already in canonical form. For a chunk of rows, each column
# is first checked as a whole, with one regular expression over its cells joined by a separator
# (C speed, no Python call per cell); a column that passes is stored as it is, because its
# converter would have returned every value unchanged. A column that does not pass goes through
# its converter cell by cell, so the fast path can only ever skip work, never change a result.

ColumnCheck = Callable[[Sequence[Any]], "list[str | None] | None"]
_SEP = "\x00"


def _joined(column: Sequence[Any]) -> str | None:
    """Return the column's cells joined by _SEP, or None unless every cell is a str without it."""
    if not column or set(map(type, column)) != {str}:
        return None
    joined = _SEP.join(column)
    # A cell holding the separator would make the pattern see two cells: refuse such columns.
    return joined if joined.count(_SEP) == len(column) - 1 else None


def _as_stored(column: Sequence[str]) -> list[str | None]:
    return [value or None for value in column] if "" in column else list(column)


def _pattern_check(cell: str) -> Callable[[Sequence[Any]], str | None]:
    """Return a check that the joined column fullmatches (cell pattern or empty) per cell."""
    pattern = re.compile(f"(?:{cell})?(?:{_SEP}(?:{cell})?)*")

    def check(column: Sequence[Any]) -> str | None:
        joined = _joined(column)
        return joined if joined is not None and pattern.fullmatch(joined) else None

    return check


def _fast_pattern(cell: str, max_length: int | None = None) -> ColumnCheck:
    check = _pattern_check(cell)

    def fast(column: Sequence[Any]) -> list[str | None] | None:
        if check(column) is None:
            return None
        if max_length is not None and max(map(len, column)) > max_length:
            return None
        return _as_stored(column)

    return fast


def _fast_date(column: Sequence[Any]) -> list[str | None] | None:
    if _DATE_COLUMN(column) is None:
        return None
    try:
        deque(map(dt.date.fromisoformat, filter(None, column)), maxlen=0)
    except ValueError:
        return None  # 2026-02-30 and the like: the converter names them
    return _as_stored(column)


_DATE_COLUMN = _pattern_check(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _fast_checked(valid: Callable[[str], bool]) -> ColumnCheck:
    def fast(column: Sequence[Any]) -> list[str | None] | None:
        # A str the validator accepts is already canonical (ASCII digits and upper-case
        # letters, 18 of them), so the converter would return it unchanged.
        if set(map(type, column)) != {str} or not all(map(valid, filter(None, column))):
            return None
        return _as_stored(column)

    return fast


def _fast_text(length: int | None) -> ColumnCheck:
    def fast(column: Sequence[Any]) -> list[str | None] | None:
        if set(map(type, column)) != {str}:
            return None
        stripped = list(map(str.strip, column))  # the converter strips; map calls it in C
        if length is not None and max(map(len, stripped)) > length:
            return None
        return _as_stored(stripped)

    return fast


def _fast_for(item: DataItem) -> ColumnCheck | None:
    """Return the whole-column check of the item's values in canonical form, if it has one."""
    code, length = item.data_type, item.length
    if item.kind == DataItem.Kind.ID_NUMBER:
        return _fast_checked(citizen_id_valid)
    if item.kind == DataItem.Kind.USCC:
        return _fast_checked(uscc_valid)
    if code in ("C", "M"):
        return _fast_text(length)
    if code == "G":
        return _fast_text(None)
    if code == "I" and length:
        # str(int(text)) == text: no sign on zero, no leading zeros, ASCII digits only.
        return _fast_pattern(f"0|-?[1-9][0-9]{{0,{length - 1}}}")
    if code == "Y" and length:
        # The converter's own fast path returns these unchanged when they fit in length + 2.
        return _fast_pattern(r"-?(?:0|[1-9][0-9]*)\.[0-9]{2}", max_length=length + 2)
    if code == "D":
        return _fast_date
    if code == "L":
        return _fast_pattern("true|false")
    return None  # N, B, F, T: the converter cell by cell


def _coded(convert: Converter, codes: CodeSet, item_name: str) -> Converter:
    """Wrap a converter with the test that its (canonical) value is one of the list's codes."""
    values = codes.values

    def coded(value: Any) -> str | None:
        text = convert(value)
        if text is not None and text not in values:
            raise BadValue(
                _(
                    "“%(value)s” is not a code of %(list_name)s (%(list_code)s), the code list "
                    "of “%(item)s”."
                )
                % {
                    "value": text[:30],
                    "list_name": codes.name,
                    "list_code": codes.code,
                    "item": item_name,
                }
            )
        return text

    return coded


def column_converter(
    item: DataItem, codes: CodeSet | None = None
) -> Callable[[Sequence[Any]], list[str | None]]:
    """Return a function converting a whole column of the item; raises BadValue like the cells."""
    convert = converter_for(item, codes)
    fast = _fast_for(item)
    allowed = codes.values if codes is not None else None

    def convert_column(column: Sequence[Any]) -> list[str | None]:
        # The code list's test is a set operation in C per chunk; a value outside the list
        # falls to the converter, which names it.
        if (
            fast is not None
            and (values := fast(column)) is not None
            and (allowed is None or allowed.issuperset(filter(None, values)))
        ):
            return values
        return list(map(convert, column))

    return convert_column


def converter_for(item: DataItem, codes: CodeSet | None = None) -> Converter:
    """Return the function that checks and canonicalises values of the item.

    ``codes``: the item's code list, if it has one; a value must then be one of its codes.
    """
    code = item.data_type
    convert: Converter
    if code in ("C", "M"):
        convert = _string(item.length)
    elif code == "G":
        convert = _string(None)
    elif code == "I":
        convert = _integer(item.length)
    elif code == "N":
        convert = _number(item.length, _DECIMAL)
    elif code in ("B", "F"):
        convert = _number(None, _FLOAT)
    elif code == "Y":
        convert = _currency(item.length)
    elif code == "D":
        convert = _date
    elif code == "T":
        convert = _datetime
    elif code == "L":
        convert = _logical
    else:  # pragma: no cover - the DataItem choices are closed
        raise ValueError(code)
    if item.kind in (DataItem.Kind.ID_NUMBER, DataItem.Kind.USCC):
        convert = _checked(convert, item.kind)
    if codes is not None:
        convert = _coded(convert, codes, item.name)
    return convert
