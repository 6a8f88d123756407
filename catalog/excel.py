"""The catalog in the national Excel template: writing xlsx/CSV and reading xlsx, as pure functions.

Nothing here touches the database. Export code turns already-selected resources into rows;
import code turns an uploaded file into rows of text plus the problems found in the file itself
(size, format, headers, vocabulary). Lookups against the catalog (departments, categories,
systems, codes) and the writes belong to ``catalog.services.imports``.

Column order follows the national template (DOMAIN.md); the portal's own columns (level, open
condition, region code) come after 涉密属性 so a file in the plain template still lines up.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, Any

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from kernel.files import ArchiveLimits, UnsafeFile, check_workbook_bytes

from .models import DataItem

RESOURCE_SHEET = "信息资源"
ITEM_SHEET = "信息项"

# (key, header) in the national template's order, then the portal's additions.
RESOURCE_COLUMNS: list[tuple[str, str]] = [
    ("category1", "分类1"),
    ("category2", "分类2"),
    ("category3", "分类3"),
    ("category4", "分类4"),
    ("name", "名称"),
    ("format", "格式"),
    ("provider", "提供方"),
    ("provider_code", "提供方代码"),
    ("code", "资源代码"),
    ("share_type", "共享类型"),
    ("share_condition", "共享条件"),
    ("share_method", "共享方式"),
    ("published_at", "发布日期"),
    ("open", "是否向社会开放"),
    ("open_type", "开放类型"),
    ("system", "所属系统"),
    ("summary", "摘要"),
    ("update_cycle", "更新周期"),
    ("related", "关联资源代码"),
    ("secret", "涉密属性"),
    ("level", "分级"),
    ("open_condition", "开放条件"),
    ("region_code", "行政区划代码"),
    # 目录共享范围 and its reason: last, and optional in an upload, so files written before
    # they existed still import (every entry then keeps the default, seen by every department).
    ("catalog_scope", "目录共享范围"),
    ("catalog_scope_reason", "目录范围理由"),
    # 有效期 (YYYY-MM-DD, empty for none): after the scope, optional in an upload likewise.
    ("valid_until", "有效期"),
]
# How many of the resource sheet's last columns an uploaded file may leave out: the validity
# date alone, or it and the two scope columns (a file written before either existed).
OPTIONAL_RESOURCE_COLUMNS = (1, 3)
ITEM_COLUMNS: list[tuple[str, str]] = [
    ("row", "资源行号"),
    ("code", "资源代码"),
    ("name", "信息项名称"),
    ("data_type", "数据类型"),
    ("length", "数据长度"),
    ("level", "分级"),
    ("kind", "个人信息类型"),
    ("is_key", "是否关键项"),
    ("description", "说明"),
    # 代码集: the code of the item's code list (e.g. GB/T 2261.1-2003), empty for none. Last,
    # and optional in an upload, so files written before it existed still import.
    ("code_list", "代码集"),
]
OPTIONAL_ITEM_COLUMNS = (1,)

# The template's vocabulary (Chinese terms) for each choice field, keyed by the stored value.
FORMAT_CLASS_TERMS = {
    "file": "电子文件",
    "sheet": "电子表格",
    "database": "数据库",
    "image": "图形图像",
    "media": "流媒体",
    "selfdesc": "自描述格式",
    "service": "服务接口",
    "other": "其他",
}
SHARE_TYPE_TERMS = {"unconditional": "无条件共享", "conditional": "有条件共享", "none": "不予共享"}
SHARE_METHOD_TERMS = {
    "api": "共享平台-接口",
    "file": "共享平台-文件",
    "database": "共享平台-数据库",
    "email": "邮件",
    "media": "介质",
}
OPEN_TYPE_TERMS = {
    "unconditional": "无条件开放",
    "conditional": "有条件开放",
    "not_open": "不予开放",
}
UPDATE_CYCLE_TERMS = {
    "realtime": "实时",
    "daily": "每日",
    "weekly": "每周",
    "dekad": "每旬",
    "monthly": "每月",
    "quarterly": "每季度",
    "semiannual": "每半年",
    "yearly": "每年",
    "irregular": "不定期",
}
CATALOG_SCOPE_TERMS = {
    "departments": "各部门可见",
    "cleared": "分级授权可见",
    "provider": "仅提供方可见",
}
KIND_TERMS = {
    "none": "无",
    "id_number": "公民身份号码",
    "mobile": "手机号码",
    "name": "姓名",
    "uscc": "统一社会信用代码",
    "bank_card": "银行卡号",
    "address": "住址",
}
DATA_TYPES = ("C", "N", "Y", "D", "T", "L", "M", "G", "B", "I", "F")
YES, NO = "是", "否"
NOT_SECRET, SECRET = "非涉密", "涉密"

# A spreadsheet treats text starting with these as a formula (CSV/Formula injection).
_FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """Return the value, with text that a spreadsheet would run as a formula made inert."""
    if isinstance(value, str) and value.startswith(_FORMULA_TRIGGERS):
        return "'" + value
    return value


def _restore(value: str) -> str:
    """Undo ``neutralise`` on import, so an exported file re-imports unchanged."""
    if value.startswith("'") and value[1:].startswith(_FORMULA_TRIGGERS):
        return value[1:]
    return value


# --- export -------------------------------------------------------------------------------------


def category_columns(code: str, names: Mapping[str, str]) -> list[str]:
    """Return 分类1–4 for a category code: each ancestor as “code name”, padded to four."""
    cuts = [c for c in (1, 3, 6, 9) if c <= len(code)]
    cells = [f"{code[:c]} {names.get(code[:c], '')}".strip() for c in cuts]
    return cells + [""] * (4 - len(cells))


def system_cell(name: str, registration_code: str) -> str:
    """Return the 所属系统 cell: the system's name with its registration code in brackets."""
    return f"{name}（{registration_code}）" if registration_code else name


# The fields a resource's row is made of, as ``values()`` reads them (export in chunks).
RESOURCE_FIELDS = (
    "id",
    "name",
    "format_class",
    "format_type",
    "provider__name",
    "provider__uscc",
    "code",
    "share_type",
    "share_condition",
    "share_method",
    "published_at",
    "open_type",
    "source_system__name",
    "source_system__code",
    "source_system__legacy_code",
    "summary",
    "update_cycle",
    "level",
    "open_condition",
    "region_code",
    "catalog_scope",
    "catalog_scope_reason",
    "valid_until",
    "category__code",
)
# The fields a data item's row is made of, likewise.
ITEM_FIELDS = (
    "resource_id",
    *(f"{name}__code" if name == "code_list" else name for name in DataItem.EDITABLE_FIELDS),
)


def resource_cells(
    fields: Mapping[str, Any], related: Iterable[str | None], category_names: Mapping[str, str]
) -> list[Any]:
    """Return one resource as a row of the resource sheet, from its ``RESOURCE_FIELDS``.

    ``related`` are the codes of the related resources the reader may see.
    """
    published = fields["published_at"]
    valid_until = fields["valid_until"]
    system = fields["source_system__name"]
    format_class, format_type = fields["format_class"], fields["format_type"]
    values: dict[str, Any] = {
        "name": fields["name"],
        "format": FORMAT_CLASS_TERMS.get(format_class, format_class)
        + (f"/{format_type}" if format_type else ""),
        "provider": fields["provider__name"],
        "provider_code": fields["provider__uscc"],
        "code": fields["code"] or "",
        "share_type": SHARE_TYPE_TERMS.get(fields["share_type"], fields["share_type"]),
        "share_condition": fields["share_condition"],
        "share_method": SHARE_METHOD_TERMS.get(fields["share_method"], fields["share_method"]),
        "published_at": published.date().isoformat() if published else "",
        "open": NO if fields["open_type"] == "not_open" else YES,
        "open_type": OPEN_TYPE_TERMS.get(fields["open_type"], fields["open_type"]),
        # The registration code: the system's assigned code, else its legacy code.
        "system": system_cell(
            system, fields["source_system__code"] or fields["source_system__legacy_code"] or ""
        )
        if system is not None
        else "",
        "summary": fields["summary"],
        "update_cycle": UPDATE_CYCLE_TERMS.get(fields["update_cycle"], fields["update_cycle"]),
        "related": ";".join(sorted(code for code in related if code)),
        "secret": NOT_SECRET,
        "level": f"L{fields['level']}",
        "open_condition": fields["open_condition"],
        "region_code": fields["region_code"],
        "catalog_scope": CATALOG_SCOPE_TERMS.get(fields["catalog_scope"], fields["catalog_scope"]),
        "catalog_scope_reason": fields["catalog_scope_reason"],
        "valid_until": valid_until.isoformat() if valid_until else "",
    }
    for index, cell in enumerate(category_columns(fields["category__code"], category_names), 1):
        values[f"category{index}"] = cell
    return [neutralise(values[key]) for key, _header in RESOURCE_COLUMNS]


def resource_row(resource: Any, category_names: Mapping[str, str]) -> list[Any]:
    """Return one resource as a row of the resource sheet.

    ``resource`` has ``category``, ``provider``, ``source_system`` loaded and ``related``
    prefetched; nothing is queried here beyond those.
    """
    system = resource.source_system
    fields = {
        name: getattr(resource, name)
        for name in RESOURCE_FIELDS
        if "__" not in name and name != "id"
    }
    fields |= {
        "provider__name": resource.provider.name,
        "provider__uscc": resource.provider.uscc,
        "source_system__name": system.name if system else None,
        "source_system__code": system.registration_code if system else None,
        "source_system__legacy_code": None,
        "category__code": resource.category.code,
    }
    return resource_cells(fields, (r.code for r in resource.related.all()), category_names)


def item_cells(row_number: int, code: str, fields: Mapping[str, Any]) -> list[Any]:
    """Return one data item as a row of the item sheet, from its ``ITEM_FIELDS``."""
    values = {
        "row": row_number,
        "code": code,
        "name": fields["name"],
        "data_type": fields["data_type"],
        "length": fields["length"],
        "level": f"L{fields['level']}",
        "kind": KIND_TERMS.get(fields["kind"], fields["kind"]),
        "is_key": YES if fields["is_key"] else NO,
        "description": fields["description"],
        "code_list": fields["code_list__code"] or "",
    }
    return [neutralise(values[key]) for key, _header in ITEM_COLUMNS]


def item_row(row_number: int, code: str, item: Any) -> list[Any]:
    """Return one data item as a row of the item sheet."""
    code_list = getattr(item, "code_list", None)
    fields = {name: getattr(item, name) for name in ITEM_FIELDS[1:-1]}
    fields["code_list__code"] = code_list.code if code_list else ""
    return item_cells(row_number, code, fields)


Rows = Iterable[list[Any]]


def workbook_write(out: IO[bytes], chunks: Iterable[tuple[Rows, Rows]]) -> None:
    """Write an xlsx with the resource sheet and the item sheet to ``out``, in one pass.

    ``chunks`` gives resource rows and their item rows, a slice at a time; both sheets are
    appended to as they come (openpyxl's write-only mode keeps no rows in memory). Headers are
    bold and frozen, the columns as wide as their headers need.
    """
    book = Workbook(write_only=True)
    bold = Font(bold=True)
    sheets = []
    for title, columns in ((RESOURCE_SHEET, RESOURCE_COLUMNS), (ITEM_SHEET, ITEM_COLUMNS)):
        sheet = book.create_sheet(title)
        # Write-only: the sheet's layout must be set before its first row.
        sheet.freeze_panes = "A2"
        for index, (_key, header) in enumerate(columns, 1):
            sheet.column_dimensions[get_column_letter(index)].width = max(10, len(header) * 3)
        header_cells = []
        for _key, header in columns:
            cell = WriteOnlyCell(sheet, value=header)
            cell.font = bold
            header_cells.append(cell)
        sheet.append(header_cells)
        sheets.append(sheet)
    resource_sheet, item_sheet = sheets
    for resource_rows, item_rows in chunks:
        # Every text cell is written as text: openpyxl would store "=…" as a formula, which
        # ``neutralise`` already prevented; numbers stay numbers.
        for row in resource_rows:
            resource_sheet.append(row)
        for row in item_rows:
            item_sheet.append(row)
    book.save(out)


def workbook_bytes(resource_rows: Rows, item_rows: Rows) -> bytes:
    """Return an xlsx with the resource sheet and the item sheet, headers bold and frozen."""
    out = io.BytesIO()
    workbook_write(out, [(resource_rows, item_rows)])
    return out.getvalue()


def csv_chunks(columns: Sequence[tuple[str, str]], chunks: Iterable[Rows]) -> Iterator[bytes]:
    """Yield a CSV in UTF-8 with a byte-order mark (so Excel opens Chinese text correctly).

    The byte-order mark and the header come first, before ``chunks`` is read; then one piece
    of encoded text per chunk of rows.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([header for _key, header in columns])
    yield ("\ufeff" + out.getvalue()).encode("utf-8")
    for rows in chunks:
        out.seek(0)
        out.truncate()
        for row in rows:
            writer.writerow([neutralise(v) if isinstance(v, str) else v for v in row])
        yield out.getvalue().encode("utf-8")


def csv_bytes(columns: Sequence[tuple[str, str]], rows: Rows) -> bytes:
    """Return a CSV in UTF-8 with a byte-order mark, so Excel opens Chinese text correctly."""
    return b"".join(csv_chunks(columns, [rows]))


# --- import -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an uploaded file: where (sheet, row, column) and what."""

    sheet: str
    row: int | None
    column: str  # the header, e.g. "共享类型"; "" for the whole row or file
    message: str

    @property
    def column_letter(self) -> str:
        columns = RESOURCE_COLUMNS if self.sheet == RESOURCE_SHEET else ITEM_COLUMNS
        for index, (_key, header) in enumerate(columns, 1):
            if header == self.column:
                return get_column_letter(index)
        return ""


@dataclass
class SheetRow:
    """The text of one non-empty row, by column key, with its row number in the sheet."""

    number: int
    cells: dict[str, str]

    def get(self, key: str) -> str:
        return self.cells.get(key, "")


@dataclass
class ParsedWorkbook:
    resources: list[SheetRow] = field(default_factory=list)
    items: list[SheetRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return _restore(str(value).strip())


def _read_sheet(
    sheet: Any,
    title: str,
    columns: list[tuple[str, str]],
    max_rows: int,
    parsed: ParsedWorkbook,
    optional: Sequence[int] = (),
) -> list[SheetRow]:
    rows = sheet.iter_rows()
    header_cells = next(rows, ())
    header = [_cell_text(c.value) for c in header_cells]
    expected = [h for _k, h in columns]
    # Trailing empty header cells are ignored; the named columns must be exactly the template's.
    while header and not header[-1]:
        header.pop()
    if header != expected and not any(header == expected[:-cut] for cut in optional):
        missing = [h for h in expected if h not in header]
        parsed.problems.append(
            Problem(
                title,
                1,
                "",
                _(
                    "The header row does not match the template. Expected the columns %(expected)s"
                    "%(missing)s. Download the template and keep its header row."
                )
                % {
                    "expected": "、".join(expected),
                    "missing": (_("; missing: %(columns)s") % {"columns": "、".join(missing)})
                    if missing
                    else "",
                },
            )
        )
        return []
    result: list[SheetRow] = []
    for number, cells in enumerate(rows, start=2):
        texts: dict[str, str] = {}
        for (key, header_text), cell in zip(columns, cells, strict=False):
            if getattr(cell, "data_type", None) == "f":
                parsed.problems.append(
                    Problem(
                        title, number, header_text, _("Formulas are not accepted; enter the value.")
                    )
                )
                continue
            texts[key] = _cell_text(cell.value)
        if not any(texts.values()):
            continue
        if len(result) >= max_rows:
            parsed.problems.append(
                Problem(
                    title,
                    number,
                    "",
                    _("The sheet has more than %(max)s rows; split the file.") % {"max": max_rows},
                )
            )
            break
        result.append(SheetRow(number, texts))
    return result


def parse_workbook(data: bytes, *, max_bytes: int, max_rows: int = 5000) -> ParsedWorkbook:
    """Read an uploaded xlsx into rows of text, with every problem of the file itself."""
    parsed = ParsedWorkbook()

    def fail(message: str) -> ParsedWorkbook:
        parsed.problems.append(Problem("", None, "", message))
        return parsed

    if len(data) > max_bytes:
        return fail(
            _("The file is larger than %(limit)s MB. Split it into smaller files.")
            % {"limit": f"{max_bytes / 1_048_576:g}"}
        )
    if not data.startswith(b"PK\x03\x04"):
        return fail(_("This is not an Excel workbook (.xlsx). Save the file as .xlsx and retry."))
    try:
        # A small file that inflates enormously (zip bomb) is refused before parsing.
        check_workbook_bytes(data, ArchiveLimits.from_settings(total_bytes=40 * max_bytes))
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if archive.testzip() is not None:
                raise zipfile.BadZipFile
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except UnsafeFile as refused:
        return fail(str(refused))
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError):
        return fail(
            _(
                "The file is damaged or incomplete (perhaps the upload was cut off). "
                "Open it in Excel, save it again as .xlsx and retry."
            )
        )
    try:
        for title in (RESOURCE_SHEET, ITEM_SHEET):
            if title not in book.sheetnames:
                parsed.problems.append(
                    Problem(
                        title,
                        None,
                        "",
                        _("The sheet “%(sheet)s” is missing; use the template's two sheets.")
                        % {"sheet": title},
                    )
                )
        if parsed.problems:
            return parsed
        parsed.resources = _read_sheet(
            book[RESOURCE_SHEET],
            RESOURCE_SHEET,
            RESOURCE_COLUMNS,
            max_rows,
            parsed,
            OPTIONAL_RESOURCE_COLUMNS,
        )
        parsed.items = _read_sheet(
            book[ITEM_SHEET],
            ITEM_SHEET,
            ITEM_COLUMNS,
            max_rows * 50,
            parsed,
            OPTIONAL_ITEM_COLUMNS,
        )
    finally:
        book.close()
    if not parsed.problems and not parsed.resources:
        return fail(_("The workbook holds no resources."))
    return parsed


def term_value(text: str, terms: Mapping[str, str], english: Mapping[str, str]) -> str | None:
    """Return the stored value for a cell written as a template term, a stored value or English."""
    text = text.strip()
    for value, term in terms.items():
        if text in (term, value) or text.lower() == str(english.get(value, "")).lower():
            return value
    return None


def level_value(text: str) -> int | None:
    """Return a level from “L3”, “3” or “l3”; None if it is not one of 1–4."""
    text = text.strip().upper().removeprefix("L")
    return int(text) if text in ("1", "2", "3", "4") else None


def yes_no(text: str) -> bool | None:
    """Return a yes/no cell's value; None if it is neither."""
    text = text.strip().lower()
    if text in (YES, "yes", "y", "true", "1", "√"):
        return True
    if text in (NO, "no", "n", "false", "0", ""):
        return False
    return None
