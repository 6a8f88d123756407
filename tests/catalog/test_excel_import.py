"""Importing workbooks: every problem by sheet, row and column; nothing changes until all is valid."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from accounts.models import Role
from audit.models import AuditEvent
from catalog import excel
from catalog.models import CatalogImportJob, Resource
from catalog.services.imports import resources_import
from tests import builders

from .maintenance_helpers import body, login

pytestmark = pytest.mark.django_db

# Session, user, the job, roles, the navigation badges (two, the editor's asking first whether
# they hold a delegation, so that it counts one department's drafts and not the city's) and the
# department: never per row.
QUERIES_JOB_PAGE = 8


@pytest.fixture
def people(db):
    department = builders.department("导入测试部门")
    other = builders.department("另一部门")
    coord_dept = builders.department("数据局")
    return {
        "department": department,
        "other": other,
        "editor": builders.user(department, clearance=3, roles=(Role.STAFF, Role.EDITOR)),
        "other_editor": builders.user(other, clearance=3, roles=(Role.STAFF, Role.EDITOR)),
        "staff": builders.user(department, clearance=3),
        "coordinator": builders.user(coord_dept, clearance=4, roles=(Role.STAFF, Role.COORDINATOR)),
    }


def resource_cells(department, **overrides) -> dict[str, object]:
    cells: dict[str, object] = {
        "category1": "1 基础信息资源",
        "category2": "102 法人单位",
        "name": "企业登记信息",
        "format": "数据库/PostgreSQL",
        "provider": department.name,
        "provider_code": department.uscc,
        "share_type": "有条件共享",
        "share_condition": "用于行政审批",
        "share_method": "共享平台-接口",
        "open": "否",
        "open_type": "不予开放",
        "summary": "企业登记的基本信息",
        "update_cycle": "每日",
        "secret": "非涉密",
        "level": "L2",
    }
    cells.update(overrides)
    return cells


def item_cells(row: int, **overrides) -> dict[str, object]:
    cells: dict[str, object] = {
        "row": row,
        "name": "统一社会信用代码",
        "data_type": "C",
        "length": 18,
        "level": "L1",
        "kind": "统一社会信用代码",
        "is_key": "是",
    }
    cells.update(overrides)
    return cells


def workbook(resources: list[dict], items: list[dict]) -> bytes:
    def row(columns, cells):
        return [cells.get(key, "") for key, _header in columns]

    return excel.workbook_bytes(
        [row(excel.RESOURCE_COLUMNS, r) for r in resources],
        [row(excel.ITEM_COLUMNS, i) for i in items],
    )


def test_editor_imports_drafts_of_their_department(people):
    dept = people["department"]
    data = workbook(
        [resource_cells(dept), resource_cells(dept, name="企业年报信息")],
        [
            item_cells(2),
            item_cells(3),
            item_cells(3, name="年报年度", data_type="N", length=4, kind="无", is_key="否"),
        ],
    )
    result = resources_import(actor=people["editor"], data=data)
    assert result.problems == []
    created = Resource.objects.order_by("name")
    assert [r.name for r in created] == ["企业年报信息", "企业登记信息"]
    assert all(r.status == "draft" and r.provider == dept and r.code is None for r in created)
    assert created[0].items.count() == 2
    assert AuditEvent.objects.filter(action="catalog.import").count() == 1


def test_a_file_with_errors_reports_each_by_row_and_column_and_changes_nothing(people):
    dept = people["department"]
    data = workbook(
        [
            resource_cells(dept),  # row 2: fine
            resource_cells(dept, name="名" * 51, share_type="有条件", level="L9"),  # row 3
            resource_cells(dept, share_type="不予共享", share_condition=""),  # row 4
            resource_cells(dept, provider_code=people["other"].uscc),  # row 5
            resource_cells(dept, secret="涉密", category2="999"),  # row 6
        ],
        [
            item_cells(2),
            item_cells(3),
            item_cells(4, level="L3"),  # above the resource's L2
            item_cells(5),
            item_cells(6),
            item_cells(9),  # no such resource row
            item_cells(2, name="注册资本", data_type="Q", length="abc", kind="无", is_key="否"),
        ],
    )
    before = AuditEvent.objects.count()
    result = resources_import(actor=people["editor"], data=data)
    found = {(p.sheet, p.row, p.column) for p in result.problems}
    assert {
        ("信息资源", 3, "共享类型"),
        ("信息资源", 3, "分级"),
        ("信息资源", 4, "共享条件"),
        ("信息资源", 5, "提供方代码"),
        ("信息资源", 6, "涉密属性"),
        ("信息资源", 6, "分类2"),
        ("信息项", 4, "分级"),
        ("信息项", 7, "资源行号"),
        ("信息项", 8, "数据长度"),
        ("信息项", 8, "数据类型"),
    } <= found, sorted(found)
    assert not any(p.row == 2 and p.sheet == "信息资源" for p in result.problems)
    assert any(p.row == 3 and "50" in p.message for p in result.problems)  # name length
    assert not Resource.objects.exists()
    assert AuditEvent.objects.count() == before


def test_editor_may_not_publish_or_import_for_others(people):
    dept = people["department"]
    data = workbook([resource_cells(dept)], [item_cells(2)])
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        resources_import(actor=people["editor"], data=data, publish=True)
    with pytest.raises(PermissionDenied):
        resources_import(actor=people["staff"], data=data)
    result = resources_import(actor=people["other_editor"], data=data)
    assert [(p.row, p.column) for p in result.problems] == [(2, "提供方代码")]
    assert not Resource.objects.exists()


def test_coordinator_imports_published_resources_for_any_department(people):
    data = workbook(
        [
            resource_cells(people["department"], code="102/000042"),
            resource_cells(people["other"], name="另一部门资源", related="102/000042"),
        ],
        [item_cells(2), item_cells(3)],
    )
    result = resources_import(actor=people["coordinator"], data=data, publish=True)
    assert result.problems == []
    kept = Resource.objects.get(code="102/000042")
    assert kept.status == "published" and kept.versions.count() == 1
    other = Resource.objects.get(name="另一部门资源")
    assert other.code == "102/000043"  # the sequence moved past the imported code
    assert list(other.related.all()) == [kept]
    assert other.versions.get().snapshot["related"] == ["102/000042"]
    # The same codes again: refused, nothing added.
    again = resources_import(actor=people["coordinator"], data=data, publish=True)
    assert ("信息资源", 2, "资源代码") in {(p.sheet, p.row, p.column) for p in again.problems}
    assert Resource.objects.count() == 2


def test_first_versions_name_related_codes_whatever_the_row_order(people):
    data = workbook(
        [
            resource_cells(people["department"], code="102/000007", related="102/000008"),
            resource_cells(people["other"], name="后一行资源", code="102/000008"),
        ],
        [item_cells(2), item_cells(3)],
    )
    result = resources_import(actor=people["coordinator"], data=data, publish=True)
    assert result.problems == []
    first = Resource.objects.get(code="102/000007")
    assert first.versions.get().snapshot["related"] == ["102/000008"]


def test_drafts_may_not_bring_codes(people):
    data = workbook([resource_cells(people["department"], code="102/000001")], [item_cells(2)])
    result = resources_import(actor=people["editor"], data=data)
    assert [(p.row, p.column) for p in result.problems] == [(2, "资源代码")]


def test_file_level_problems_are_clear(people, settings):
    editor = people["editor"]
    good = workbook([resource_cells(people["department"])], [item_cells(2)])
    settings.PORTAL_IMPORT_MAX_BYTES = 100
    too_big = resources_import(actor=editor, data=good)
    assert "MB" in too_big.problems[0].message
    settings.PORTAL_IMPORT_MAX_BYTES = 5 * 1024 * 1024
    not_xlsx = resources_import(actor=editor, data="名称,格式\n".encode())
    assert ".xlsx" in not_xlsx.problems[0].message
    truncated = resources_import(actor=editor, data=good[: len(good) // 2])
    assert len(truncated.problems) == 1
    assert "xlsx" in truncated.problems[0].message
    assert truncated.problems[0].message != not_xlsx.problems[0].message
    book = Workbook()
    book.active.append(["名称"])
    out = io.BytesIO()
    book.save(out)
    wrong_sheets = resources_import(actor=editor, data=out.getvalue())
    assert {p.sheet for p in wrong_sheets.problems} == {"信息资源", "信息项"}
    assert not Resource.objects.exists()


def test_zip_bomb_is_refused(people, settings):
    settings.PORTAL_IMPORT_MAX_BYTES = 50_000
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/big.xml", b"0" * 3_000_000)
    result = resources_import(actor=people["editor"], data=out.getvalue())
    assert result.problems and not Resource.objects.exists()


def test_formulas_in_an_upload_are_refused(people):
    data = workbook([resource_cells(people["department"], summary="=1+1")], [item_cells(2)])
    # workbook_bytes neutralised it; write a real formula cell instead.
    book = load_workbook(io.BytesIO(data))
    book["信息资源"]["Q2"] = '=HYPERLINK("http://evil","x")'
    out = io.BytesIO()
    book.save(out)
    result = resources_import(actor=people["editor"], data=out.getvalue())
    assert [(p.row, p.column) for p in result.problems] == [(2, "摘要")]


@pytest.fixture
def parses(monkeypatch):
    """Count the workbook parses (each runs in the limited child; the count is kept here)."""
    from catalog.services import imports

    calls: list[int] = []
    real = imports.parse_limited

    def counted(data, **kwargs):
        calls.append(len(data))
        return real(data, **kwargs)

    monkeypatch.setattr(imports, "parse_limited", counted)
    return calls


def run_worker(callbacks, settings) -> None:
    """Run what the request queued, as the task worker would (the immediate task backend)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    assert len(callbacks) == 1
    callbacks[0]()
    callbacks.clear()


def test_upload_is_parsed_by_the_worker_then_previewed_then_imported_on_confirm(
    client, people, settings, tmp_path, parses, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    login(client, people["editor"])
    data = workbook([resource_cells(people["department"])], [item_cells(2)])
    upload = SimpleUploadedFile("catalog.xlsx", data)
    with django_capture_on_commit_callbacks() as queued:
        response = client.post(reverse("catalog:resource_import"), {"file": upload})
    job = CatalogImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("catalog:resource_import_job", args=[job.pk])
    # The request stored the file and queued the job; it parsed nothing.
    assert parses == [] and job.status == "queued" and job.file
    page = client.get(response["Location"]).content.decode()
    assert '<meta http-equiv="refresh" content="2">' in page
    assert "import-preview" not in page

    run_worker(queued, settings)
    assert parses == [len(data)]
    response = client.get(reverse("catalog:resource_import_job", args=[job.pk]))
    page = response.content.decode()
    assert response.context["result"].ok and "http-equiv" not in page
    assert "企业登记信息" in page and "import-preview" in page  # the preview, as before
    assert not Resource.objects.exists()  # the preview imports nothing

    confirm = reverse("catalog:resource_import_confirm", args=[job.pk])
    assert confirm in page
    with django_capture_on_commit_callbacks() as queued:
        response = client.post(confirm)
    assert response["Location"] == reverse("catalog:resource_import_job", args=[job.pk])
    assert not Resource.objects.exists()  # nor does the confirmation, until the worker runs
    run_worker(queued, settings)
    assert Resource.objects.get().name == "企业登记信息"
    page = client.get(reverse("catalog:resource_import_job", args=[job.pk])).content.decode()
    assert "import-done" in page and reverse("catalog:resource_mine") in page
    # The stored upload is gone; confirming again imports nothing more.
    with django_capture_on_commit_callbacks() as queued:
        client.post(confirm)
    assert queued == [] and Resource.objects.count() == 1
    assert not any(tmp_path.joinpath("catalog-imports").iterdir())


def test_upload_with_errors_shows_them_and_offers_no_confirm(
    client, people, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    login(client, people["editor"])
    data = workbook([resource_cells(people["department"], level="L7")], [item_cells(2)])
    with django_capture_on_commit_callbacks() as queued:
        client.post(
            reverse("catalog:resource_import"), {"file": SimpleUploadedFile("c.xlsx", data)}
        )
    run_worker(queued, settings)
    job = CatalogImportJob.objects.get()
    html = client.get(reverse("catalog:resource_import_job", args=[job.pk])).content.decode()
    assert "L1, L2, L3" in html or "分级" in html
    assert "import-problems" in html
    confirm = reverse("catalog:resource_import_confirm", args=[job.pk])
    assert confirm not in html
    assert client.post(confirm).status_code == 302
    assert not Resource.objects.exists()
    assert not job.file or not any(tmp_path.joinpath("catalog-imports").iterdir())


def test_only_the_uploader_sees_or_confirms_an_import_job(
    client, people, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    login(client, people["editor"])
    data = workbook([resource_cells(people["department"])], [item_cells(2)])
    with django_capture_on_commit_callbacks() as queued:
        client.post(
            reverse("catalog:resource_import"), {"file": SimpleUploadedFile("c.xlsx", data)}
        )
    run_worker(queued, settings)
    job = CatalogImportJob.objects.get()
    page = reverse("catalog:resource_import_job", args=[job.pk])
    confirm = reverse("catalog:resource_import_confirm", args=[job.pk])
    for other in ("other_editor", "coordinator", "staff"):
        login(client, people[other])
        response = client.get(page)
        assert response.status_code == 404, other
        assert "企业登记信息" not in response.content.decode()
        assert client.post(confirm).status_code == 404, other
    job.refresh_from_db()
    assert not job.confirmed and not Resource.objects.exists()


def test_the_job_page_costs_a_fixed_number_of_queries(
    client,
    people,
    settings,
    tmp_path,
    django_capture_on_commit_callbacks,
    django_assert_num_queries,
):
    settings.MEDIA_ROOT = tmp_path
    login(client, people["editor"])
    rows = [resource_cells(people["department"], name=f"企业登记信息{n}") for n in range(3)]
    data = workbook(rows, [item_cells(2), item_cells(3), item_cells(4)])
    with django_capture_on_commit_callbacks() as queued:
        client.post(
            reverse("catalog:resource_import"), {"file": SimpleUploadedFile("c.xlsx", data)}
        )
    job = CatalogImportJob.objects.get()
    page = reverse("catalog:resource_import_job", args=[job.pk])
    client.get(page)  # warm the session and the navigation caches
    with django_assert_num_queries(QUERIES_JOB_PAGE):
        assert client.get(page).status_code == 200  # pending
    run_worker(queued, settings)
    with django_assert_num_queries(QUERIES_JOB_PAGE):
        response = client.get(page)  # the preview of three rows: the same queries as one
    assert len(response.context["result"].rows) == 3


def test_a_job_whose_worker_died_stops_refreshing_and_says_so(client, people, settings, tmp_path):
    from datetime import timedelta

    from django.utils import timezone

    settings.MEDIA_ROOT = tmp_path
    settings.PORTAL_PARSE_CPU_SECONDS = 10
    login(client, people["editor"])
    job = CatalogImportJob.objects.create(
        created_by=people["editor"], file_name="c.xlsx", status="running", started_at=timezone.now()
    )
    page = reverse("catalog:resource_import_job", args=[job.pk])
    with translation.override("en"):
        html = client.get(page, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "http-equiv" in html  # still within the parse's time: the page waits
    # 10 s of CPU: the child is stopped within 3 × 10 + 10 s; past that and a margin, it died.
    job.started_at = timezone.now() - timedelta(seconds=40 + 601)
    job.save(update_fields=["started_at"])
    html = client.get(page, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "http-equiv" not in html
    assert "stopped answering" in html or "停止响应" in html


def test_a_workbook_beyond_the_memory_limit_is_one_clear_problem(people, settings, monkeypatch):
    from catalog import excel as catalog_excel

    real = catalog_excel.parse_workbook

    def greedy(data, **kwargs):
        ballast = bytearray(512 << 20)
        ballast[-1] = 1
        return real(data, **kwargs)

    monkeypatch.setattr(catalog_excel, "parse_workbook", greedy)
    settings.PORTAL_PARSE_MEMORY_BYTES = 48 << 20
    data = workbook([resource_cells(people["department"])], [item_cells(2)])
    with translation.override("en"):
        result = resources_import(actor=people["editor"], data=data)
    assert [(p.sheet, p.row) for p in result.problems] == [("", None)]
    assert "too much memory" in result.problems[0].message
    assert not Resource.objects.exists()


def test_upload_form_rejects_oversize_and_wrong_extension(client, people, settings):
    login(client, people["editor"])
    settings.PORTAL_IMPORT_MAX_BYTES = 10
    response = client.post(
        reverse("catalog:resource_import"), {"file": SimpleUploadedFile("c.xlsx", b"x" * 11)}
    )
    assert response.context["form"].errors["file"]
    settings.PORTAL_IMPORT_MAX_BYTES = 1000
    response = client.post(
        reverse("catalog:resource_import"), {"file": SimpleUploadedFile("c.csv", b"a,b")}
    )
    assert response.context["form"].errors["file"]


def test_import_pages_refuse_staff(client, people):
    login(client, people["staff"])
    assert client.get(reverse("catalog:resource_import")).status_code == 403


def test_template_download_has_one_example_that_imports(client, people):
    login(client, people["editor"])
    response = client.get(reverse("catalog:resource_import_template"))
    data = body(response)
    book = load_workbook(io.BytesIO(data))
    assert [c.value for c in book["信息资源"][1]][:20] == [
        "分类1",
        "分类2",
        "分类3",
        "分类4",
        "名称",
        "格式",
        "提供方",
        "提供方代码",
        "资源代码",
        "共享类型",
        "共享条件",
        "共享方式",
        "发布日期",
        "是否向社会开放",
        "开放类型",
        "所属系统",
        "摘要",
        "更新周期",
        "关联资源代码",
        "涉密属性",
    ]
    assert book["信息资源"].max_row == 2
    result = resources_import(actor=people["editor"], data=data, dry_run=True)
    assert result.problems == [] and len(result.rows) == 1
    assert not Resource.objects.exists()
