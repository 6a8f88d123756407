"""Read a year's schedule from an uploaded CSV or XLSX file, and write the template.

Columns (the template's header row): 开始日期 (start), 结束日期 (end, empty for one day),
类型 (放假 or 调休上班; ``holiday`` and ``workday`` are accepted too) and 名称 (name). The file is
small by nature (a year has about 30 such rows), so anything large or strange is refused before
it is parsed.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime

from django.utils.translation import gettext as _

from kernel.files import ArchiveLimits, UnsafeFile, check_workbook_bytes

MAX_FILE_BYTES = 256 * 1024
MAX_INFLATED_BYTES = 8 * 1024 * 1024
MAX_ROWS = 400

HEADERS = ("开始日期", "结束日期", "类型", "名称")
HOLIDAY_WORDS = frozenset({"放假", "休假", "节假日", "holiday"})
WORKDAY_WORDS = frozenset({"调休上班", "上班", "补班", "调休", "workday"})


class ScheduleFileError(ValueError):
    """The file cannot be read as a schedule; the message says why, in the user's language."""


@dataclass(frozen=True)
class FileRow:
    line: int
    start: date
    end: date
    kind: str
    name: str


def _date(value: object, line: int, column: str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value or "").strip().replace("/", "-").replace(".", "-")
    try:
        return date.fromisoformat("-".join(part.zfill(2) for part in text.split("-")))
    except ValueError:
        raise ScheduleFileError(
            _("Row %(line)s: “%(value)s” in column %(column)s is not a date (YYYY-MM-DD).")
            % {"line": line, "value": text or _("(empty)"), "column": column}
        ) from None


def _rows_from_cells(cells: list[list[object]]) -> list[FileRow]:
    if not cells:
        raise ScheduleFileError(_("The file is empty."))
    header = [str(c or "").strip() for c in cells[0]][:4]
    if header[:1] != [HEADERS[0]] and header[:1] != ["start"]:
        raise ScheduleFileError(
            _("The first row must be the template's header: %(header)s.")
            % {"header": "，".join(HEADERS)}
        )
    rows: list[FileRow] = []
    for line, raw in enumerate(cells[1:], start=2):
        values = [*list(raw), None, None, None, None][:4]
        if all(str(v or "").strip() == "" for v in values):
            continue
        if len(rows) >= MAX_ROWS:
            raise ScheduleFileError(
                _("The file has more than %(limit)s rows; a year's schedule has far fewer.")
                % {"limit": MAX_ROWS}
            )
        start = _date(values[0], line, HEADERS[0])
        end = _date(values[1], line, HEADERS[1]) if str(values[1] or "").strip() else start
        word = str(values[2] or "").strip().lower()
        if word in HOLIDAY_WORDS:
            kind = "holiday"
        elif word in WORKDAY_WORDS:
            kind = "workday"
        else:
            raise ScheduleFileError(
                _("Row %(line)s: the type must be 放假 or 调休上班, not “%(value)s”.")
                % {"line": line, "value": word or _("(empty)")}
            )
        rows.append(FileRow(line, start, end, kind, str(values[3] or "").strip()))
    if not rows:
        raise ScheduleFileError(_("The file holds no days."))
    return rows


def _csv_cells(data: bytes) -> list[list[object]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes any byte string
        raise ScheduleFileError(_("The file is not text in UTF-8 or GB18030."))
    if "\x00" in text:
        raise ScheduleFileError(_("This is not a CSV file."))
    return [list(row) for row in csv.reader(io.StringIO(text))]


def _xlsx_cells(data: bytes) -> list[list[object]]:
    from openpyxl import load_workbook

    try:
        # A small file that inflates enormously (zip bomb) is refused before parsing.
        try:
            check_workbook_bytes(data, ArchiveLimits.from_settings(total_bytes=MAX_INFLATED_BYTES))
        except UnsafeFile as refused:
            raise ScheduleFileError(str(refused)) from None
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet = book.worksheets[0]
            cells: list[list[object]] = []
            for row in sheet.iter_rows(values_only=True, max_col=4, max_row=MAX_ROWS + 2):
                cells.append(list(row))
            return cells
        finally:
            book.close()
    except ScheduleFileError:
        raise
    except Exception:  # zipfile, XML and openpyxl errors all mean the same to the user
        raise ScheduleFileError(
            _("The workbook is damaged or not an .xlsx file. Save it again as .xlsx and retry.")
        ) from None


def read_schedule_file(data: bytes, filename: str) -> list[FileRow]:
    """Return the rows of an uploaded schedule, or raise ``ScheduleFileError``."""
    if len(data) > MAX_FILE_BYTES:
        raise ScheduleFileError(
            _("The file is larger than %(limit)s KB; a year's schedule is far smaller.")
            % {"limit": MAX_FILE_BYTES // 1024}
        )
    name = filename.lower()
    if name.endswith(".xlsx"):
        if not data.startswith(b"PK\x03\x04"):
            raise ScheduleFileError(_("This is not an Excel workbook (.xlsx)."))
        return _rows_from_cells(_xlsx_cells(data))
    if name.endswith(".csv"):
        return _rows_from_cells(_csv_cells(data))
    raise ScheduleFileError(_("Upload a .csv or .xlsx file made from the template."))


def template_rows(year: int) -> list[tuple[str, str, str, str]]:
    """Return example rows for the template (the last year's pattern, to be edited)."""
    return [
        (f"{year}-01-01", "", "放假", "元旦"),
        (f"{year}-02-06", f"{year}-02-12", "放假", "春节"),
        (f"{year}-02-14", "", "调休上班", "春节"),
    ]


def template_csv(year: int) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    writer.writerows(template_rows(year))
    return buffer.getvalue().encode("utf-8-sig")


def template_xlsx(year: int) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = str(year)
    sheet.append(HEADERS)
    for row in template_rows(year):
        sheet.append(list(row))
    for column in "ABCD":
        sheet.column_dimensions[column].width = 14
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
