"""Read a tabular file (CSV in UTF-8 or GB18030, or XLSX) as a header and numbered rows."""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime as dt
import io
import json
import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any, cast

from django.conf import settings
from django.utils.translation import gettext as _

from kernel.files import UnsafeFile, check_text_lines, check_workbook_archive
from kernel.sandbox import ParseLimitExceeded, run_limited

# Tried in order: UTF-8 (a BOM is dropped) covers what current systems export; GB18030 is a
# superset of GBK and GB2312, which older Excel versions on Chinese Windows still write.
CSV_ENCODINGS = ("utf-8-sig", "gb18030")
_CHUNK = 1 << 20


class FileUnreadable(Exception):
    """The file cannot be read at all; the message says why, for the person who uploaded it."""


@dataclass
class Table:
    header: list[str]
    # (row number as in the file, header = 1; the cell values)
    rows: Iterator[tuple[int, list[Any]]]
    encoding: str = ""


def _check_columns(count: int) -> None:
    limit = int(settings.PORTAL_DATA_MAX_COLUMNS)
    if count > limit:
        raise FileUnreadable(
            _("A row has %(count)s columns; at most %(limit)s are accepted.")
            % {"count": count, "limit": limit}
        )


def _rewind(file: IO[bytes]) -> None:
    file.seek(0)


def detect_encoding(file: IO[bytes]) -> str:
    """Return the first encoding that decodes the whole file, or raise FileUnreadable."""
    for encoding in CSV_ENCODINGS:
        _rewind(file)
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            while chunk := file.read(_CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        _rewind(file)
        return encoding
    raise FileUnreadable(
        _("The file is neither UTF-8 nor GBK/GB18030 text; save it as CSV UTF-8 and try again.")
    )


def _csv_records(raw: IO[bytes], encoding: str) -> Iterator[Any]:
    """Yield the header, then (row number, cells) of each record of the CSV file."""
    # TextIOWrapper decodes in large chunks in C. It is detached, not closed, when reading ends
    # or the generator is dropped: closing it would close the caller's file.
    text = io.TextIOWrapper(cast(IO[bytes], raw), encoding=encoding, newline="")
    try:
        reader = csv.reader(text)
        yield next(reader, [])
        limit = int(settings.PORTAL_DATA_MAX_COLUMNS)  # read once: a setting costs a lookup
        # Numbered by record, as a spreadsheet shows rows: a quoted cell spanning lines is one row.
        for number, cells in enumerate(reader, start=2):
            if not cells or (len(cells) == 1 and not cells[0].strip()):
                continue  # blank lines, including the usual one at the end of the file
            if len(cells) > limit:
                _check_columns(len(cells))
            yield number, cells
    except csv.Error as exc:
        raise FileUnreadable(_("The CSV file is malformed: %(error)s") % {"error": exc}) from exc
    finally:
        with contextlib.suppress(ValueError):  # the caller closed the file first
            text.detach()


def _raw(file: IO[bytes]) -> IO[bytes]:
    # Django's File wrappers split lines in Python; the file object underneath does it in C.
    return getattr(file, "file", None) or file


def read_csv(file: IO[bytes]) -> Table:
    """Return the table of a CSV file, decoding it as UTF-8 or GB18030."""
    raw = _raw(file)
    try:
        check_text_lines(raw)  # before decoding: a 100 MB line is refused unread
    except UnsafeFile as refused:
        raise FileUnreadable(str(refused)) from None
    encoding = detect_encoding(file)
    raw.seek(0)
    records = _csv_records(raw, encoding)
    header = next(records)
    return Table(header=[h.strip() for h in header], rows=records, encoding=encoding)


def _xlsx_rows(sheet_rows: Iterator[tuple[Any, ...]]) -> Iterator[tuple[int, list[Any]]]:
    try:
        for number, cells in enumerate(sheet_rows, start=2):
            if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
                continue
            yield number, list(cells)
    except Exception as exc:
        # Read-only mode parses the sheet lazily, so a truncated file can fail half-way, with a
        # zipfile, zlib or XML parser error: to the user they all mean the same thing.
        raise FileUnreadable(_truncated_message()) from exc


def _truncated_message() -> str:
    return _("The Excel file is damaged or incomplete (it may have been cut off during upload).")


def read_xlsx(file: IO[bytes]) -> Table:
    """Return the table of the first sheet of an XLSX workbook."""
    from openpyxl import load_workbook

    try:
        check_workbook_archive(file)  # rewinds
    except UnsafeFile as refused:
        raise FileUnreadable(str(refused)) from None
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header_cells = next(rows, ())
    except Exception as exc:  # zipfile, XML and openpyxl errors all mean the same to the user
        raise FileUnreadable(_truncated_message()) from exc
    header = ["" if c is None else str(c).strip() for c in header_cells]
    while header and header[-1] == "":
        header.pop()  # formatted but empty columns to the right
    return Table(header=header, rows=_xlsx_rows(rows))


def read_table(file: IO[bytes], name: str) -> Table:
    """Return the table of an uploaded file, by its extension (.csv or .xlsx)."""
    lowered = name.lower()
    if lowered.endswith(".xlsx"):
        return read_xlsx(file)
    if lowered.endswith(".csv") or lowered.endswith(".txt"):
        return read_csv(file)
    raise FileUnreadable(_("Upload a CSV or XLSX file."))


# --- parsing in a child process under limits (kernel/sandbox.py) ------------------------------
#
# The task worker does not parse an upload itself: a child process under the CPU and memory
# limits reads it once and writes its rows to a temporary file, one JSON array per line, which
# the worker's validation and storing passes then read (JSON, not pickle: the file is data from
# a process that parsed a stranger's upload). Cells keep the types the readers give them.


def _encode_cell(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return {"$": "datetime", "v": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$": "date", "v": value.isoformat()}
    if isinstance(value, dt.time):
        return {"$": "time", "v": value.isoformat()}
    if isinstance(value, dt.timedelta):
        return {"$": "timedelta", "v": value.total_seconds()}
    if isinstance(value, Decimal):
        return {"$": "decimal", "v": str(value)}
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


_DECODERS: dict[str, Callable[[Any], Any]] = {
    "datetime": dt.datetime.fromisoformat,
    "date": dt.date.fromisoformat,
    "time": dt.time.fromisoformat,
    "timedelta": lambda seconds: dt.timedelta(seconds=seconds),
    "decimal": Decimal,
}


def _decode_cell(value: Any) -> Any:
    if isinstance(value, dict):
        return _DECODERS[value["$"]](value["v"])
    return value


def write_rows(file: IO[bytes], name: str, out_path: str) -> tuple[list[str], str]:
    """Parse the file and write its rows to ``out_path``; return the header and encoding.

    Run in the parsing child. A row that cannot be read ends the rows with an error line, so
    the reader raises ``FileUnreadable`` at the same row as reading the file itself would.
    """
    table = read_table(file, name)
    with open(out_path, "w", encoding="utf-8") as out:
        try:
            for number, cells in table.rows:
                out.write(json.dumps([number, [_encode_cell(c) for c in cells]]))
                out.write("\n")
        except FileUnreadable as exc:
            out.write(json.dumps({"error": str(exc)}))
            out.write("\n")
    return table.header, table.encoding


def _written_rows(path: str) -> Iterator[tuple[int, list[Any]]]:
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            if isinstance(record, dict):
                raise FileUnreadable(record["error"])
            number, cells = record
            yield number, [_decode_cell(c) for c in cells]


@dataclass(frozen=True)
class ParsedFile:
    """An upload parsed by the child: its header, and its rows in a temporary file."""

    header: list[str]
    encoding: str
    path: str

    def table(self) -> Table:
        """Return the table; each call reads the rows afresh (validation, then storing)."""
        return Table(
            header=list(self.header), rows=_written_rows(self.path), encoding=self.encoding
        )


@contextlib.contextmanager
def parse_limited(
    file: IO[bytes], name: str, *, heartbeat: Callable[[], None] | None = None
) -> Iterator[ParsedFile]:
    """Parse the upload in a child under the parse limits; remove the rows' file afterwards.

    Raises ``FileUnreadable`` if the file cannot be read, or if the child was stopped by a limit
    (the message says which).
    """
    descriptor, path = tempfile.mkstemp(prefix="portal-parse-", suffix=".jsonl")
    os.close(descriptor)
    try:
        try:
            header, encoding = run_limited(write_rows, file, name, path, heartbeat=heartbeat)
        except ParseLimitExceeded as stopped:
            raise FileUnreadable(str(stopped)) from None
        yield ParsedFile(header=header, encoding=encoding, path=path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)
