"""Catalog imports out of the web request: the upload queues a job, the task worker runs it.

The web request only checks the form (size, extension) and stores the file. The task worker
(``manage.py db_worker``) runs ``resources_import`` on it, which parses the workbook in a child
process under the parse limits: first as the preview (``dry_run``), then, once the uploader
confirms on the job's page, as the import itself. The job keeps what the page shows (the
problems, the preview's rows, how many resources were imported), so the result reads as the
synchronous page did. The file is kept from the upload to the confirmation (only its uploader
may confirm it) and removed as soon as the import ran or the preview found problems.

A worker can die mid-job (killed, out of memory, the machine restarted), so a running job holds
a lease (kernel/leases.py): taken when the worker claims the job, renewed while it waits for the
parsing child, and renewed once more by the UPDATE that opens the transaction writing the result
(which keeps the row locked until it commits). ``catalog_import_jobs_sweep`` fails a job whose
lease ran out, removes its file and tells the uploader (``signals.import_job_abandoned``); it also
removes the workbooks of uploads never confirmed within ``PORTAL_UNCONFIRMED_UPLOAD_HOURS``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.services import record
from kernel.leases import LeaseLost, lease_expired, lease_lock, lease_renew, lease_sweep, lease_take
from kernel.policies import require
from kernel.sandbox import WALL_FACTOR, WALL_GRACE_SECONDS, cpu_seconds_setting

from .. import policies, signals
from ..excel import Problem
from ..models import CatalogImportJob
from . import imports
from .imports import ImportResult, PreviewRow, import_allowed, resources_import

Status = CatalogImportJob.Status
# Seconds beyond the parse's longest possible run after which a running job is taken for dead.
STALL_MARGIN_SECONDS = 600


@dataclass
class JobResult:
    """What a finished job's page shows, as ``ImportResult`` did on the synchronous page."""

    problems: list[Problem] = field(default_factory=list)
    rows: list[PreviewRow] = field(default_factory=list)
    created: int = 0
    warnings: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _stop_message(data: dict[str, Any]) -> str:
    """Return, in the reader's language, why the sweep stopped the job (``data["stopped"]``)."""
    if data.get("stopped") == "expired":
        return _(
            "The workbook was not imported within %(hours)d hours of its upload and was removed. "
            "Nothing was imported; upload it again."
        ) % {"hours": int(data.get("hours") or 0)}
    return _(
        "The task worker stopped answering while it checked or imported the workbook. Nothing "
        "was imported and the workbook was removed; upload it again."
    )


def job_result(job: CatalogImportJob) -> JobResult | None:
    """Return the result of a finished job (None while it is queued or running)."""
    if not job.is_finished:
        return None
    data = job.result or {}
    # The sweep stores why it stopped a job as a code: the page says it in its reader's language.
    stopped = [Problem("", None, "", _stop_message(data))] if data.get("stopped") else []
    return JobResult(
        problems=stopped + [Problem(**p) for p in data.get("problems", [])],
        rows=[PreviewRow(**r) for r in data.get("rows", [])],
        created=int(data.get("created", 0)),
        warnings=[Problem(**p) for p in data.get("warnings", [])],
    )


def job_stalled(job: CatalogImportJob, *, now: datetime | None = None) -> bool:
    """Return whether a running job's worker is taken for dead (its page stops refreshing).

    A job with a lease stalls when the lease ran out (the sweep fails it at its next run). A job
    started before leases existed: no parse outlives the parse limits' wall-clock stop, and the
    margin covers the import's writes.
    """
    if job.status != Status.RUNNING:
        return False
    now = now or timezone.now()
    if job.lease_until is not None:
        return job.lease_until < now
    if job.started_at is None:
        return False
    allowed = cpu_seconds_setting() * WALL_FACTOR + WALL_GRACE_SECONDS + STALL_MARGIN_SECONDS
    return job.started_at < now - timedelta(seconds=allowed)


def unconfirmed_hours() -> int:
    """Return after how many hours an unconfirmed upload's workbook is removed.

    ``PORTAL_UNCONFIRMED_UPLOAD_HOURS``, 24 by default.
    """
    return max(1, int(getattr(settings, "PORTAL_UNCONFIRMED_UPLOAD_HOURS", 24)))


def _stored(result: ImportResult) -> dict[str, Any]:
    return {
        "problems": [asdict(p) for p in result.problems],
        "rows": [asdict(r) for r in result.rows],
        "created": len(result.created),
        "warnings": [asdict(p) for p in result.warnings],
    }


def _require_importer(actor: User, publish: bool) -> None:
    require(
        actor,
        policies.can_import_resources,
        message=_("Only catalog editors and the coordinator may import resources."),
    )
    if publish:
        require(
            actor,
            policies.can_import_published,
            message=_("Only the platform coordinator may import published resources."),
        )


@transaction.atomic
def import_job_create(*, actor: User, file: File, publish: bool = False) -> CatalogImportJob:
    """Store the uploaded workbook and queue its preview for the task worker."""
    _require_importer(actor, publish)
    name = (getattr(file, "name", "") or "catalog.xlsx").rsplit("/", 1)[-1][:255]
    job = CatalogImportJob(created_by=actor, file_name=name, publish=publish)
    job.file.save("upload.xlsx", file, save=False)
    job.save()
    record(
        actor=actor,
        action="catalog.import_queue",
        details={"job": job.pk, "file": name[:100], "published": publish},
    )
    _enqueue_on_commit(job.pk)
    return job


@transaction.atomic
def import_job_confirm(*, actor: User, job: CatalogImportJob) -> CatalogImportJob:
    """Queue the import of a previewed workbook; only its uploader may, and only once."""
    if not policies.can_see_import_job(actor, job):
        raise PermissionDenied(_("Only the person who uploaded the workbook may import it."))
    _require_importer(actor, job.publish)
    # The row lock makes a double click queue one import, not two.
    job = CatalogImportJob.objects.select_for_update().get(pk=job.pk)
    result = job_result(job)
    if job.confirmed or result is None or not result.ok or not job.file:
        raise ValidationError(_("Nothing to import: upload the workbook again."))
    job.confirmed = True
    job.status = Status.QUEUED
    job.started_at = job.finished_at = None
    job.save(update_fields=["confirmed", "status", "started_at", "finished_at"])
    _enqueue_on_commit(job.pk)
    return job


def _enqueue_on_commit(job_id: int) -> None:
    from ..tasks import catalog_import_job_run_task

    def enqueue() -> None:
        result = catalog_import_job_run_task.enqueue(job_id=job_id)
        CatalogImportJob.objects.filter(pk=job_id).update(task_id=str(result.id)[:64])

    # After commit: the worker must find the job row and its file.
    transaction.on_commit(enqueue)


def _renew(job_id: int) -> None:
    """Renew a running job's lease; raise LeaseLost if the sweep failed the job meanwhile."""
    lease_renew(CatalogImportJob.objects.all(), job_id, status=Status.RUNNING)


def import_job_run(*, job_id: int) -> CatalogImportJob | None:
    """Run a queued job: the preview, or (confirmed) the import. Return the job, or None."""
    # Only a queued job is taken: a retried task must not run beside the worker holding the
    # lease, nor revive a job the sweep failed.
    claimed = lease_take(
        CatalogImportJob.objects.all(),
        job_id,
        frm=Status.QUEUED,
        to=Status.RUNNING,
        started_at=timezone.now(),
    )
    job = CatalogImportJob.objects.select_related("created_by").filter(pk=job_id).first()
    if job is None or not claimed:
        return job  # gone, or already taken by another run of the task
    try:
        # Before the parse: a job its uploader may no longer run costs no parsing.
        import_allowed(job.created_by, job.publish)
        with job.file.open("rb") as handle:
            data = handle.read()
        # In a child process under the parse limits; waiting for it renews the lease.
        parsed = imports.parse_limited(data, heartbeat=lambda: _renew(job.pk))
        with transaction.atomic():
            # The renewal's UPDATE locks the job's row until this transaction ends: the sweep
            # skips a job whose worker is writing. It fails if the sweep took the job already.
            _renew(job.pk)
            result = resources_import(
                actor=job.created_by, publish=job.publish, dry_run=not job.confirmed, parsed=parsed
            )
            # Imported and marked done in one transaction: a worker dying in between cannot
            # leave resources imported under a job the sweep would call failed.
            return _finish(job, Status.DONE, _stored(result))
    except LeaseLost:
        # The sweep failed the job (and told the uploader): its word stands.
        job.refresh_from_db()
        return job
    except PermissionDenied as refused:
        # The uploader lost the right to import since the upload.
        return _finish(
            job, Status.FAILED, {"problems": [asdict(Problem("", None, "", str(refused)))]}
        )
    except Exception:
        # Anything else (the file vanished, the database went away): the page must not wait
        # for ever; the worker logs the exception itself.
        failed = Problem("", None, "", _("The import failed; upload the workbook again."))
        _finish(job, Status.FAILED, {"problems": [asdict(failed)]})
        raise
    return _finish(job, Status.DONE, _stored(result))


@transaction.atomic
def _finish(job: CatalogImportJob, status: str, result: dict[str, Any]) -> CatalogImportJob:
    if not lease_lock(CatalogImportJob.objects.all(), job.pk, [Status.RUNNING]):
        # The sweep failed it meanwhile (and told the uploader): its word stands.
        job.refresh_from_db()
        return job
    job.status = status
    job.result = result
    job.finished_at = timezone.now()
    job.lease_until = None
    # Kept only while a valid preview waits for its confirmation: the file may hold what the
    # uploader's department has not published yet.
    if job.file and (job.confirmed or status == Status.FAILED or result.get("problems")):
        job.file.delete(save=False)
    job.save(update_fields=["status", "result", "finished_at", "lease_until", "file"])
    return job


def catalog_import_jobs_sweep(*, now: datetime | None = None) -> dict[str, int]:
    """Fail jobs whose worker died and expire uploads never confirmed; return the counts.

    Run by ``manage.py import_jobs_sweep`` (every 15 minutes), beside the data imports' sweep.
    """
    now = now or timezone.now()
    return {
        "catalog_import_jobs_abandoned": lease_sweep(
            CatalogImportJob.objects.select_related("created_by"),
            lease_expired([Status.RUNNING], now),
            lambda job: _abandon(job, now),
        ),
        "catalog_import_uploads_expired": lease_sweep(
            CatalogImportJob.objects.select_related("created_by"),
            _unconfirmed_before(now - timedelta(hours=unconfirmed_hours())),
            lambda job: _expire(job, now),
        ),
    }


def _abandon(job: CatalogImportJob, now: datetime) -> None:
    stage = "import" if job.confirmed else "preview"
    job.status = Status.FAILED
    job.result = {"stopped": "abandoned"}
    job.finished_at = now
    job.lease_until = None
    # Nothing of it was imported: the import commits whole, with the job's status, or not at
    # all. The file has no further use and may hold what the department has not published.
    if job.file:
        job.file.delete(save=False)
    job.save(update_fields=["status", "result", "finished_at", "lease_until", "file"])
    record(
        actor=None,
        action="catalog.import_abandon",
        result="failure",
        details={
            "job": job.pk,
            "file": job.file_name[:100],
            "stage": stage,
            "uploader": job.created_by.username,
        },
    )
    # The sharing app tells the uploader (the catalog does not know notifications).
    signals.import_job_abandoned.send(sender=CatalogImportJob, job=job)


def _unconfirmed_before(cutoff: datetime) -> Q:
    """Uploads whose workbook still waits for a confirmation since before ``cutoff``.

    A valid preview never confirmed, and a preview no worker ever ran (the worker was down).
    """
    previewed = Q(status=Status.DONE, finished_at__lt=cutoff) & ~Q(file="")
    unrun = Q(status=Status.QUEUED, created_at__lt=cutoff)
    return Q(confirmed=False) & (previewed | unrun)


def _expire(job: CatalogImportJob, now: datetime) -> None:
    hours = unconfirmed_hours()
    stage = job.status
    job.status = Status.FAILED
    job.result = {"stopped": "expired", "hours": hours}
    job.finished_at = now
    if job.file:
        job.file.delete(save=False)
    job.save(update_fields=["status", "result", "finished_at", "file"])
    record(
        actor=None,
        action="catalog.import_expire",
        details={
            "job": job.pk,
            "file": job.file_name[:100],
            "stage": stage,
            "uploader": job.created_by.username,
            "hours": hours,
        },
    )
