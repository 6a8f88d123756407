"""Background imports: a queued upload, validated with progress, then stored by the task worker.

A worker can die mid-import (killed, out of memory, the machine restarted). So a running job
holds a lease: the worker takes it when it starts and renews it with every progress update while
it validates; while it stores, its open transaction holds the job's row lock instead (a dead
worker's transaction is rolled back and the lock released). ``import_jobs_sweep`` fails a job
whose lease ran out and that no live transaction holds, removes its file and tells the uploader;
and it deletes queued jobs that no worker started in ``PORTAL_IMPORT_STALE_HOURS``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.services import record
from catalog.models import Resource
from kernel.leases import (
    LeaseLost,
    lease_expired,
    lease_lock,
    lease_renew,
    lease_seconds,
    lease_sweep,
    lease_take,
)
from sharing.models import Notification
from sharing.services.notifications import notify

from ..models import ImportJob
from ..readers import FileUnreadable, Table
from ..storage import collector_paused
from ..validation import DatasetInvalid, ErrorReport, error_limit
from ..validation.personal import PersonalColumns
from . import uploads
from .versions import (
    UPLOAD_MODES,
    Progress,
    check_size,
    fail,
    open_parsed,
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


RUNNING = (ImportJob.Status.VALIDATING, ImportJob.Status.STORING)


# The sweep failed the job (its lease had run out): this worker must stop without a word.
JobLost = LeaseLost


def stale_hours() -> int:
    """Return after how many hours an unstarted job is discarded (``PORTAL_IMPORT_STALE_HOURS``)."""
    return max(1, int(getattr(settings, "PORTAL_IMPORT_STALE_HOURS", 24)))


def _renew(job_id: int, **fields: Any) -> None:
    """Renew the lease of a validating job (with ``fields``); raise JobLost if the sweep took it."""
    lease_renew(ImportJob.objects.all(), job_id, status=ImportJob.Status.VALIDATING, **fields)


def _job_progress(job_id: int) -> Progress:
    def update(rows: int) -> None:
        # The progress write carries the lease: no extra query, and it is renewed exactly as
        # often as the worker shows it is alive.
        _renew(job_id, rows_processed=rows)

    return update


def import_job_run(*, job_id: int) -> ImportJob | None:
    """Run a queued import: validate with progress, then store in one transaction.

    Return the job, or None when it no longer exists (the sweep discarded it unrun).
    """
    job = ImportJob.objects.select_related("resource", "created_by").filter(pk=job_id).first()
    if job is None:
        return None
    # Only a queued job is taken: a retried task must not store twice, nor run beside the
    # worker that holds the lease, nor revive a job the sweep failed.
    claimed = lease_take(
        ImportJob.objects.all(),
        job.pk,
        frm=ImportJob.Status.QUEUED,
        to=ImportJob.Status.VALIDATING,
    )
    if not claimed:
        # Gone meanwhile if the sweep discarded it as stale in the same instant.
        return ImportJob.objects.filter(pk=job.pk).first()
    try:
        # Before the parse: a job its uploader may no longer run costs no parsing.
        _require_uploader(job)
        with (
            job.file.open("rb") as handle,
            # Parsed once, in a child process under the CPU and memory limits; both passes read
            # its rows. Waiting for the child renews the lease.
            open_parsed(handle, job.file_name, heartbeat=lambda: _renew(job.pk)) as parsed,
        ):
            # Pass 1 outside any transaction, so the progress counter is visible to the page.
            job.warnings = _validate_file(job, parsed.table())
            taken = lease_take(
                ImportJob.objects.all(),
                job.pk,
                frm=ImportJob.Status.VALIDATING,
                to=ImportJob.Status.STORING,
            )
            if not taken:
                raise JobLost
            handle.seek(0)
            with transaction.atomic():
                # The row lock is this worker's proof of life while it stores (its lease updates
                # would not be seen before commit): the sweep skips a locked job.
                if not _lock_running(job.pk, ImportJob.Status.STORING):
                    raise JobLost
                version = uploads.dataset_upload(
                    actor=job.created_by,
                    resource=job.resource,
                    file=handle,
                    mode=job.mode,
                    name=job.file_name,
                    table=parsed.table(),
                )
                job.version = version
                # Stored and marked succeeded in one transaction: a worker dying in between
                # cannot leave stored rows under a job the sweep would call failed.
                return _job_finish(job, ImportJob.Status.SUCCEEDED, None)
    except JobLost:
        job.refresh_from_db()
        return job
    except DatasetInvalid as exc:
        return _job_finish(job, ImportJob.Status.FAILED, exc.report.as_dict())
    except (PermissionDenied, ValidationError) as exc:
        messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
        return _job_finish(job, ImportJob.Status.FAILED, _report_of(messages))
    except Exception:
        # Anything else (the database went away, the file vanished): the job must not stay
        # "storing" for ever; the worker logs the exception itself.
        job.version = None
        _job_finish(job, ImportJob.Status.FAILED, _report_of([_("The import failed; try again.")]))
        raise


def _lock_running(job_id: int, *statuses: str) -> bool:
    """Lock the job's row if it is in one of ``statuses``; return whether it was."""
    return lease_lock(ImportJob.objects.all(), job_id, statuses)


def _report_of(messages: list[str]) -> dict[str, Any]:
    return {
        "errors": [{"row": None, "column": "", "message": m} for m in messages],
        "total": len(messages),
        "omitted": 0,
    }


def _require_uploader(job: ImportJob) -> None:
    if job.created_by is None:
        # The uploader's account was deleted: the job must not run with the system's rights.
        raise PermissionDenied(_("You may not change the data of this resource."))
    require_change(job.created_by, job.resource)


def _validate_file(job: ImportJob, table: Table) -> list[dict[str, Any]]:
    """Check every row; return the columns that look personal although tagged not personal."""
    resource = job.resource
    plan = plan_for(resource)
    _renew(job.pk)  # up to a heartbeat may have passed since the parsing child last renewed it
    report = ErrorReport(limit=error_limit())
    positions = plan.header_errors(table.header, report)
    if positions is None:
        raise DatasetInvalid(report)
    personal = PersonalColumns(plan.items)
    try:
        with collector_paused():
            for _key, _region, values in plan.convert_rows(
                table.rows,
                positions,
                report,
                width=len(table.header),
                progress=_job_progress(job.pk),
            ):
                personal.add(values)
    except FileUnreadable as exc:
        report.add(None, "", str(exc))
    if report:
        raise DatasetInvalid(report)
    return personal.warnings()


@transaction.atomic
def _job_finish(job: ImportJob, status: str, report: dict[str, Any] | None) -> ImportJob:
    if not _lock_running(job.pk, *RUNNING):
        # The sweep failed it meanwhile (and told the uploader): its word stands.
        job.refresh_from_db()
        return job
    job.refresh_from_db(fields=["rows_processed"])
    job.status = status
    job.errors = report["errors"] if report else []
    job.error_count = report["total"] if report else 0
    job.finished_at = timezone.now()
    job.lease_until = None
    if status != ImportJob.Status.SUCCEEDED:
        job.warnings = []
    # The uploaded file may hold personal data: once the rows are stored (or refused) it has
    # served its purpose, and the dataset version is the record.
    if job.file:
        job.file.delete(save=False)
    job.save(
        update_fields=[
            "status",
            "errors",
            "error_count",
            "warnings",
            "finished_at",
            "lease_until",
            "version",
            "file",
        ]
    )
    if job.warnings:
        record(
            actor=job.created_by,
            action="data.personal_unflagged",
            obj=job.resource,
            details={"job": job.pk, "columns": job.warnings},
        )
    if status == ImportJob.Status.FAILED:
        record(
            actor=job.created_by,
            action="data.upload",
            obj=job.resource,
            result="failure",
            details={"job": job.pk, "errors": job.error_count},
        )
    return job


def import_jobs_sweep(*, now: datetime | None = None) -> dict[str, int]:
    """Fail jobs whose worker died and discard queued jobs no worker started; return counts.

    Run by ``manage.py import_jobs_sweep`` (every 15 minutes, beside ``sharing_sweep``).
    """
    now = now or timezone.now()
    return {
        "import_jobs_abandoned": _fail_abandoned(now),
        "import_jobs_discarded": _discard_stale(now),
    }


def _fail_abandoned(now: datetime) -> int:
    # A worker still storing holds the row locked: the sweep skips it, its lease is not the measure.
    return lease_sweep(
        ImportJob.objects.all(), lease_expired(RUNNING, now), lambda job: _abandon(job, now)
    )


def _abandon(job: ImportJob, now: datetime) -> None:
    stage = job.status
    message = _(
        "The import stopped: the task worker stopped answering while the file was being "
        "checked or stored. Nothing was stored; upload the file again."
    )
    job.status = ImportJob.Status.FAILED
    job.errors = _report_of([message])["errors"]
    job.error_count = 1
    job.finished_at = now
    job.lease_until = None
    # Nothing of it was stored: the storing transaction commits whole or not at all, so the
    # active version is the one before. The file has no further use and may hold personal data.
    if job.file:
        job.file.delete(save=False)
    job.save(
        update_fields=["status", "errors", "error_count", "finished_at", "lease_until", "file"]
    )
    resource = job.resource
    record(
        actor=None,
        action="data.import_abandon",
        obj=resource,
        result="failure",
        details={"job": job.pk, "file": job.file_name[:100], "stage": stage},
    )
    if job.created_by is not None:
        notify(
            [job.created_by],
            kind=Notification.Kind.IMPORT_FAILED,
            url=reverse("datasets:data_job", args=[job.pk]),
            min_clearance=resource.level,
            resource=resource,
            file=job.file_name,
        )


def _discard_stale(now: datetime) -> int:
    cutoff = now - timedelta(hours=stale_hours())
    stale = Q(status=ImportJob.Status.QUEUED, created_at__lt=cutoff)
    count = 0
    for pk in ImportJob.objects.filter(stale).values_list("pk", flat=True):
        with transaction.atomic():
            job = ImportJob.objects.select_for_update(skip_locked=True).filter(stale, pk=pk).first()
            if job is None:
                continue
            if job.file:
                job.file.delete(save=False)
            record(
                actor=None,
                action="data.import_discard",
                obj=job.resource,
                details={"job": job.pk, "file": job.file_name[:100], "queued": job.created_at},
            )
            job.delete()
        count += 1
    return count


__all__ = ["JobLost", "import_job_create", "import_job_run", "import_jobs_sweep", "lease_seconds"]
