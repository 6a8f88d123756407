"""Workbooks: the evaluation report (export) and the service-item list (import)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from catalog.excel import ParsedWorkbook, Problem, _read_sheet, neutralise, parse_workbook

from .selectors.scorecards import Scorecard

# --- evaluation report -----------------------------------------------------------------------


def report_columns() -> list[tuple[str, str]]:
    """Return (attribute, header) of the report's columns, in the scorecard page's order."""
    return [
        ("rank", _("Rank")),
        ("department", _("Department")),
        ("overall", _("Overall score")),
        ("resources_published", _("Resources published")),
        ("items_published", _("Data items published")),
        ("resources_waiting", _("Awaiting review")),
        ("resources_expired", _("Past their validity date")),
        ("freshness_scope", _("Resources with an update cycle")),
        ("fresh_on_time", _("Updated on cycle")),
        ("fresh_late", _("Late (迟报)")),
        ("fresh_missing", _("Missing (漏报)")),
        ("requests_received", _("Requests received")),
        ("requests_in_time", _("Answered in time")),
        ("requests_overdue", _("Overdue")),
        ("median_answer_days", _("Median working days to answer")),
        ("approval_rate", _("Approval rate (%)")),
        ("rejections_unfounded", _("Rejections citing no legal basis")),
        ("corrections_filed", _("Corrections filed")),
        ("corrections_open", _("Corrections open")),
        ("corrections_overdue", _("Corrections overdue")),
        ("median_correction_days", _("Median working days to answer a correction")),
        ("needs_routed", _("Data needs routed to it")),
        ("needs_answered_in_time", _("Data needs answered in time")),
        ("needs_new_resource", _("Data needs answered by a new resource")),
        ("consumer_departments", _("Departments using its data")),
        ("reads", _("Reads of its data")),
        ("grants_held", _("Others' resources it uses")),
        ("own_reads", _("Its reads of others' data")),
        ("values_agreeing", _("Linked values agreeing")),
        ("values_conflicting", _("Linked values conflicting")),
        # Informational, outside the weighted ranking (docs/data-quality.md): as the data is now.
        ("quality_score", _("Data quality score")),
        # Informational too: its live interfaces answered through the broker (接口可用率).
        ("interface_calls", _("Calls of its interfaces")),
        ("interface_availability", _("Interface availability (%)")),
        ("interface_p95", _("Interface response time, p95 (ms)")),
    ]


def report_value(card: Scorecard, attribute: str) -> Any:
    """Return one cell of the report: the same value the pages show."""
    if attribute == "department":
        return card.department.name
    value = getattr(card, attribute)
    if isinstance(value, float):
        return round(value, 1)
    return value


def report_workbook(*, cards: Sequence[Scorecard], period_label: str) -> bytes:
    """Return the evaluation report for a period as an xlsx file."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("Evaluation")[:31]
    sheet.append(
        [neutralise(_("Evaluation of data sharing, %(period)s") % {"period": period_label})]
    )
    sheet["A1"].font = Font(bold=True, size=14)
    columns = report_columns()
    sheet.append([header for _key, header in columns])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for card in cards:
        sheet.append([neutralise(report_value(card, key)) for key, _header in columns])
    for index in range(1, len(columns) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 14
    sheet.column_dimensions["B"].width = 30
    sheet.freeze_panes = "C3"
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


# --- service items import -------------------------------------------------------------------

SERVICE_SHEET = "服务事项"
SERVICE_COLUMNS: list[tuple[str, str]] = [
    ("code", "事项编码"),
    ("name", "事项名称"),
    ("kind", "事项类型"),
    ("department", "实施部门"),
    ("material", "申请材料"),
    ("resource_code", "材料对应资源代码"),
    ("produces", "产生资源代码"),
]
KIND_TERMS = {"权力事项": "power", "政务服务事项": "service", "公共服务事项": "service"}


def column_letter(header: str) -> str:
    for index, (_key, text) in enumerate(SERVICE_COLUMNS, 1):
        if text == header:
            return get_column_letter(index)
    return ""


def parse_service_workbook(data: bytes, *, max_bytes: int) -> ParsedWorkbook:
    """Read the service-item sheet into rows of text, with the problems of the file itself."""
    from openpyxl import load_workbook

    # The catalog's parser checks size, zip integrity and damage; it expects its own sheets,
    # so only its file-level problems (no sheet named) are kept here.
    checked = parse_workbook(data, max_bytes=max_bytes)
    file_problems = [p for p in checked.problems if not p.sheet]
    parsed = ParsedWorkbook()
    if file_problems:
        parsed.problems = file_problems
        return parsed
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    try:
        if SERVICE_SHEET not in book.sheetnames:
            parsed.problems.append(
                Problem(
                    SERVICE_SHEET,
                    None,
                    "",
                    _("The sheet “%(sheet)s” is missing; use the template.")
                    % {"sheet": SERVICE_SHEET},
                )
            )
            return parsed
        parsed.resources = _read_sheet(
            book[SERVICE_SHEET], SERVICE_SHEET, SERVICE_COLUMNS, 5000, parsed
        )
    finally:
        book.close()
    if not parsed.problems and not parsed.resources:
        parsed.problems.append(
            Problem(SERVICE_SHEET, None, "", _("The sheet holds no service items."))
        )
    return parsed


def template_workbook() -> bytes:
    """Return an empty service-item workbook with the header row and one example row."""
    book = Workbook()
    sheet = book.active
    sheet.title = SERVICE_SHEET
    sheet.append([header for _key, header in SERVICE_COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.append(
        ["340100-XK-0001", "企业设立登记", "政务服务事项", "A市市场监督管理局", "营业执照", "", ""]
    )
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def parse_service_workbook_limited(data: bytes, *, max_bytes: int) -> ParsedWorkbook:
    """``parse_service_workbook`` in a child process under the parse limits (kernel/sandbox.py).

    A parse stopped by a limit is one problem of the file itself, as any other refusal is.
    """
    from kernel.sandbox import ParseLimitExceeded, run_limited

    try:
        return run_limited(parse_service_workbook, data, max_bytes=max_bytes)
    except ParseLimitExceeded as stopped:
        return ParsedWorkbook(problems=[Problem("", None, "", str(stopped))])
