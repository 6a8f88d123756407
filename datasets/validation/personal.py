"""Columns whose uploaded values are personal data although their items are tagged "not personal".

The task worker feeds the first ``SAMPLE_ROWS`` valid rows of an upload to ``PersonalColumns``;
a string column most of whose sampled values are ID numbers, mobiles, bank cards or sole traders'
USCCs by their check digits (``catalog.detection``) is reported with the import's result. Not an
error: the rows are stored, and the read path masks such values anyway (datasets.masking).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from catalog.detection import detect_values
from catalog.models import DataItem

SAMPLE_ROWS = 1000


class PersonalColumns:
    """Collect samples of the columns worth a look and say which look personal."""

    def __init__(self, items: Sequence[DataItem]) -> None:
        self.items = list(items)
        self.positions = [
            i
            for i, item in enumerate(self.items)
            if item.kind == DataItem.Kind.NONE and item.data_type == DataItem.DataType.C
        ]
        self.samples: dict[int, list[str]] = {p: [] for p in self.positions}
        self.rows = 0

    def add(self, values: Sequence[str | None]) -> None:
        if self.rows >= SAMPLE_ROWS or not self.positions:
            return
        self.rows += 1
        for position in self.positions:
            value = values[position]
            if value:
                self.samples[position].append(value)

    def warnings(self) -> list[dict[str, Any]]:
        """Return ``{"column", "kind", "min_level"}`` for each column that looks personal."""
        found = []
        for position in self.positions:
            finding = detect_values(self.samples[position])
            if finding is not None:
                found.append(
                    {
                        "column": self.items[position].name,
                        "kind": finding.kind,
                        "min_level": finding.min_level,
                    }
                )
        return found
