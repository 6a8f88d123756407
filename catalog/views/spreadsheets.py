"""Excel in and out: export a catalog view, download the template, import with a preview."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from datetime import date
from types import SimpleNamespace
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import User

from .. import excel, policies, selectors
from ..forms import ImportUploadForm
from ..models import Resource
from ..selectors import browse
from ..services.imports import import_max_bytes, resources_import
from .common import current_user, maintenance_view

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SESSION_KEY = "catalog_import"


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
    """Upload a workbook and see every problem in it, or a preview of what would be imported."""
    user = current_user(request)
    if not policies.can_import_resources(user):
        raise PermissionDenied(_("Only catalog editors and the coordinator may import resources."))
    may_publish = policies.can_import_published(user)
    form = ImportUploadForm(request.POST or None, request.FILES or None, may_publish=may_publish)
    result = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"].read()
        publish = bool(form.cleaned_data.get("publish"))
        result = resources_import(actor=user, data=data, publish=publish, dry_run=True)
        if result.ok:
            # Keep the checked file until the user confirms; the session names it, so nobody
            # else can confirm someone's upload.
            _discard(request)
            name = default_storage.save(
                f"catalog-imports/{uuid.uuid4().hex}.xlsx", ContentFile(data)
            )
            request.session[SESSION_KEY] = {"name": name, "publish": publish}
    return render(
        request,
        "catalog/manage/import.html",
        {"form": form, "result": result, "max_mb": f"{_max_mb():g}"},
    )


def _max_mb() -> float:
    return import_max_bytes() / 1_048_576


def _discard(request: HttpRequest) -> None:
    pending = request.session.pop(SESSION_KEY, None)
    if pending and default_storage.exists(pending["name"]):
        default_storage.delete(pending["name"])


@require_POST
@maintenance_view
def resource_import_confirm(request: HttpRequest) -> HttpResponse:
    """Import the previewed workbook: all resources in one transaction, or none."""
    user = current_user(request)
    if not policies.can_import_resources(user):
        raise PermissionDenied(_("Only catalog editors and the coordinator may import resources."))
    pending = request.session.get(SESSION_KEY)
    if not pending or not default_storage.exists(pending["name"]):
        messages.error(request, _("Nothing to import: upload the workbook again."))
        return redirect("catalog:resource_import")
    with default_storage.open(pending["name"], "rb") as handle:
        data = handle.read()
    result = resources_import(actor=user, data=data, publish=pending["publish"])
    _discard(request)
    if not result.ok:
        # The catalog changed since the preview (e.g. a code was taken): show the problems.
        form = ImportUploadForm(may_publish=policies.can_import_published(user))
        return render(
            request,
            "catalog/manage/import.html",
            {"form": form, "result": result, "max_mb": f"{_max_mb():g}"},
        )
    messages.success(
        request, _("%(count)s resources were imported.") % {"count": len(result.created)}
    )
    return redirect(
        "catalog:resource_mine" if policies.is_catalog_editor(user) else "catalog:resource_import"
    )
