"""Background imports: a queued upload, validated with progress, then stored by the task worker."""

from __future__ import annotations

from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.services import record
from catalog.models import Resource

from ..models import ImportJob
from ..readers import FileUnreadable
from ..storage import collector_paused
from ..validation import DatasetInvalid, ErrorReport, error_limit
from . import uploads
from .versions import (
    UPLOAD_MODES,
    Progress,
    check_size,
    fail,
    open_table,
    plan_for,
    require_change,
    require_mode,
)


@transaction.atomic
def import_job_create(
    *, actor: User | None, resource: Resource, file: File, mode: str = "replace"
) -> ImportJob:
    """Queue a file import for the task worker; return the job that shows its progress."""
    from ..tasks import import_job_run_task

    require_change(actor, resource)
    require_mode(mode, UPLOAD_MODES)
    name = getattr(file, "name", "") or ""
    check_size(file)
    if not name.lower().endswith((".csv", ".xlsx")):
        raise fail(_("Upload a CSV or XLSX file."))
    job = ImportJob(
        resource=resource,
        mode=mode,
        file_name=name.rsplit("/", 1)[-1][:255],
        file_size=file.size or 0,
        created_by=actor,
    )
    job.file.save(job.file_name, file, save=False)
    job.save()
    record(
        actor=actor,
        action="data.import_queue",
        obj=resource,
        details={"job": job.pk, "file": job.file_name, "mode": mode},
    )
    job_id = job.pk
    # Queued after commit: the worker must find the job row and its file.
    transaction.on_commit(lambda: _enqueue(import_job_run_task, job_id))
    return job


def _enqueue(task, job_id: int) -> None:
    result = task.enqueue(job_id=job_id)
    ImportJob.objects.filter(pk=job_id, task_id="").update(task_id=str(result.id)[:64])


def _job_progress(job_id: int) -> Progress:
    def update(rows: int) -> None:
        ImportJob.objects.filter(pk=job_id).update(rows_processed=rows)

    return update


def import_job_run(*, job_id: int) -> ImportJob:
    """Run a queued import: validate with progress, then store in one transaction."""
    job = ImportJob.objects.select_related("resource", "created_by").get(pk=job_id)
    if job.is_finished:
        return job  # a retried task must not store twice
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.VALIDATING)
    try:
        with job.file.open("rb") as handle:
            # Pass 1 outside any transaction, so the progress counter is visible to the page.
            _validate_file(job, handle)
            ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.STORING)
            handle.seek(0)
            version = uploads.dataset_upload(
                actor=job.created_by,
                resource=job.resource,
                file=handle,
                mode=job.mode,
                name=job.file_name,
            )
    except DatasetInvalid as exc:
        return _job_finish(job, ImportJob.Status.FAILED, exc.report.as_dict())
    except (PermissionDenied, ValidationError) as exc:
        messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
        return _job_finish(job, ImportJob.Status.FAILED, _report_of(messages))
    except Exception:
        # Anything else (the database went away, the file vanished): the job must not stay
        # "storing" for ever; the worker logs the exception itself.
        _job_finish(job, ImportJob.Status.FAILED, _report_of([_("The import failed; try again.")]))
        raise
    job.version = version
    return _job_finish(job, ImportJob.Status.SUCCEEDED, None)


def _report_of(messages: list[str]) -> dict[str, Any]:
    return {
        "errors": [{"row": None, "column": "", "message": m} for m in messages],
        "total": len(messages),
        "omitted": 0,
    }


def _validate_file(job: ImportJob, handle: IO[bytes]) -> None:
    resource = job.resource
    if job.created_by is None:
        # The uploader's account was deleted: the job must not run with the system's rights.
        raise PermissionDenied(_("You may not change the data of this resource."))
    require_change(job.created_by, resource)
    plan = plan_for(resource)
    table = open_table(handle, job.file_name)
    report = ErrorReport(limit=error_limit())
    positions = plan.header_errors(table.header, report)
    if positions is None:
        raise DatasetInvalid(report)
    try:
        with collector_paused():
            for _row in plan.convert_rows(
                table.rows,
                positions,
                report,
                width=len(table.header),
                progress=_job_progress(job.pk),
            ):
                pass
    except FileUnreadable as exc:
        report.add(None, "", str(exc))
    if report:
        raise DatasetInvalid(report)


def _job_finish(job: ImportJob, status: str, report: dict[str, Any] | None) -> ImportJob:
    job.refresh_from_db(fields=["rows_processed"])
    job.status = status
    job.errors = report["errors"] if report else []
    job.error_count = report["total"] if report else 0
    job.finished_at = timezone.now()
    # The uploaded file may hold personal data: once the rows are stored (or refused) it has
    # served its purpose, and the dataset version is the record.
    if job.file:
        job.file.delete(save=False)
    job.save(update_fields=["status", "errors", "error_count", "finished_at", "version", "file"])
    if status == ImportJob.Status.FAILED:
        record(
            actor=job.created_by,
            action="data.upload",
            obj=job.resource,
            result="failure",
            details={"job": job.pk, "errors": job.error_count},
        )
    return job
