"""Excel in and out: export a catalog view, download the template, import with a preview."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from types import SimpleNamespace
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import User
from kernel.db import read_only_transaction

from .. import excel, policies, selectors
from ..forms import ImportUploadForm
from ..selectors import browse
from ..services.import_jobs import import_job_confirm, import_job_create, job_result, job_stalled
from ..services.imports import import_max_bytes
from .common import current_user, maintenance_view

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# While the worker has the job, its page reloads itself this often (no script needed).
REFRESH_SECONDS = 2


def export_filters(params: Mapping[str, str]) -> browse.CatalogFilters:
    """Return the browse page's filters from an export link's GET parameters.

    The browse page's own parsing, so an export holds exactly what the page lists for the same
    parameters. ``level`` may also be written ``L2``, as older export links did.
    """
    values = dict(params.items())
    level = values.get("level", "").strip().upper()
    if level.startswith("L"):
        values["level"] = level.removeprefix("L")
    return browse.CatalogFilters.from_params(values)


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _sheet_rows(
    chunks: Iterable[browse.ExportChunk], names: Mapping[str, str]
) -> Iterator[tuple[list[list[Any]], list[list[Any]]]]:
    """Yield each chunk's rows of the resource sheet and of the item sheet."""
    number = 1  # row 1 is the header; an item names its resource's row
    for chunk in chunks:
        resource_rows: list[list[Any]] = []
        item_rows: list[list[Any]] = []
        for fields in chunk.resources:
            number += 1
            resource_rows.append(
                excel.resource_cells(fields, chunk.related.get(fields["id"], ()), names)
            )
            code = fields["code"] or ""
            item_rows.extend(
                excel.item_cells(number, code, item) for item in chunk.items.get(fields["id"], ())
            )
        yield resource_rows, item_rows


def _read_only(pieces: Iterator[bytes]) -> Iterator[bytes]:
    """Yield the pieces of a download, read in a transaction that cannot write.

    The transaction ends with the download, also when the client goes away mid-way (the
    response closes the generator).
    """
    with read_only_transaction():
        yield from pieces


def _csv_stream(
    request: HttpRequest, user: User, filters: browse.CatalogFilters
) -> StreamingHttpResponse:
    """Stream the resource sheet or, with ``sheet=items``, the item sheet as CSV."""
    items = request.GET.get("sheet") == "items"
    chunks = browse.resources_export_chunks(
        user=user,
        filters=filters,
        status=request.GET.get("status", ""),
        items=items,
        related=not items,
    )
    rows = _sheet_rows(chunks, selectors.category_names())
    if items:
        columns, name = excel.ITEM_COLUMNS, "catalog-items"
        pieces = excel.csv_chunks(columns, (item_rows for _rows, item_rows in rows))
    else:
        columns, name = excel.RESOURCE_COLUMNS, "catalog"
        pieces = excel.csv_chunks(columns, (resource_rows for resource_rows, _items in rows))
    response = StreamingHttpResponse(_read_only(pieces), content_type="text/csv; charset=utf-8")
    stamp = date.today().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.csv"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _too_large(request: HttpRequest, count: int) -> HttpResponse:
    """Refuse a workbook of more resources than the limit, offering the same export as CSV."""
    params = request.GET.copy()
    params["format"] = "csv"
    params.pop("sheet", None)
    resources_csv = params.urlencode()
    params["sheet"] = "items"
    context = {
        "message": _(
            "This export holds %(count)s resources; an Excel workbook holds at most %(max)s. "
            "Download it as CSV (the resources and their data items are two files), or narrow "
            "the filters."
        )
        % {"count": count, "max": browse.export_xlsx_max()},
        "resources_csv": resources_csv,
        "items_csv": params.urlencode(),
    }
    return render(request, "catalog/manage/export_too_large.html", context, status=400)


@maintenance_view
def resource_export(request: HttpRequest) -> HttpResponseBase:
    """Download the resources of a catalog view (within visibility) as xlsx or CSV.

    CSV streams as it is read. A workbook is written whole to a temporary file first (an xlsx
    is a zip, sent once it is complete), so it is refused past ``export_xlsx_max()`` resources.
    """
    user = current_user(request)
    filters = export_filters(request.GET)
    if request.GET.get("format") == "csv":
        return _csv_stream(request, user, filters)
    status = request.GET.get("status", "")
    count = browse.resources_export_count(user=user, filters=filters, status=status)
    if count > browse.export_xlsx_max():
        return _too_large(request, count)
    chunks = browse.resources_export_chunks(user=user, filters=filters, status=status)
    rows = _sheet_rows(chunks, selectors.category_names())
    # FileResponse closes the file once it has been sent, so no context manager here.
    out = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
    try:
        with read_only_transaction():
            excel.workbook_write(out, rows)
    except BaseException:
        out.close()
        raise
    out.seek(0)
    stamp = date.today().strftime("%Y%m%d")
    response = FileResponse(
        out, as_attachment=True, filename=f"catalog-{stamp}.xlsx", content_type=XLSX
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _example(user: User) -> tuple[list[Any], list[list[Any]]]:
    """Return one filled example row and its items, in the user's department where possible."""
    department = user.department or SimpleNamespace(
        name="市市场监督管理局", uscc="", region_code=""
    )
    example = SimpleNamespace(
        name="示例：企业基本登记信息",
        format_class="database",
        format_type="PostgreSQL",
        provider=department,
        code="",
        share_type="conditional",
        share_condition="用于行政审批和监管执法",
        share_method="api",
        published_at=None,
        open_type="not_open",
        open_condition="",
        source_system=None,
        summary="本部门登记的企业名称、统一社会信用代码、登记状态等基本信息。",
        update_cycle="daily",
        related=SimpleNamespace(all=list),
        level=2,
        region_code=getattr(department, "region_code", ""),
        catalog_scope="departments",  # the default: every department sees the entry
        catalog_scope_reason="",
        valid_until=None,
        category=SimpleNamespace(code="102"),
    )
    items = [
        SimpleNamespace(
            name="统一社会信用代码",
            data_type="C",
            length=18,
            level=1,
            kind="uscc",
            is_key=True,
            description="",
        ),
        SimpleNamespace(
            name="企业名称",
            data_type="C",
            length=100,
            level=1,
            kind="none",
            is_key=False,
            description="",
        ),
        SimpleNamespace(
            name="成立日期",
            data_type="D",
            length=8,
            level=2,
            kind="none",
            is_key=False,
            description="",
        ),
    ]
    row = excel.resource_row(example, selectors.category_names())
    return row, [excel.item_row(2, "", item) for item in items]


@maintenance_view
def resource_import_template(request: HttpRequest) -> HttpResponse:
    """Download the national template with one filled example row."""
    row, items = _example(current_user(request))
    return _attachment(excel.workbook_bytes([row], items), XLSX, "catalog-template.xlsx")


@maintenance_view
def resource_import(request: HttpRequest) -> HttpResponse:
    """Upload a workbook: stored and queued for the task worker, whose result has its own page."""
    user = current_user(request)
    if not policies.can_import_resources(user):
        raise PermissionDenied(_("Only catalog editors and the coordinator may import resources."))
    may_publish = policies.can_import_published(user)
    form = ImportUploadForm(request.POST or None, request.FILES or None, may_publish=may_publish)
    if request.method == "POST" and form.is_valid():
        # Not read here: the worker parses it, in a child process under the parse limits.
        job = import_job_create(
            actor=user,
            file=form.cleaned_data["file"],
            publish=bool(form.cleaned_data.get("publish")),
        )
        return redirect("catalog:resource_import_job", pk=job.pk)
    return render(request, "catalog/manage/import.html", {"form": form, "max_mb": f"{_max_mb():g}"})


def _max_mb() -> float:
    return import_max_bytes() / 1_048_576


@maintenance_view
def resource_import_job(request: HttpRequest, pk: int) -> HttpResponse:
    """The job's page: its progress while the worker runs it (refreshed), then its result."""
    user = current_user(request)
    job = selectors.import_job_get(user=user, pk=pk)
    return render(
        request,
        "catalog/manage/import_job.html",
        {
            "job": job,
            "result": job_result(job),
            "stalled": job_stalled(job),
            "refresh_seconds": REFRESH_SECONDS,
            "mine": policies.is_catalog_editor(user),
        },
    )


@require_POST
@maintenance_view
def resource_import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue the import of the previewed workbook: all resources in one transaction, or none."""
    user = current_user(request)
    job = selectors.import_job_get(user=user, pk=pk)
    try:
        import_job_confirm(actor=user, job=job)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("catalog:resource_import")
    return redirect("catalog:resource_import_job", pk=job.pk)
