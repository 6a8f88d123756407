"""Write the rows a user may read as CSV or XLSX, with formula-looking cells neutralised."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts.models import User
from catalog.models import Resource

from .selectors import dataset_row_batches, read_record

FORMATS = ("csv", "xlsx")
# A spreadsheet treats a cell starting with one of these as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def export_max_rows() -> int:
    return int(getattr(settings, "PORTAL_DATA_EXPORT_MAX_ROWS", 1_000_000))


def neutralise(value: Any) -> Any:
    """Return a CSV cell that no spreadsheet will evaluate: formula-like text gets a quote."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        try:
            float(value)
            return value  # a plain negative number such as -12.5 is data, not a formula
        except ValueError:
            return "'" + value
    return value


def dataset_export(
    *,
    user: User,
    resource: Resource,
    out: IO[bytes],
    format: str = "csv",
    filters: Mapping[str, Any] | None = None,
) -> int:
    """Write the readable rows to ``out`` as CSV or XLSX; audit the download; return the count."""
    if format not in FORMATS:
        raise ValidationError(_("Choose CSV or XLSX."))
    columns, batches, access = dataset_row_batches(user=user, resource=resource, filters=filters)
    limit = export_max_rows()
    count = 0
    if format == "csv":
        text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")  # BOM: Excel reads UTF-8
        writer = csv.writer(text)
        writer.writerow(columns)
        for batch in batches:
            count += len(batch)
            if count > limit:
                raise ValidationError(_("Too many rows to download; narrow the selection."))
            writer.writerows([[neutralise(v) for v in row] for row in batch])
        text.flush()
        text.detach()  # leave ``out`` open for the caller
    else:
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell

        workbook = Workbook(write_only=True)
        # Sheet titles cannot hold []:*?/\ and stop at 31 characters.
        title = "".join(c for c in resource.name if c not in "[]:*?/\\")[:31]
        sheet = workbook.create_sheet(title or "data")

        def cell(value: Any) -> Any:
            if isinstance(value, str) and value.startswith(_FORMULA_START):
                # Typed as a string, the cell is shown as written and never evaluated.
                typed = WriteOnlyCell(sheet, value=value)
                typed.data_type = "s"
                return typed
            return value

        sheet.append(columns)
        for batch in batches:
            count += len(batch)
            if count > limit:
                raise ValidationError(_("Too many rows to download; narrow the selection."))
            for row in batch:
                sheet.append([cell(v) for v in row])
        workbook.save(out)
    read_record(user, "data.download", resource, access, columns, count, format=format)
    return count
