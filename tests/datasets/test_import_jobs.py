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


# --- parsing under the CPU and memory limits (kernel/sandbox.py) ---------------------------------


def test_a_typed_workbook_keeps_its_cell_types_through_the_parsing_child(
    world, django_capture_on_commit_callbacks
):
    from datetime import datetime

    from tests.datasets.conftest import xlsx_file

    _dept, editor, resource = world
    row: list[object] = list(valid_row(1))
    # Native cells, as Excel stores them: the child hands them over typed, not as their text.
    row[HEADER.index("注册资本")] = 1000.5
    row[HEADER.index("人数")] = 7
    row[HEADER.index("成立日期")] = datetime(2020, 1, 31)
    row[HEADER.index("更新时间")] = datetime(2024, 5, 1, 8, 30)
    # Read in this process, as before the child existed: the reference.
    direct = services.dataset_upload(actor=editor, resource=resource, file=xlsx_file([HEADER, row]))
    expected = DatasetRow.objects.get(version=direct).data
    with django_capture_on_commit_callbacks(execute=True):
        job = services.import_job_create(
            actor=editor, resource=resource, file=xlsx_file([HEADER, row])
        )
    job.refresh_from_db()
    assert job.status == ImportJob.Status.SUCCEEDED, job.errors
    assert DatasetRow.objects.get(version=job.version).data == expected
    assert "1000.50" in expected and "7" in expected and any("2020" in str(v) for v in expected)


def _greedy_reader(monkeypatch):
    """Make the data reader allocate far beyond the test's memory limit before it reads."""
    from datasets import readers

    real = readers.read_table

    def greedy(file, name):
        ballast = bytearray(512 << 20)  # 512 MiB; the limit below is 48 MiB
        ballast[-1] = 1
        return real(file, name)

    monkeypatch.setattr(readers, "read_table", greedy)


def test_a_parse_beyond_the_memory_limit_fails_the_job_and_keeps_the_version(
    world, django_capture_on_commit_callbacks, monkeypatch, settings
):
    from datasets.models import DatasetVersion

    settings.PORTAL_PARSE_MEMORY_BYTES = 48 << 20
    first = run_job(world, [valid_row(1), valid_row(2)], django_capture_on_commit_callbacks)
    assert first.status == ImportJob.Status.SUCCEEDED
    _greedy_reader(monkeypatch)
    job = run_job(world, [valid_row(n) for n in range(3, 9)], django_capture_on_commit_callbacks)
    assert job.status == ImportJob.Status.FAILED
    assert job.error_count == 1
    assert "内存" in job.errors[0]["message"]  # "took too much memory", in the user's language
    assert job.version is None and not job.file
    active = DatasetVersion.objects.get(
        resource=first.resource, status=DatasetVersion.Status.ACTIVE
    )
    assert active == first.version and DatasetRow.objects.filter(version=active).count() == 2
    assert DatasetVersion.objects.count() == 1  # nothing of the refused file was stored


def test_a_job_whose_uploader_is_gone_fails_without_being_parsed(world, monkeypatch):
    from datasets.services import versions

    parsed: list[str] = []
    real = versions.parse_limited

    def counted(file, name, **kwargs):
        parsed.append(name)
        return real(file, name, **kwargs)

    monkeypatch.setattr(versions, "parse_limited", counted)
    _dept, editor, resource = world
    job = services.import_job_create(
        actor=editor, resource=resource, file=csv_file([HEADER, valid_row(1)])
    )  # queued on commit, which the test's transaction never reaches: the worker runs it below
    ImportJob.objects.filter(pk=job.pk).update(created_by=None)  # the account was deleted
    job = services.import_job_run(job_id=job.pk)
    assert job.status == ImportJob.Status.FAILED and job.error_count == 1
    assert parsed == [] and not DatasetRow.objects.exists()
    # The same job with its uploader is parsed once (not once per pass, as before the child).
    again = services.import_job_create(
        actor=editor, resource=resource, file=csv_file([HEADER, valid_row(1)])
    )
    assert services.import_job_run(job_id=again.pk).status == ImportJob.Status.SUCCEEDED
    assert parsed == ["data.csv"]
