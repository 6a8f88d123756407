"""Rows appended or upserted in place profile the active version again, queued once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from datasets import services
from datasets.models import DatasetVersion, VersionQuality
from datasets.tasks import version_profile_task
from datasets.validation import DatasetInvalid
from sharing.models import Notification

from .conftest import MATRIX_HEADER, citizen_id, csv_file

pytestmark = pytest.mark.django_db

GOOD = [[f"B{n:03d}", f"名称{n % 3}", citizen_id(n)] for n in range(1, 11)]
LONG_AGO = timezone.now() - dt.timedelta(days=3)


def _upload(matrix, resource, rows, capture):
    with capture(execute=True):
        return services.dataset_upload(
            actor=matrix.users["prov_editor_4"],
            resource=resource,
            file=csv_file([MATRIX_HEADER, *rows]),
        )


def _push(matrix, resource, rows, capture, *, mode="append", batch_id="b1"):
    with capture(execute=True):
        return services.dataset_push(
            actor=matrix.users["prov_editor_4"],
            resource=resource,
            rows=[dict(zip(MATRIX_HEADER, row, strict=True)) for row in rows],
            mode=mode,
            batch_id=batch_id,
        )


def _backdate(version: DatasetVersion) -> None:
    VersionQuality.objects.filter(version=version).update(profiled_at=LONG_AGO)


def _quality(version: DatasetVersion) -> VersionQuality:
    return VersionQuality.objects.get(version=version)


def test_an_append_profiles_the_active_version_again(matrix, django_capture_on_commit_callbacks):
    resource = matrix.resources["pub_cond_3"]
    version = _upload(matrix, resource, GOOD, django_capture_on_commit_callbacks)
    assert _quality(version).row_count == 10
    _backdate(version)

    added = [[f"C{n:03d}", "", citizen_id(n + 20)] for n in range(1, 11)]
    result = _push(matrix, resource, added, django_capture_on_commit_callbacks)

    assert result["version"] == version.number  # the same version, in place
    quality = _quality(version)
    assert quality.row_count == 20
    assert next(i for i in quality.items if i["name"] == "名称")["completeness"] == 0.5
    assert quality.profiled_at > LONG_AGO  # the page and the API show when it was computed


def test_an_upsert_profiles_the_active_version_again(matrix, django_capture_on_commit_callbacks):
    resource = matrix.resources["pub_cond_3"]
    version = _upload(matrix, resource, GOOD, django_capture_on_commit_callbacks)
    _backdate(version)

    # Five existing keys lose their name: same rows, completeness of 名称 halves.
    emptied = [[key, "", number] for key, _name, number in GOOD[:5]]
    result = _push(matrix, resource, emptied, django_capture_on_commit_callbacks, mode="upsert")

    assert result["updated"] == 5
    quality = _quality(version)
    assert quality.row_count == 10
    assert next(i for i in quality.items if i["name"] == "名称")["completeness"] == 0.5
    assert quality.profiled_at > LONG_AGO


def test_a_failed_push_profiles_nothing(matrix, django_capture_on_commit_callbacks):
    resource = matrix.resources["pub_cond_3"]
    version = _upload(matrix, resource, GOOD, django_capture_on_commit_callbacks)
    _backdate(version)
    with pytest.raises(DatasetInvalid):
        _push(matrix, resource, [GOOD[0]], django_capture_on_commit_callbacks)  # key stored
    assert _quality(version).profiled_at == LONG_AGO


def test_a_profile_waiting_in_the_queue_is_not_queued_twice(
    matrix, django_capture_on_commit_callbacks, settings
):
    resource = matrix.resources["pub_cond_3"]
    version = _upload(matrix, resource, GOOD, django_capture_on_commit_callbacks)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    def waiting() -> list[DBTaskResult]:
        return [
            r
            for r in DBTaskResult.objects.filter(
                task_path=version_profile_task.module_path, status=TaskResultStatus.READY
            )
            if r.args_kwargs["kwargs"] == {"version_id": version.pk}
        ]

    for n in range(3):
        row = [[f"D{n:03d}", "名称", citizen_id(n + 40)]]
        _push(matrix, resource, row, django_capture_on_commit_callbacks, batch_id=f"d{n}")
    assert len(waiting()) == 1

    # Once the worker has started it, it may have read the rows before the next push: the
    # next push queues one more.
    started = waiting()[0].pk
    DBTaskResult.objects.filter(pk=started).update(status=TaskResultStatus.RUNNING)
    row = [["E001", "名称", citizen_id(60)]]
    _push(matrix, resource, row, django_capture_on_commit_callbacks, batch_id="e1")
    assert [r.pk for r in waiting()] != [started]
    assert len(waiting()) == 1


def test_a_drop_by_appended_rows_warns_once(matrix, django_capture_on_commit_callbacks):
    resource = matrix.resources["pub_cond_3"]
    _upload(matrix, resource, GOOD, django_capture_on_commit_callbacks)
    _upload(matrix, resource, GOOD, django_capture_on_commit_callbacks)

    def warnings() -> int:
        return Notification.objects.filter(
            kind=Notification.Kind.RESOURCE_QUALITY_DROP,
            recipient=matrix.users["prov_editor_4"],
        ).count()

    assert warnings() == 0
    blank = [[f"F{n:03d}", "", citizen_id(n + 70)] for n in range(1, 11)]
    _push(matrix, resource, blank, django_capture_on_commit_callbacks)
    assert warnings() == 1  # the version in use is now worse than the one before it
    more = [[f"G{n:03d}", "", citizen_id(n + 90)] for n in range(1, 6)]
    _push(matrix, resource, more, django_capture_on_commit_callbacks, batch_id="b2")
    assert warnings() == 1  # still worse: the same drop, told once
