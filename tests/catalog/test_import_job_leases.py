"""Catalog import jobs that cannot hang: the worker's lease, the sweep, the unconfirmed uploads."""

from __future__ import annotations

import threading
from datetime import timedelta
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import Role
from audit.models import AuditEvent
from catalog.models import CatalogImportJob, Resource
from catalog.services import import_jobs, imports
from catalog.services.import_jobs import catalog_import_jobs_sweep, import_job_run, job_result
from kernel.leases import lease_seconds
from sharing.models import Notification
from tests import builders

from .maintenance_helpers import login
from .test_excel_import import item_cells, resource_cells, workbook

pytestmark = pytest.mark.django_db

# The sweep lists the expired leases' and the old unconfirmed uploads' ids (2 queries), then
# takes each job in its own savepoint (2): the locked row with its uploader, its save, the audit
# event, and for an abandoned job the notification. Never more per job, whatever the job.
# The audit event: on SQLite its savepoint, the chain's head, the insert, the release; on
# PostgreSQL one call to audit_append() (audit/0002).
QUERIES_AUDIT = 1 if connection.vendor == "postgresql" else 4
QUERIES_SWEEP_NOTHING = 2
QUERIES_PER_EXPIRED_UPLOAD = 4 + QUERIES_AUDIT
QUERIES_SWEEP_ONE_ABANDONED = QUERIES_SWEEP_NOTHING + QUERIES_PER_EXPIRED_UPLOAD + 1


@pytest.fixture
def people(db):
    department = builders.department("租约测试部门")
    return {
        "department": department,
        "editor": builders.user(department, clearance=3, roles=(Role.STAFF, Role.EDITOR)),
        "other_editor": builders.user(department, clearance=3, roles=(Role.STAFF, Role.EDITOR)),
    }


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def make_job(people, data: bytes = b"PK", **fields) -> CatalogImportJob:
    job = CatalogImportJob(created_by=people["editor"], file_name="目录.xlsx", **fields)
    job.file.save("upload.xlsx", ContentFile(data), save=False)
    job.save()
    return job


def job_page(client, job) -> str:
    with translation.override("en"):
        response = client.get(
            reverse("catalog:resource_import_job", args=[job.pk]), HTTP_ACCEPT_LANGUAGE="en"
        )
    assert response.status_code == 200
    return response.content.decode()


def test_a_job_whose_lease_ran_out_is_failed_its_file_removed_and_its_uploader_told(
    client, people, media, django_assert_num_queries
):
    now = timezone.now()
    job = make_job(people, status="running", started_at=now, lease_until=now - timedelta(seconds=1))
    path = media / job.file.name
    assert path.exists()
    login(client, people["editor"])
    # Before the sweep, the page already says the worker stopped, and stops refreshing.
    page = job_page(client, job)
    assert "http-equiv" not in page and "stopped answering" in page

    with translation.override("en"), django_assert_num_queries(QUERIES_SWEEP_ONE_ABANDONED):
        counts = catalog_import_jobs_sweep(now=now)
    assert counts == {"catalog_import_jobs_abandoned": 1, "catalog_import_uploads_expired": 0}

    job.refresh_from_db()
    assert job.status == "failed" and job.lease_until is None and job.finished_at == now
    assert not job.file and not path.exists()
    # Stored as a code, shown in the reader's language.
    assert job.result == {"stopped": "abandoned"}
    assert len(job_result(job).problems) == 1
    with translation.override("zh-hans"):
        assert "停止响应" in job_result(job).problems[0].message
    with translation.override("en"):
        assert "stopped answering" in job_result(job).problems[0].message
    # The uploader, and only the uploader, is told, with a link to the job's page.
    notice = Notification.objects.get(kind=Notification.Kind.CATALOG_IMPORT_FAILED)
    assert notice.recipient == people["editor"]
    assert notice.url == reverse("catalog:resource_import_job", args=[job.pk])
    with translation.override("en"):
        assert "目录.xlsx" in notice.text and "upload it again" in notice.text
    event = AuditEvent.objects.get(action="catalog.import_abandon")
    assert event.result == "failure" and event.actor is None
    assert event.details["job"] == job.pk and event.details["stage"] == "preview"
    assert event.details["uploader"] == people["editor"].username

    # The page shows the failure as the job's one problem, offers no confirmation.
    page = job_page(client, job)
    assert "stopped answering" in page and "import-problems" in page
    assert reverse("catalog:resource_import_confirm", args=[job.pk]) not in page
    # Nobody else sees the job, nor its failure.
    login(client, people["other_editor"])
    assert client.get(reverse("catalog:resource_import_job", args=[job.pk])).status_code == 404

    # A second sweep finds nothing more to do.
    with django_assert_num_queries(QUERIES_SWEEP_NOTHING):
        assert catalog_import_jobs_sweep(now=now + timedelta(hours=1)) == {
            "catalog_import_jobs_abandoned": 0,
            "catalog_import_uploads_expired": 0,
        }
    assert Notification.objects.count() == 1


def test_a_live_lease_is_left_alone_until_it_runs_out(client, people, media):
    now = timezone.now()
    job = make_job(
        people, status="running", started_at=now, lease_until=now + timedelta(seconds=60)
    )
    login(client, people["editor"])
    assert '<meta http-equiv="refresh"' in job_page(client, job)  # the page waits for the worker
    assert catalog_import_jobs_sweep(now=now)["catalog_import_jobs_abandoned"] == 0
    assert catalog_import_jobs_sweep(now=now + timedelta(seconds=59)) == {
        "catalog_import_jobs_abandoned": 0,
        "catalog_import_uploads_expired": 0,
    }
    job.refresh_from_db()
    assert job.status == "running" and job.file and (media / job.file.name).exists()
    assert not Notification.objects.exists()
    assert not AuditEvent.objects.filter(action="catalog.import_abandon").exists()
    # Finished and queued jobs hold no lease: the sweep never fails them.
    done = make_job(people, status="done", confirmed=True, finished_at=now)
    queued = make_job(people, status="queued")
    later = now + timedelta(seconds=61)
    assert catalog_import_jobs_sweep(now=later)["catalog_import_jobs_abandoned"] == 1
    done.refresh_from_db()
    queued.refresh_from_db()
    assert (done.status, queued.status) == ("done", "queued")


def test_the_worker_takes_and_renews_the_lease_and_clears_it_when_done(people, media, monkeypatch):
    data = workbook([resource_cells(people["department"])], [item_cells(2)])
    job = make_job(people, data)
    seen: list[object] = []
    real = imports.parse_limited

    def parse(data, *, heartbeat=None):
        seen.append(CatalogImportJob.objects.get(pk=job.pk).lease_until)
        heartbeat()  # what the sandbox does every 20 s while the child parses
        seen.append(CatalogImportJob.objects.get(pk=job.pk).lease_until)
        return real(data)

    monkeypatch.setattr(imports, "parse_limited", parse)
    before = timezone.now()
    job = import_job_run(job_id=job.pk)
    assert job.status == "done" and job.result["problems"] == [] and job.lease_until is None
    assert before < seen[0] <= seen[1]  # taken at the claim, pushed on by the heartbeat
    assert seen[0] >= before + timedelta(seconds=lease_seconds() - 5)


def test_a_late_worker_cannot_revive_a_job_the_sweep_failed(people, media, monkeypatch):
    data = workbook([resource_cells(people["department"])], [item_cells(2)])
    job = make_job(people, data, confirmed=True, status="queued")
    real = imports.parse_limited

    def slow(data, *, heartbeat=None):
        # The worker was so slow that its lease ran out and the sweep failed its job meanwhile.
        later = timezone.now() + timedelta(seconds=lease_seconds() + 1)
        assert catalog_import_jobs_sweep(now=later)["catalog_import_jobs_abandoned"] == 1
        return real(data)

    monkeypatch.setattr(imports, "parse_limited", slow)
    job = import_job_run(job_id=job.pk)
    # The import did not happen, and the sweep's word stands.
    assert not Resource.objects.exists()
    assert job.status == "failed" and not job.file
    assert job.result == {"stopped": "abandoned"}
    assert not AuditEvent.objects.filter(action="catalog.import").exists()
    assert AuditEvent.objects.get(action="catalog.import_abandon").details["stage"] == "import"
    assert Notification.objects.count() == 1
    # Nor does a retried task: only a queued job is taken.
    monkeypatch.setattr(imports, "parse_limited", real)
    assert import_job_run(job_id=job.pk).status == "failed"
    assert not Resource.objects.exists()


def test_a_heartbeat_after_the_sweep_stops_the_worker(people, media, monkeypatch):
    data = workbook([resource_cells(people["department"])], [item_cells(2)])
    job = make_job(people, data)

    def parse(data, *, heartbeat=None):
        later = timezone.now() + timedelta(seconds=lease_seconds() + 1)
        catalog_import_jobs_sweep(now=later)
        heartbeat()  # raises: the sandbox stops the child and passes it on
        raise AssertionError("the heartbeat must stop the worker")

    monkeypatch.setattr(imports, "parse_limited", parse)
    job = import_job_run(job_id=job.pk)
    assert job.status == "failed" and not job.file
    assert job.result == {"stopped": "abandoned"}
    assert Notification.objects.count() == 1


def test_an_unconfirmed_upload_loses_its_workbook_after_the_limit(
    client, people, media, settings, django_assert_num_queries
):
    settings.PORTAL_UNCONFIRMED_UPLOAD_HOURS = 2
    now = timezone.now()
    old = make_job(people, status="done", finished_at=now - timedelta(hours=2, minutes=1))
    young = make_job(people, status="done", finished_at=now - timedelta(hours=1, minutes=59))
    unrun = make_job(people, status="queued")
    CatalogImportJob.objects.filter(pk=unrun.pk).update(created_at=now - timedelta(hours=3))
    confirmed = make_job(people, status="done", confirmed=True, finished_at=now - timedelta(days=2))
    old_path, young_path = media / old.file.name, media / young.file.name

    with django_assert_num_queries(QUERIES_SWEEP_NOTHING + 2 * QUERIES_PER_EXPIRED_UPLOAD):
        counts = catalog_import_jobs_sweep(now=now)
    assert counts == {"catalog_import_jobs_abandoned": 0, "catalog_import_uploads_expired": 2}

    old.refresh_from_db()
    young.refresh_from_db()
    unrun.refresh_from_db()
    confirmed.refresh_from_db()
    assert old.status == "failed" and not old.file and not old_path.exists()
    assert unrun.status == "failed" and not unrun.file
    assert young.status == "done" and young.file and young_path.exists()
    assert confirmed.status == "done" and confirmed.file  # not an unconfirmed upload
    events = AuditEvent.objects.filter(action="catalog.import_expire")
    assert {e.details["job"] for e in events} == {old.pk, unrun.pk}
    assert {e.details["stage"] for e in events} == {"done", "queued"}
    # Nothing is notified: the uploader left the upload unconfirmed.
    assert not Notification.objects.exists()

    login(client, people["editor"])
    page = job_page(client, old)
    assert "was not imported within 2 hours" in page
    assert reverse("catalog:resource_import_confirm", args=[old.pk]) not in page
    assert client.post(reverse("catalog:resource_import_confirm", args=[old.pk])).status_code == 302
    old.refresh_from_db()
    assert old.status == "failed" and not old.confirmed
    # A worker reaching the unrun job later finds nothing to run.
    assert import_job_run(job_id=unrun.pk).status == "failed"


def test_the_periodic_command_sweeps_catalog_jobs_too(people, media):
    job = make_job(people, status="running", lease_until=timezone.now() - timedelta(seconds=1))
    out = StringIO()
    call_command("import_jobs_sweep", stdout=out)
    assert "catalog_import_jobs_abandoned: 1" in out.getvalue().splitlines()
    job.refresh_from_db()
    assert job.status == "failed" and not job.file


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_a_worker_still_importing_is_not_swept_though_its_lease_ran_out(people, media, monkeypatch):
    """While it writes, the worker's row lock (taken by its last renewal), not its lease, counts."""
    data = workbook([resource_cells(people["department"])], [item_cells(2)])
    job = make_job(people, data, confirmed=True, status="queued")
    real_import = import_jobs.resources_import
    importing, release = threading.Event(), threading.Event()

    def slow_import(**kwargs):
        result = real_import(**kwargs)
        importing.set()
        release.wait(timeout=20)
        return result

    monkeypatch.setattr(import_jobs, "resources_import", slow_import)
    outcome: dict[str, object] = {}

    def work():
        try:
            outcome["job"] = import_job_run(job_id=job.pk)
        finally:
            connection.close()

    worker = threading.Thread(target=work)
    worker.start()
    try:
        assert importing.wait(timeout=20)
        counts = catalog_import_jobs_sweep(now=timezone.now() + timedelta(hours=1))
        assert counts["catalog_import_jobs_abandoned"] == 0
    finally:
        release.set()
        worker.join(timeout=30)
    job.refresh_from_db()
    assert job.status == "done" and job.result["created"] == 1
    assert Resource.objects.count() == 1
    assert not Notification.objects.exists()
