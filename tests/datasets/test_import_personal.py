"""Every upload run by the task worker looks at the values of items tagged "not personal".

A string column most of whose values are check-digit-valid ID numbers (or mobiles, bank cards)
is named in the job's result and on its page, and the finding is audited; the rows are stored all
the same. Tagged items, non-string items and look-alike values are not reported.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import Role
from audit.models import AuditEvent
from datasets import services
from datasets.models import DatasetRow, ImportJob

from .. import builders
from .conftest import citizen_id, csv_file

pytestmark = pytest.mark.django_db

HEADER = ["编号", "备注", "说明", "手机号", "数量"]


@pytest.fixture
def world():
    dept = builders.department("数据提供部门")
    editor = builders.user(dept, clearance=4, roles=(Role.STAFF, Role.EDITOR))
    resource = builders.resource(
        dept,
        level=3,
        items=[
            builders.item("编号", length=4, is_key=True),
            builders.item("备注", length=30, level=3),  # holds ID numbers, tagged not personal
            builders.item("说明", length=30),  # holds look-alikes with wrong check digits
            builders.item("手机号", length=11, level=3, kind="mobile"),  # tagged: fine
            builders.item("数量", data_type="I", length=12),
        ],
    )
    return editor, resource


def run(world, rows, capture) -> ImportJob:
    editor, resource = world
    with capture(execute=True):
        job = services.import_job_create(
            actor=editor, resource=resource, file=csv_file([HEADER, *rows])
        )
    job.refresh_from_db()
    return job


def rows(count: int, *, bad: bool = False) -> list[list[str]]:
    out = []
    for n in range(1, count + 1):
        valid = citizen_id(n)
        wrong = valid[:-1] + ("0" if valid[-1] != "0" else "1")
        out.append([f"{n:04d}", "x" if bad else valid, wrong, f"139{n:08d}", f"139{n:08d}"])
    return out


def test_personal_values_in_untagged_items_are_reported(
    world, client, django_capture_on_commit_callbacks
):
    editor, _resource = world
    job = run(world, rows(12), django_capture_on_commit_callbacks)
    assert job.status == ImportJob.Status.SUCCEEDED
    assert DatasetRow.objects.count() == 12  # stored all the same
    assert job.warnings == [{"column": "备注", "kind": "id_number", "min_level": 3}]
    event = AuditEvent.objects.get(action="data.personal_unflagged")
    assert event.details["columns"] == job.warnings and event.actor_id == editor.pk

    client.force_login(editor)
    page = client.get(reverse("datasets:data_job", args=[job.pk])).content.decode()
    assert 'id="personal-warnings"' in page
    assert "“备注”" in page
    assert "“说明”" not in page and "“手机号”" not in page and "“数量”" not in page


def test_a_clean_file_reports_nothing(world, client, django_capture_on_commit_callbacks):
    editor, _resource = world
    job = run(world, rows(5, bad=True), django_capture_on_commit_callbacks)
    assert job.status == ImportJob.Status.SUCCEEDED
    assert job.warnings == []
    assert not AuditEvent.objects.filter(action="data.personal_unflagged").exists()
    client.force_login(editor)
    page = client.get(reverse("datasets:data_job", args=[job.pk])).content.decode()
    assert 'id="personal-warnings"' not in page


def test_a_failed_import_reports_only_its_errors(world, django_capture_on_commit_callbacks):
    bad = rows(5)
    bad[2][4] = "not a number"
    job = run(world, bad, django_capture_on_commit_callbacks)
    assert job.status == ImportJob.Status.FAILED
    assert job.warnings == []
    assert not AuditEvent.objects.filter(action="data.personal_unflagged").exists()
