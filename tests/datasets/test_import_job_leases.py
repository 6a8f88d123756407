"""A task worker killed mid-import must not leave its job running for ever nor its file behind."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation

from audit.models import AuditEvent
from datasets import services
from datasets.models import DatasetRow, DatasetVersion, ImportJob
from datasets.services import jobs
from sharing.models import Notification

from .conftest import csv_file
from .typed import HEADER, typed_world, valid_row

pytestmark = pytest.mark.django_db


# The report the sweep leaves, in the portal's language (Chinese).
STOPPED = "后台任务进程停止响应"


class WorkerKilled(BaseException):
    """Stands for SIGKILL: not an Exception, so no handler of the worker sees it."""


@pytest.fixture
def world():
    """The typed resource with one version already active (two rows)."""
    dept, editor, resource = typed_world()
    services.dataset_upload(
        actor=editor, resource=resource, file=csv_file([HEADER, valid_row(1), valid_row(2)])
    )
    return dept, editor, resource


def queued_job(world, rows: int = 5) -> ImportJob:
    """Queue a job; the task is not run (its on-commit hook never fires in a test transaction)."""
    _dept, editor, resource = world
    return services.import_job_create(
        actor=editor,
        resource=resource,
        file=csv_file([HEADER, *(valid_row(n) for n in range(10, 10 + rows))]),
    )


def active_version(resource) -> DatasetVersion:
    return DatasetVersion.objects.get(resource=resource, status="active")


def assert_abandoned(job: ImportJob, editor, resource, file_name: str, stage: str) -> None:
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert job.error_count == 1 and STOPPED in job.errors[0]["message"]
    assert job.finished_at is not None and job.lease_until is None
    assert not job.file and not default_storage.exists(file_name)
    # The version before the import stays the active one, and nothing of the file was stored.
    version = active_version(resource)
    assert version.row_count == 2
    assert DatasetRow.objects.count() == 2
    notice = Notification.objects.get(recipient=editor, kind=Notification.Kind.IMPORT_FAILED)
    assert notice.url == reverse("datasets:data_job", args=[job.pk])
    assert STOPPED in notice.text and resource.name in notice.text
    with translation.override("en"):
        assert "task worker stopped answering" in notice.text
        assert resource.name in notice.text and job.file_name in notice.text
    event = AuditEvent.objects.get(action="data.import_abandon")
    assert event.result == "failure" and event.object_id == str(resource.pk)
    assert event.details["job"] == job.pk and event.details["stage"] == stage


def test_a_job_whose_worker_died_while_validating_is_failed_by_the_sweep(world):
    _dept, editor, resource = world
    job = queued_job(world)
    file_name = job.file.name
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.VALIDATING, lease_until=timezone.now() - timedelta(seconds=1)
    )
    assert services.import_jobs_sweep() == {"import_jobs_abandoned": 1, "import_jobs_discarded": 0}
    assert_abandoned(job, editor, resource, file_name, "validating")


def test_a_worker_killed_while_storing_leaves_the_previous_version_active(world, monkeypatch):
    _dept, editor, resource = world
    job = queued_job(world)
    file_name = job.file.name
    real_upload = services.uploads.dataset_upload

    def killed_after_writing(**kwargs):
        real_upload(**kwargs)  # the rows are written and the new version activated ...
        raise WorkerKilled  # ... and the process dies before the commit

    monkeypatch.setattr("datasets.services.uploads.dataset_upload", killed_after_writing)
    with pytest.raises(WorkerKilled):
        services.import_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.STORING  # what a dead worker leaves behind
    assert job.lease_until is not None
    # Before the lease runs out the sweep waits; after it, the job is failed.
    assert services.import_jobs_sweep()["import_jobs_abandoned"] == 0
    later = job.lease_until + timedelta(seconds=1)
    assert services.import_jobs_sweep(now=later)["import_jobs_abandoned"] == 1
    assert_abandoned(job, editor, resource, file_name, "storing")


def test_a_worker_killed_mid_validation_is_caught_once_its_lease_runs_out(
    world, monkeypatch, settings
):
    settings.PORTAL_IMPORT_LEASE_SECONDS = 60
    job = queued_job(world)

    def dying(job_id):
        def update(rows):
            raise WorkerKilled

        return update

    monkeypatch.setattr(jobs, "_job_progress", dying)
    with pytest.raises(WorkerKilled):
        services.import_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.VALIDATING
    assert job.lease_until is not None
    assert timedelta(seconds=50) < job.lease_until - timezone.now() <= timedelta(seconds=60)
    assert services.import_jobs_sweep(now=job.lease_until - timedelta(seconds=1)) == {
        "import_jobs_abandoned": 0,
        "import_jobs_discarded": 0,
    }
    assert services.import_jobs_sweep(now=job.lease_until + timedelta(seconds=1)) == {
        "import_jobs_abandoned": 1,
        "import_jobs_discarded": 0,
    }
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED


def test_a_job_with_a_live_lease_is_left_alone(world):
    job = queued_job(world)
    lease = timezone.now() + timedelta(minutes=5)
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.VALIDATING, lease_until=lease
    )
    assert services.import_jobs_sweep() == {"import_jobs_abandoned": 0, "import_jobs_discarded": 0}
    job.refresh_from_db()
    assert job.status == ImportJob.Status.VALIDATING and job.lease_until == lease
    assert job.file and default_storage.exists(job.file.name)
    assert not Notification.objects.filter(kind=Notification.Kind.IMPORT_FAILED).exists()
    assert not AuditEvent.objects.filter(action="data.import_abandon").exists()


def test_a_running_job_without_a_lease_is_failed(world):
    """Jobs left running before leases existed (the stuck ones) are failed too."""
    _dept, editor, resource = world
    job = queued_job(world)
    file_name = job.file.name
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.STORING)
    assert services.import_jobs_sweep()["import_jobs_abandoned"] == 1
    assert_abandoned(job, editor, resource, file_name, "storing")


def test_a_stale_queued_job_is_deleted_with_its_file(world, settings):
    settings.PORTAL_IMPORT_STALE_HOURS = 2
    stale = queued_job(world)
    fresh = queued_job(world)
    stale_file, fresh_file = stale.file.name, fresh.file.name
    now = timezone.now()
    ImportJob.objects.filter(pk=stale.pk).update(created_at=now - timedelta(hours=3))
    ImportJob.objects.filter(pk=fresh.pk).update(created_at=now - timedelta(hours=1))
    assert services.import_jobs_sweep() == {"import_jobs_abandoned": 0, "import_jobs_discarded": 1}
    assert list(ImportJob.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert not default_storage.exists(stale_file)
    assert default_storage.exists(fresh_file)
    event = AuditEvent.objects.get(action="data.import_discard")
    assert event.details["job"] == stale.pk and event.details["file"] == stale.file_name
    # Its task, should a worker reach it after all, finds nothing to do.
    assert services.import_job_run(job_id=stale.pk) is None


def test_the_stale_age_defaults_to_a_day(world):
    job = queued_job(world)
    ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(hours=23))
    assert services.import_jobs_sweep()["import_jobs_discarded"] == 0
    ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(hours=25))
    assert services.import_jobs_sweep()["import_jobs_discarded"] == 1


def test_the_lease_is_renewed_as_a_long_import_makes_progress(world, monkeypatch, settings):
    settings.PORTAL_IMPORT_LEASE_SECONDS = 2
    job = queued_job(world, rows=25_000)
    real_progress = jobs._job_progress
    leases = []

    def watched(job_id):
        update = real_progress(job_id)

        def spy(rows):
            update(rows)
            lease = ImportJob.objects.values_list("lease_until", flat=True).get(pk=job_id)
            leases.append((rows, lease, timezone.now()))

        return spy

    monkeypatch.setattr(jobs, "_job_progress", watched)
    services.import_job_run(job_id=job.pk)
    assert [rows for rows, _lease, _seen in leases] == [10_000, 20_000, 25_000]
    # Each progress update pushes the lease on, never further than the setting from then.
    stamps = [lease for _rows, lease, _seen in leases]
    assert stamps == sorted(stamps) and len(set(stamps)) == 3
    assert all(lease <= seen + timedelta(seconds=2) for _rows, lease, seen in leases)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.SUCCEEDED and job.lease_until is None


def test_a_worker_whose_job_was_swept_stops_without_storing(world, monkeypatch):
    """A worker too slow to renew, its job failed by the sweep, must not store afterwards."""
    _dept, _editor, resource = world
    job = queued_job(world)
    real_progress = jobs._job_progress

    def swept_first(job_id):
        update = real_progress(job_id)

        def sweep_then_update(rows):
            services.import_jobs_sweep(now=timezone.now() + timedelta(hours=1))
            update(rows)

        return sweep_then_update

    monkeypatch.setattr(jobs, "_job_progress", swept_first)
    result = services.import_job_run(job_id=job.pk)
    assert result is not None and result.status == ImportJob.Status.FAILED
    assert STOPPED in result.errors[0]["message"]
    assert active_version(resource).row_count == 2
    assert DatasetVersion.objects.filter(resource=resource).count() == 1
    # One failure, told once: the worker adds no report of its own.
    assert Notification.objects.filter(kind=Notification.Kind.IMPORT_FAILED).count() == 1
    assert not AuditEvent.objects.filter(action="data.upload", result="failure").exists()


def test_a_finished_import_keeps_no_file_and_no_lease(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = queued_job(world)
    file_name = job.file.name
    job.refresh_from_db()
    assert job.status == ImportJob.Status.SUCCEEDED
    assert not job.file and not default_storage.exists(file_name)
    assert job.lease_until is None
    # A finished job is never touched by the sweep, however old.
    later = timezone.now() + timedelta(days=30)
    assert services.import_jobs_sweep(now=later) == {
        "import_jobs_abandoned": 0,
        "import_jobs_discarded": 0,
    }


def test_the_command_runs_the_sweep(world):
    job = queued_job(world)
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.VALIDATING, lease_until=timezone.now() - timedelta(seconds=1)
    )
    from io import StringIO

    out = StringIO()
    call_command("import_jobs_sweep", stdout=out)
    assert out.getvalue().splitlines() == [
        "import_jobs_abandoned: 1",
        "import_jobs_discarded: 0",
        "catalog_import_jobs_abandoned: 0",
        "catalog_import_uploads_expired: 0",
    ]


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_a_worker_still_storing_is_not_swept_though_its_lease_ran_out(monkeypatch, settings):
    """While storing, the worker's row lock, not its lease, says it is alive."""
    # Queued only: the test runs the worker itself, in a thread of its own.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    _dept, editor, resource = typed_world()
    job = services.import_job_create(
        actor=editor, resource=resource, file=csv_file([HEADER, valid_row(1)])
    )
    real_upload = services.uploads.dataset_upload
    storing, release = threading.Event(), threading.Event()

    def slow_upload(**kwargs):
        version = real_upload(**kwargs)
        storing.set()
        release.wait(timeout=20)
        return version

    monkeypatch.setattr("datasets.services.uploads.dataset_upload", slow_upload)
    outcome: dict[str, object] = {}

    def work():
        try:
            outcome["job"] = services.import_job_run(job_id=job.pk)
        finally:
            connection.close()

    worker = threading.Thread(target=work)
    worker.start()
    try:
        assert storing.wait(timeout=20)
        counts = services.import_jobs_sweep(now=timezone.now() + timedelta(hours=1))
        assert counts["import_jobs_abandoned"] == 0
    finally:
        release.set()
        worker.join(timeout=30)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.SUCCEEDED
    assert active_version(resource).row_count == 1
    assert not Notification.objects.filter(kind=Notification.Kind.IMPORT_FAILED).exists()
