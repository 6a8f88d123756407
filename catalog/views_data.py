"""Pages of data delivery: upload a data file, follow its import job."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from .datasets import selectors as data_selectors
from .datasets import services as data_services
from .datasets.validation import DatasetInvalid, describe
from .forms_data import DataUploadForm
from .selectors import resources_changeable_by


@login_required
def data_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the upload form of a resource the user may change; queue the import on submit."""
    resource = resources_changeable_by(user=request.user).filter(pk=pk).first()  # type: ignore[arg-type]
    if resource is None:
        raise Http404
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
