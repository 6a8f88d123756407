"""Large files go through the task worker: a job with progress and the same all-or-nothing rule."""

from __future__ import annotations

import pytest

from datasets import services
from datasets.models import DatasetRow, ImportJob

from .conftest import csv_file
from .typed import HEADER, typed_world, valid_row

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return typed_world()


def run_job(world, rows, django_capture_on_commit_callbacks) -> ImportJob:
    _dept, editor, resource = world
    with django_capture_on_commit_callbacks(execute=True):
        job = services.import_job_create(
            actor=editor, resource=resource, file=csv_file([HEADER, *rows])
        )
    job.refresh_from_db()
    return job


def test_a_good_file_is_imported_by_the_worker(world, django_capture_on_commit_callbacks):
    job = run_job(world, [valid_row(n) for n in range(1, 26)], django_capture_on_commit_callbacks)
    assert job.status == ImportJob.Status.SUCCEEDED
    assert job.rows_processed == 25
    assert job.task_id
    assert job.version is not None and job.version.row_count == 25
    assert DatasetRow.objects.count() == 25
    assert not job.file  # the uploaded file is not kept once its rows are stored


def test_a_bad_file_fails_with_its_report(world, django_capture_on_commit_callbacks):
    rows = [valid_row(n) for n in range(1, 26)]
    rows[10][HEADER.index("人数")] = "x"
    job = run_job(world, rows, django_capture_on_commit_callbacks)
    assert job.status == ImportJob.Status.FAILED
    assert job.error_count == 1
    assert (job.errors[0]["row"], job.errors[0]["column"]) == (12, "人数")
    assert not DatasetRow.objects.exists()


def test_a_finished_job_is_not_run_twice(world, django_capture_on_commit_callbacks):
    job = run_job(world, [valid_row(1)], django_capture_on_commit_callbacks)
    services.import_job_run(job_id=job.pk)
    assert DatasetRow.objects.count() == 1


def test_an_unexpected_failure_marks_the_job_failed(
    world, django_capture_on_commit_callbacks, monkeypatch
):
    def broken(**kwargs):
        raise RuntimeError("disk gone")

    monkeypatch.setattr("datasets.services.uploads.dataset_upload", broken)
    _dept, editor, resource = world
    # The task backend records the exception as the task's failure; the job says so too.
    with django_capture_on_commit_callbacks(execute=True):
        services.import_job_create(
            actor=editor, resource=resource, file=csv_file([HEADER, valid_row(1)])
        )
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED and job.error_count == 1
