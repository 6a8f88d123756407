"""Excel in and out: export a catalog view, download the template, import with a preview."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from types import SimpleNamespace
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import User

from .. import excel, policies, selectors
from ..forms import ImportUploadForm
from ..models import Resource
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


EXPORT_CHUNK = 2000


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _rows(resources: Iterable[Resource]) -> tuple[list[list[Any]], list[list[Any]]]:
    names = selectors.category_names()
    resource_rows: list[list[Any]] = []
    item_rows: list[list[Any]] = []
    for number, resource in enumerate(resources, start=2):  # row 1 is the header
        resource_rows.append(excel.resource_row(resource, names))
        item_rows.extend(
            excel.item_row(number, resource.code or "", i) for i in resource.items.all()
        )
    return resource_rows, item_rows


@maintenance_view
def resource_export(request: HttpRequest) -> HttpResponse:
    """Download the resources of a catalog view (within visibility) as xlsx or CSV."""
    user = current_user(request)
    # In chunks: each chunk's items and related resources are prefetched with an id list of its
    # own, which the whole city's export would push past the driver's 65,535-parameter limit.
    resources = browse.resources_export(
        user=user, filters=export_filters(request.GET), status=request.GET.get("status", "")
    )
    resource_rows, item_rows = _rows(resources.iterator(chunk_size=EXPORT_CHUNK))
    stamp = date.today().strftime("%Y%m%d")
    if request.GET.get("format") == "csv":
        if request.GET.get("sheet") == "items":
            content = excel.csv_bytes(excel.ITEM_COLUMNS, item_rows)
            return _attachment(content, "text/csv; charset=utf-8", f"catalog-items-{stamp}.csv")
        content = excel.csv_bytes(excel.RESOURCE_COLUMNS, resource_rows)
        return _attachment(content, "text/csv; charset=utf-8", f"catalog-{stamp}.csv")
    content = excel.workbook_bytes(resource_rows, item_rows)
    return _attachment(content, XLSX, f"catalog-{stamp}.xlsx")


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
