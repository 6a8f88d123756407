"""The row plan: how the rows of one resource are checked, keyed and handed to the loader."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from catalog.models import CodeList, CodeListEntry, DataItem

from .converters import CodeSet, Converter, column_converter, converter_for
from .report import BadValue, ErrorReport

CHUNK_ROWS = 5_000  # rows checked together, column by column
KEY_SEPARATOR = "\x1f"  # ASCII unit separator: cannot occur in a trimmed cell value


# --- the row plan ----------------------------------------------------------------------------


def code_sets_for(items: Sequence[DataItem]) -> list[CodeSet | None]:
    """Return each item's code list with its active codes: two queries for the whole run (none
    when no item has a list), never one per cell or per row."""
    ids = {item.code_list_id for item in items if item.code_list_id is not None}
    if not ids:
        return [None] * len(items)
    values: dict[int, set[str]] = {pk: set() for pk in ids}
    for list_id, value in CodeListEntry.objects.filter(
        code_list_id__in=ids, active=True
    ).values_list("code_list_id", "value"):
        values[list_id].add(value)
    sets = {
        pk: CodeSet(code, name, frozenset(values[pk]))
        for pk, code, name in CodeList.objects.filter(pk__in=ids).values_list("pk", "code", "name")
    }
    return [sets.get(item.code_list_id) if item.code_list_id else None for item in items]


def region_item_name() -> str:
    return str(getattr(settings, "PORTAL_DATA_REGION_ITEM", "行政区划代码"))


@dataclass
class RowPlan:
    """How the rows of one resource are checked and stored."""

    items: list[DataItem]
    converters: list[Converter]
    key_positions: list[int]
    region_position: int | None
    # Each item's code list (None without one), in item order.
    code_sets: list[CodeSet | None]

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
        code_sets = code_sets_for(items)
        return cls(
            items=items,
            converters=[
                converter_for(item, codes) for item, codes in zip(items, code_sets, strict=True)
            ],
            key_positions=[i for i, item in enumerate(items) if item.is_key],
            region_position=names.index(region) if region in names else None,
            code_sets=code_sets,
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
        columns = [
            column_converter(item, codes)
            for item, codes in zip(self.items, self.code_sets, strict=True)
        ]
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
