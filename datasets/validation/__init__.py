"""Check uploaded and pushed rows against a resource's data items.

By concern: ``converters`` (each data item's check and canonical text, per cell and per column),
``identifiers`` (citizen ID and USCC check digits), ``report`` (the capped error report and the
``DatasetInvalid`` error carrying it) and ``rows`` (the row plan: header, keys, region, chunks).
Callers import from this package.
"""

from __future__ import annotations

from .converters import CodeSet, Converter, column_converter, converter_for
from .identifiers import citizen_id_valid, uscc_valid
from .report import BadValue, DatasetInvalid, ErrorReport, describe, error_limit
from .rows import CHUNK_ROWS, KEY_SEPARATOR, RowPlan, region_item_name

__all__ = [
    "CHUNK_ROWS",
    "KEY_SEPARATOR",
    "BadValue",
    "CodeSet",
    "Converter",
    "DatasetInvalid",
    "ErrorReport",
    "RowPlan",
    "citizen_id_valid",
    "column_converter",
    "converter_for",
    "describe",
    "error_limit",
    "region_item_name",
    "uscc_valid",
]
