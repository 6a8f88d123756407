"""The Excel catalog import warns of items that look like personal data but are tagged "not
personal"; it imports drafts all the same, and refuses to publish them at once."""

from __future__ import annotations

import pytest
from django.urls import reverse

from catalog.models import CatalogImportJob, Resource
from catalog.services import import_jobs
from catalog.services.imports import resources_import

from .maintenance_helpers import login
from .test_excel_import import (  # noqa: F401
    item_cells,
    people,
    resource_cells,
    run_worker,
    workbook,
)

pytestmark = pytest.mark.django_db


def book(department) -> bytes:
    return workbook(
        [resource_cells(department)],
        [
            item_cells(2),
            item_cells(2, name="法定代表人身份证号", kind="无", level="L2", is_key="否"),
            item_cells(2, name="企业名称", kind="无", level="L1", is_key="否"),
        ],
    )


def test_drafts_are_imported_with_a_warning_per_item(people):  # noqa: F811
    result = resources_import(actor=people["editor"], data=book(people["department"]))
    assert result.ok
    assert [(w.sheet, w.row, w.column) for w in result.warnings] == [("信息项", 3, "个人信息类型")]
    assert "法定代表人身份证号" in result.warnings[0].message
    resource = Resource.objects.get(name="企业登记信息")
    assert resource.status == Resource.Status.DRAFT


def test_a_publishing_import_refuses_them(people):  # noqa: F811
    result = resources_import(
        actor=people["coordinator"], data=book(people["department"]), publish=True
    )
    assert not result.ok
    assert any("法定代表人身份证号" in p.message for p in result.problems)
    assert not Resource.objects.exists()


def test_the_preview_page_shows_the_warnings(
    client,
    people,  # noqa: F811
    settings,
    tmp_path,
    django_capture_on_commit_callbacks,
):
    settings.MEDIA_ROOT = tmp_path
    editor = people["editor"]
    with django_capture_on_commit_callbacks() as queued:
        job = import_jobs.import_job_create(actor=editor, file=_upload(book(people["department"])))
    run_worker(queued, settings)
    job = CatalogImportJob.objects.get(pk=job.pk)
    result = import_jobs.job_result(job)
    assert result is not None and len(result.warnings) == 1
    login(client, editor)
    page = client.get(reverse("catalog:resource_import_job", args=[job.pk])).content.decode()
    assert 'id="personal-warnings"' in page and "法定代表人身份证号" in page
    assert "企业名称”" not in page


def _upload(data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("catalog.xlsx", data)
