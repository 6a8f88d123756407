"""Check values against a resource's data items and turn them into their canonical text.

Each data item compiles to one converter; the row loop then only calls converters, so the cost
per cell is a function call and a check or two (the import benchmark depends on it).
Canonical forms: dates ``YYYY-MM-DD``, date-times ``YYYY-MM-DD HH:MM:SS``, logicals
``true``/``false``, currency with two decimals, everything else the trimmed text; empty is None.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from operator import mul
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.cn import ric
from stdnum.exceptions import ValidationError as StdnumError

from ..models import DataItem

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
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_RIC_FORMAT = re.compile(r"\d{17}[\dX]\Z")


@lru_cache(maxsize=8192)
def _birth_place_valid(region: str, year: str) -> bool:
    try:
        ric.get_birth_place(f"{region}{year}0101000X")
    except StdnumError:
        return False
    return True


def citizen_id_valid(number: str) -> bool:
    """Return whether a GB 11643 citizen ID number is valid (stdnum.cn.ric.validate's rules)."""
    if not _RIC_FORMAT.match(number):
        return False
    check = (1 - 2 * int(number[:-1], 13)) % 11
    if number[-1] != ("X" if check == 10 else str(check)):
        return False
    try:
        dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    return _birth_place_valid(number[:6], number[6:10])


def uscc_valid(number: str) -> bool:
    """Return whether a GB 32100 USCC is valid (stdnum.cn.uscc.validate's rules)."""
    if len(number) != 18 or not number[:8].isdigit() or not number[:8].isascii():
        return False
    try:
        values = list(map(_USCC_VALUE.__getitem__, number))
    except KeyError:
        return False
    return values[17] == (31 - sum(map(mul, values, _USCC_WEIGHTS))) % 31


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
    ) -> Iterator[tuple[str | None, str, list[str | None]]]:
        """Yield (key, region, values) of valid rows; stop yielding after the first error.

        Validation goes on to the end so the report is complete, but once one row is bad the
        version will not be stored, so nothing more is handed to the loader.
        """
        plan = list(zip(positions, self.converters, self.columns, strict=True))
        key_positions = self.key_positions
        region_position = self.region_position
        seen: dict[str, int] = {}
        count = 0
        for number, cells in rows:
            count += 1
            if progress is not None and count % 10_000 == 0:
                progress(count)
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
            try:
                values = [convert(cells[position]) for position, convert, _name in plan]
            except BadValue:
                # The slow path, only for bad rows: convert cell by cell to name every problem.
                values = []
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
            if bad or report:
                continue
            region = values[region_position] or "" if region_position is not None else ""
            yield key, region, values
        if progress is not None:
            progress(count)
