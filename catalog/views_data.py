"""Pages of data delivery: upload a data file, follow its import job, download, who read it."""

from __future__ import annotations

import tempfile

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
)
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from audit.policies import can_see_reads_of_department

from .datasets import exports as data_exports
from .datasets import selectors as data_selectors
from .datasets import services as data_services
from .datasets.validation import DatasetInvalid, describe
from .forms_data import DataUploadForm
from .models import Resource
from .selectors import resource_get_changeable, resource_get_visible


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
            return redirect("catalog:data_job", pk=job.pk)
    versions = data_selectors.dataset_versions_of(user=request.user, resource=resource)[:5]  # type: ignore[arg-type]
    return render(
        request,
        "catalog/data/upload.html",
        {"resource": resource, "form": form, "versions": versions},
    )


@login_required
def data_job(request: HttpRequest, pk: int) -> HttpResponse:
    """Show an import job's progress and, when it failed, its error report."""
    job = data_selectors.import_job_get(user=request.user, pk=pk)  # type: ignore[arg-type]
    errors = [{**error, "text": error["message"]} for error in job.errors]
    return render(
        request,
        "catalog/data/job.html",
        {"job": job, "errors": errors, "omitted": max(0, job.error_count - len(errors))},
    )


def _visible_resource(request: HttpRequest, pk: int) -> Resource:
    try:
        return resource_get_visible(user=request.user, pk=pk)  # type: ignore[arg-type]
    except Resource.DoesNotExist:
        raise Http404 from None


@login_required
@require_GET
def data_download(request: HttpRequest, pk: int, format: str) -> HttpResponseBase:
    """Send the rows the user may read as CSV or XLSX (masked, scoped, audited)."""
    resource = _visible_resource(request, pk)
    # FileResponse closes the file once it has been sent, so no context manager here.
    out = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
    try:
        data_exports.dataset_export(
            user=request.user,  # type: ignore[arg-type]
            resource=resource,
            out=out,
            format=format,
        )
    except ValidationError as exc:
        out.close()
        return HttpResponseBadRequest(" ".join(exc.messages))
    out.seek(0)
    name = (resource.code or str(resource.pk)).replace("/", "-")
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
    return render(request, "catalog/data/reads.html", {"resource": resource, "page_obj": page})
