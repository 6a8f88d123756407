"""Pages of data delivery: upload a data file, follow its import job, download, who read it."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    StreamingHttpResponse,
)
from django.http.response import HttpResponseBase
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from accounts.models import User
from audit.policies import can_see_reads_of_department
from catalog.models import DataItem, Resource
from catalog.panels import Slot
from catalog.selectors import resource_get_changeable, resource_get_visible
from kernel.db import read_only_transaction
from sharing import policies as sharing_policies
from sharing import selectors as sharing_selectors

from . import exports as data_exports
from . import policies as data_policies
from . import selectors as data_selectors
from . import services as data_services
from .forms import DataUploadForm
from .validation import DatasetInvalid, describe


@login_required
def data_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the upload form of a resource the user may change; queue the import on submit.

    404 for a resource the user may not see; 403, saying why, for one they see but may not change.
    """
    try:
        resource = resource_get_changeable(user=request.user, pk=pk)  # type: ignore[arg-type]
    except Resource.DoesNotExist:
        raise Http404 from None
    form = DataUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = data_services.import_job_create(
                actor=request.user,  # type: ignore[arg-type]
                resource=resource,
                file=form.cleaned_data["file"],
                mode=form.cleaned_data["mode"],
            )
        except DatasetInvalid as exc:
            for error in exc.report.errors:
                form.add_error("file", describe(error))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("datasets:data_job", pk=job.pk)
    versions = data_selectors.dataset_versions_of(user=request.user, resource=resource)[:5]  # type: ignore[arg-type]
    return render(
        request,
        "datasets/data/upload.html",
        {"resource": resource, "form": form, "versions": versions},
    )


@login_required
def data_job(request: HttpRequest, pk: int) -> HttpResponse:
    """Show an import job's progress and, when it failed, its error report."""
    job = data_selectors.import_job_get(user=request.user, pk=pk)  # type: ignore[arg-type]
    errors = [{**error, "text": error["message"]} for error in job.errors]
    personal = [
        {**warning, "kind_label": DataItem.Kind(warning["kind"]).label}
        for warning in job.warnings
        if warning.get("kind") in DataItem.Kind.values
    ]
    return render(
        request,
        "datasets/data/job.html",
        {
            "job": job,
            "errors": errors,
            "omitted": max(0, job.error_count - len(errors)),
            "personal": personal,
        },
    )


def _visible_resource(request: HttpRequest, pk: int) -> Resource:
    try:
        return resource_get_visible(user=request.user, pk=pk)  # type: ignore[arg-type]
    except Resource.DoesNotExist:
        raise Http404 from None


def _read_only(pieces: Iterator[bytes]) -> Iterator[bytes]:
    """Yield the pieces of a download, read in a transaction that cannot write.

    The transaction ends with the download, also when the client goes away mid-way (the
    response closes the generator).
    """
    with read_only_transaction():
        yield from pieces


@login_required
@require_GET
def data_download(request: HttpRequest, pk: int, format: str) -> HttpResponseBase:
    """Send the rows the user may read as CSV or XLSX (masked, scoped, audited).

    The download is decided, counted and audited before the first byte. CSV streams as the rows
    are read; XLSX is written whole to a temporary file first (a workbook is a zip).
    """
    resource = _visible_resource(request, pk)
    try:
        export = data_exports.dataset_export_open(
            user=request.user,  # type: ignore[arg-type]
            resource=resource,
            format=format,
        )
    except ValidationError as exc:
        return HttpResponseBadRequest(" ".join(exc.messages))
    name = (resource.code or str(resource.pk)).replace("/", "-")
    if format == "csv":
        response = StreamingHttpResponse(
            _read_only(data_exports.csv_chunks(export)), content_type="text/csv; charset=utf-8"
        )
        disposition = content_disposition_header(True, f"{name}.csv")
        response["Content-Disposition"] = disposition or "attachment"
        return response
    # FileResponse closes the file once it has been sent, so no context manager here.
    out = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
    try:
        with read_only_transaction():
            data_exports.xlsx_write(export, resource, out)
    except BaseException:
        out.close()
        raise
    out.seek(0)
    return FileResponse(out, as_attachment=True, filename=f"{name}.{format}")


@login_required
@require_GET
def data_reads(request: HttpRequest, pk: int) -> HttpResponse:
    """List who read the resource's data, for its provider department."""
    resource = _visible_resource(request, pk)
    if not can_see_reads_of_department(request.user, resource.provider_id):
        raise Http404
    events = data_selectors.data_reads_of(user=request.user, resource=resource)  # type: ignore[arg-type]
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "datasets/data/reads.html", {"resource": resource, "page_obj": page})


PREVIEW_ROWS = 10
READABLE = (
    data_selectors.DataAccess.OWN,
    data_selectors.DataAccess.UNCONDITIONAL,
    data_selectors.DataAccess.GRANTED,
)


def _basket_context(
    request: HttpRequest, user: User, resource: Resource, access: str
) -> dict[str, object]:
    """Return what the "add to basket" button needs: one POST from the resource page."""
    askable = access in (data_selectors.DataAccess.REQUEST, data_selectors.DataAccess.NOT_SHARED)
    if not askable or not sharing_policies.may_request(user):
        return {"may_add_to_basket": False}
    return {
        "may_add_to_basket": True,
        "in_basket": sharing_selectors.basket_contains(user=user, resource_id=resource.pk),
        "next": request.get_full_path(),
        # The panel is rendered without the request: the form's token is passed by hand.
        "csrf_token": get_token(request),
    }


def _quality_section(user: User, resource: Resource, decision: data_policies.DataRead) -> str:
    """Render the data quality section: the provider's users see every item's figures, other
    readers of the data the summary, everyone else nothing (``policies.quality_view``)."""
    shown = data_selectors.resource_quality_for(user=user, resource=resource, decision=decision)
    if shown is None:
        return ""
    return render_to_string(
        "datasets/panels/quality.html", {"resource": resource, "quality": shown}
    )


def resource_panels(request: HttpRequest, resource: Resource) -> dict[Slot, str]:
    """Render a resource page's data section, its data quality section and its "using the
    data" card (``catalog.panels``).

    Whether the viewer reads the data is decided once, for all three. The preview goes through
    the same selector as the API: readable items only, masked, scoped, audited.
    """
    user = request.user
    if not isinstance(user, User):
        return {}
    access, decision = data_selectors.data_access_state(user=user, resource=resource)
    preview = None
    if access in READABLE:
        try:
            preview = data_selectors.dataset_rows_for(
                user=user, resource=resource, limit=PREVIEW_ROWS
            )
        except Http404:
            # Every item the user may read lies above their clearance: the entry shows, the
            # data does not (the data selector's refusal must not hide the catalog page).
            preview = None
    context = {
        "resource": resource,
        "access": access,
        "grant": decision.grant,
        **_basket_context(request, user, resource, access),
        # "Read the data" leads to the data section, only for those who may read some of it.
        "read_url": "#data" if preview is not None else "",
        "preview": preview,
        "freshness": data_selectors.dataset_freshness(user=user, resource=resource),
        "may_upload": data_policies.can_upload_data(user, resource),
        # Who used the data: one rule with the audit trail's page (audit.policies).
        "may_see_reads": can_see_reads_of_department(user, resource.provider_id),
        # 纠错: whoever may read the data may report an error in it (sharing.policies).
        "may_file_correction": sharing_policies.can_file_correction(
            user, resource, decision=decision
        ),
    }
    # Rendered without the request: the page's context processors have run once already.
    return {
        "main": render_to_string("datasets/panels/data.html", context)
        + _quality_section(user, resource, decision),
        "aside": render_to_string("datasets/panels/access.html", context),
    }
