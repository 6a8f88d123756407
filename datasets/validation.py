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
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from itertools import islice
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.cn import ric
from stdnum.exceptions import ValidationError as StdnumError

from catalog.models import DataItem

CHUNK_ROWS = 5_000  # rows checked together, column by column
KEY_SEPARATOR = "\x1f"  # ASCII unit separator: cannot occur in a trimmed cell value

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


class BadValue(Exception):
    """A cell value that does not fit its data item."""


@dataclass
class ErrorReport:
    """Errors by row and column, capped; ``total`` counts the ones left out too."""

    limit: int = 1000
    errors: list[dict[str, Any]] = field(default_factory=list)
    total: int = 0

    def add(self, row: int | None, column: str, message: str) -> None:
        self.total += 1
        if len(self.errors) < self.limit:
            self.errors.append({"row": row, "column": column, "message": message})

    def __bool__(self) -> bool:
        return self.total > 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "errors": self.errors,
            "total": self.total,
            "omitted": self.total - len(self.errors),
        }


class DatasetInvalid(ValidationError):
    """The data does not fit the data items; ``report`` names row, column and reason."""

    def __init__(self, report: ErrorReport):
        self.report = report
        first = report.errors[0] if report.errors else {"message": ""}
        summary = _("%(count)d problems found; nothing was stored. First: %(first)s") % {
            "count": report.total,
            "first": describe(first),
        }
        super().__init__(summary, code="dataset_invalid")


def describe(error: dict[str, Any]) -> str:
    """Return one error as a sentence: row, column, reason."""
    parts = []
    if error.get("row"):
        parts.append(_("row %(row)d") % {"row": error["row"]})
    if error.get("column"):
        parts.append(_("column “%(column)s”") % {"column": error["column"]})
    return ", ".join([*parts, error["message"]]) if parts else error["message"]


def error_limit() -> int:
    return int(getattr(settings, "PORTAL_DATA_ERROR_LIMIT", 1000))


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
_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUE = {c: i for i, c in enumerate(_USCC_ALPHABET)}
_RIC_FORMAT = re.compile(r"\d{17}[\dX]\Z")


@lru_cache(maxsize=8192)
def _birth_place_valid(region_and_year: str) -> bool:
    # Keyed by the first ten characters (region code and birth year), one string: cheaper to
    # hash than a pair, and a file has few distinct ones.
    try:
        ric.get_birth_place(f"{region_and_year}0101000X")
    except StdnumError:
        return False
    return True


@lru_cache(maxsize=65536)
def _birth_date_valid(yyyymmdd: str) -> bool:
    # A file's birth dates repeat (one per day of a century at most): one dict lookup each.
    try:
        dt.date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:]))
    except ValueError:
        return False
    return True


# The check character for each remainder of the weighted sum: (1 - 2 * sum) mod 11, 10 as X.
_RIC_CHECK = tuple("X" if c == 10 else str(c) for c in ((1 - 2 * r) % 11 for r in range(11)))


def citizen_id_valid(number: str) -> bool:
    """Return whether a GB 11643 citizen ID number is valid (stdnum.cn.ric.validate's rules)."""
    if not _RIC_FORMAT.match(number):
        return False
    # The weights are 2**(17 - i) mod 11, and 2 is 13 mod 11: reading the first 17 digits as a
    # base-13 number gives the weighted sum modulo 11.
    return (
        number[17] == _RIC_CHECK[int(number[:17], 13) % 11]
        and _birth_date_valid(number[6:14])
        and _birth_place_valid(number[:10])
    )


# USCC characters as digits of base 34, and every other ASCII character (letters, but also the
# sign, underscore and spaces int() would accept) as one int() refuses.
# The weights are 3**i mod 31 and 34 is 3 mod 31, so reading the first 17 characters reversed
# as a base-34 number gives the weighted sum modulo 31.
_USCC_BASE34 = str.maketrans(
    {
        **{chr(c): "#" for c in range(128)},
        **{c: "0123456789abcdefghijklmnopqrstu"[i] for i, c in enumerate(_USCC_ALPHABET)},
    }
)


def uscc_valid(number: str) -> bool:
    """Return whether a GB 32100 USCC is valid (stdnum.cn.uscc.validate's rules)."""
    if len(number) != 18 or not number.isascii() or not number[:8].isdigit():
        return False
    try:
        weighted = int(number[16::-1].translate(_USCC_BASE34), 34)
    except ValueError:
        return False
    last = _USCC_VALUE.get(number[17])
    return last is not None and last == (31 - weighted) % 31


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


def column_converter(item: DataItem) -> Callable[[Sequence[Any]], list[str | None]]:
    """Return a function converting a whole column of the item; raises BadValue like the cells."""
    convert = converter_for(item)
    fast = _fast_for(item)

    def convert_column(column: Sequence[Any]) -> list[str | None]:
        if fast is not None and (values := fast(column)) is not None:
            return values
        return list(map(convert, column))

    return convert_column


def converter_for(item: DataItem) -> Converter:
    """Return the function that checks and canonicalises values of the item."""
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
    return convert


# --- the row plan ----------------------------------------------------------------------------


def region_item_name() -> str:
    return str(getattr(settings, "PORTAL_DATA_REGION_ITEM", "行政区划代码"))


@dataclass
class RowPlan:
    """How the rows of one resource are checked and stored."""

    items: list[DataItem]
    converters: list[Converter]
    key_positions: list[int]
    region_position: int | None

    @property
    def columns(self) -> list[str]:
        return [item.name for item in self.items]

    @property
    def key_columns(self) -> list[str]:
        return [self.items[i].name for i in self.key_positions]

    @classmethod
    def for_items(cls, items: Sequence[DataItem]) -> RowPlan:
        items = list(items)
        region = region_item_name()
        names = [item.name for item in items]
        return cls(
            items=items,
            converters=[converter_for(item) for item in items],
            key_positions=[i for i, item in enumerate(items) if item.is_key],
            region_position=names.index(region) if region in names else None,
        )

    def key_of(self, values: Sequence[str | None]) -> str | None:
        if not self.key_positions:
            return None
        return KEY_SEPARATOR.join(values[i] or "" for i in self.key_positions)

    def header_errors(self, header: Sequence[str], report: ErrorReport) -> list[int] | None:
        """Return, for each item, its column in the file; or report what is wrong."""
        expected = self.columns
        missing = [name for name in expected if name not in header]
        extra = [name for name in header if name not in expected]
        duplicated = sorted({name for name in header if header.count(name) > 1})
        if not header:
            report.add(None, "", _("The file is empty."))
            return None
        if missing:
            report.add(1, "", _("Missing columns: %(names)s.") % {"names": "、".join(missing)})
        if extra:
            report.add(
                1,
                "",
                _("Unknown columns: %(names)s.") % {"names": "、".join(n or "?" for n in extra)},
            )
        if duplicated:
            report.add(1, "", _("Repeated columns: %(names)s.") % {"names": "、".join(duplicated)})
        if missing or extra or duplicated:
            return None
        return [header.index(name) for name in expected]

    def convert_rows(
        self,
        rows: Iterable[tuple[int, Sequence[Any]]],
        positions: list[int],
        report: ErrorReport,
        *,
        width: int,
        progress: Callable[[int], None] | None = None,
    ) -> Iterator[tuple[str | None, str, Sequence[str | None]]]:
        """Yield (key, region, values) of valid rows; stop yielding after the first error.

        Validation goes on to the end so the report is complete, but once one row is bad the
        version will not be stored, so nothing more is handed to the loader. Rows are checked a
        chunk at a time, column by column (see the column fast paths); a chunk with any problem
        is checked again row by row, which names every bad cell.
        """
        columns = [column_converter(item) for item in self.items]
        seen: dict[str, int] = {}
        count = 0
        iterator = iter(rows)
        while chunk := list(islice(iterator, CHUNK_ROWS)):
            before, count = count, count + len(chunk)
            converted = self._convert_chunk(chunk, positions, columns, seen, width)
            if converted is None:
                converted = list(self._convert_slowly(chunk, positions, report, seen, width))
            if not report:
                yield from converted
            if progress is not None and count // 10_000 > before // 10_000:
                progress(count)
        if progress is not None:
            progress(count)

    def _convert_chunk(
        self,
        chunk: list[tuple[int, Sequence[Any]]],
        positions: list[int],
        columns: list[Callable[[Sequence[Any]], list[str | None]]],
        seen: dict[str, int],
        width: int,
    ) -> list[tuple[str | None, str, Sequence[str | None]]] | None:
        """Return the chunk's converted rows, or None if any row has a problem."""
        numbers, cells = zip(*chunk, strict=True)
        if set(map(len, cells)) != {width}:
            return None
        by_column = list(zip(*cells, strict=True))
        try:
            values = [convert(by_column[p]) for p, convert in zip(positions, columns, strict=True)]
        except BadValue:
            return None
        keys: Sequence[str | None]
        if self.key_positions:
            parts = [values[i] for i in self.key_positions]
            if any(None in part for part in parts):
                return None  # an empty key item
            keys = (
                parts[0]
                if len(parts) == 1
                else list(map(KEY_SEPARATOR.join, zip(*parts, strict=True)))
            )
            new: dict[str, int] = dict(zip(keys, numbers, strict=True))  # type: ignore[arg-type]
            if len(new) != len(keys) or not seen.keys().isdisjoint(new):
                return None  # a duplicate key
            seen.update(new)
        else:
            keys = [None] * len(chunk)
        if self.region_position is not None:
            regions: Sequence[str] = [v or "" for v in values[self.region_position]]
        else:
            regions = [""] * len(chunk)
        return list(zip(keys, regions, zip(*values, strict=True), strict=True))

    def _convert_slowly(
        self,
        chunk: list[tuple[int, Sequence[Any]]],
        positions: list[int],
        report: ErrorReport,
        seen: dict[str, int],
        width: int,
    ) -> Iterator[tuple[str | None, str, Sequence[str | None]]]:
        """Convert row by row and cell by cell, reporting every problem by row and column."""
        plan = list(zip(positions, self.converters, self.columns, strict=True))
        key_positions = self.key_positions
        region_position = self.region_position
        for number, cells in chunk:
            if len(cells) != width:
                if len(cells) > width and all(c in (None, "") for c in cells[width:]):
                    cells = cells[:width]
                elif len(cells) < width and isinstance(cells, list):
                    cells = cells + [None] * (width - len(cells))
                else:
                    report.add(
                        number,
                        "",
                        _("The row has %(cells)d cells; the header has %(width)d.")
                        % {"cells": len(cells), "width": width},
                    )
                    continue
            failed: list[int] = []
            values: list[str | None] = []
            for position, convert, name in plan:
                try:
                    values.append(convert(cells[position]))
                except BadValue as exc:
                    report.add(number, name, str(exc))
                    failed.append(len(values))
                    values.append(None)
            bad = bool(failed)
            key = None
            if key_positions:
                parts = [values[i] for i in key_positions]
                for i, part in zip(key_positions, parts, strict=True):
                    if part is None and i not in failed:
                        report.add(number, self.columns[i], _("A key item may not be empty."))
                        bad = True
                if not bad:
                    key = KEY_SEPARATOR.join(parts)  # type: ignore[arg-type]
                    first = seen.get(key)
                    if first is not None:
                        report.add(
                            number,
                            "、".join(self.columns[i] for i in key_positions),
                            _("Duplicate key: the same as row %(row)d.") % {"row": first},
                        )
                        bad = True
                    else:
                        seen[key] = number
            if bad:
                continue
            region = values[region_position] or "" if region_position is not None else ""
            yield key, region, values
