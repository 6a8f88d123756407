"""Write the rows a user may read as CSV or XLSX, with formula-looking cells neutralised.

A download is decided, counted and audited first (``dataset_export_open``), before any row is
written: the audit event stands even if the client goes away mid-way. The rows are then written
in chunks: CSV as a stream of encoded text (``csv_chunks``), XLSX to a file (``xlsx_write``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts.models import User
from audit.services import parameters_digest
from catalog.models import Resource

from .selectors import RowsExport, dataset_rows_export, read_record

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


def dataset_export_open(
    *,
    user: User,
    resource: Resource,
    format: str = "csv",
    filters: Mapping[str, Any] | None = None,
) -> RowsExport:
    """Decide a download, count its rows, refuse it past the limit, audit it; return its rows.

    The ``data.download`` event is recorded here, before the first byte is written: it names
    the columns, the format, the filters' names and the keyed digest of their values
    (``audit.services.parameters_digest``), and the rows counted now, which are the most the
    download can hold (``RowsExport``). A refused download (format, filters, size) writes
    nothing and leaves no event.
    """
    if format not in FORMATS:
        raise ValidationError(_("Choose CSV or XLSX."))
    export = dataset_rows_export(user=user, resource=resource, filters=filters)
    if export.count > export_max_rows():
        raise ValidationError(_("Too many rows to download; narrow the selection."))
    read_record(
        user,
        "data.download",
        resource,
        export.access,
        export.columns,
        export.count,
        format=format,
        # The filters' names and their keyed digest, never the values: a filter on an ID
        # number would put that number in the trail that auditors read.
        filter_items=sorted(filters or {}),
        filters_digest=parameters_digest(filters) if filters else "",
    )
    return export


def csv_chunks(export: RowsExport) -> Iterator[bytes]:
    """Yield the download as CSV in UTF-8 with a byte-order mark (Excel reads it as UTF-8).

    The byte-order mark and the header come first, then one piece per chunk of rows.
    """
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(export.columns)
    yield ("\ufeff" + out.getvalue()).encode("utf-8")
    for batch in export.batches:
        out.seek(0)
        out.truncate()
        writer.writerows([[neutralise(v) for v in row] for row in batch])
        yield out.getvalue().encode("utf-8")


def xlsx_write(export: RowsExport, resource: Resource, out: IO[bytes]) -> None:
    """Write the download as an XLSX workbook to ``out`` (openpyxl's write-only mode)."""
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

    sheet.append(export.columns)
    for batch in export.batches:
        for row in batch:
            sheet.append([cell(v) for v in row])
    workbook.save(out)


def dataset_export(
    *,
    user: User,
    resource: Resource,
    out: IO[bytes],
    format: str = "csv",
    filters: Mapping[str, Any] | None = None,
) -> int:
    """Write the readable rows to ``out`` as CSV or XLSX; audit the download; return the count."""
    export = dataset_export_open(user=user, resource=resource, format=format, filters=filters)
    if format == "csv":
        for piece in csv_chunks(export):
            out.write(piece)
    else:
        xlsx_write(export, resource, out)
    return export.count
