"""Service items: materials obtainable by sharing, visibility of linked resources, XLSX import."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import Workbook

from accountability.excel import SERVICE_COLUMNS, SERVICE_SHEET
from accountability.models import ServiceItem, ServiceMaterial
from accountability.selectors.service_items import service_item_detail
from accounts.models import Level
from audit.models import AuditEvent
from tests import builders


@pytest.fixture
def item(city):
    r = city.resources
    unconditional = builders.resource(city.b, share_type="unconditional", name="营业执照信息")
    secret = builders.resource(
        city.b,
        share_type="conditional",
        level=Level.L4,
        name="敏感户籍信息",
        catalog_scope="cleared",  # its existence is sensitive: hidden below L4
    )
    not_shared = builders.resource(city.b, share_type="none", name="不予共享信息")
    draft = builders.resource(city.b, status="draft", name="未发布信息")
    service = ServiceItem.objects.create(
        code="340100-XK-0001", name="企业设立登记", department=city.a
    )
    for position, (name, resource) in enumerate(
        [
            ("营业执照", unconditional),
            ("户口簿", secret),
            ("完税证明", r["res_r1"]),  # conditional, published
            ("不予共享材料", not_shared),
            ("草稿材料", draft),
            ("申请书", None),
        ]
    ):
        ServiceMaterial.objects.create(
            item=service, position=position, name=name, resource=resource
        )
    service.produces.add(r["daily_on_time"], secret)
    return service


def test_materials_obtainable_and_still_required(city, item):
    rows, produced = service_item_detail(user=city.users["b_staff"], item=item)
    status = {row.material.name: row.status for row in rows}
    assert status == {
        "营业执照": "unconditional",
        "户口簿": "conditional",
        "完税证明": "conditional",
        "不予共享材料": "not_shared",
        "草稿材料": "not_published",
        "申请书": "not_linked",
    }
    assert {row.material.name for row in rows if row.obtainable} == {
        "营业执照",
        "户口簿",
        "完税证明",
    }
    assert all(ref.visible for ref in produced)
    low = builders.user(city.c, clearance=Level.L1)
    _rows, produced = service_item_detail(user=low, item=item)
    hidden = [ref for ref in produced if not ref.visible]
    assert [(ref.name, ref.code, ref.pk, ref.provider) for ref in hidden] == [
        ("", "", None, city.b)
    ]


def test_a_resource_the_viewer_may_not_see_shows_only_its_department(client, city, item):
    low = builders.user(city.c, clearance=Level.L1)
    client.force_login(low)
    page = client.get(
        reverse("accountability:service_item_detail", args=[item.pk])
    ).content.decode()
    assert "户口簿" in page  # the material itself is public
    assert "敏感户籍信息" not in page  # the L4 resource's name is not
    assert f"{city.b.name}" in page
    assert "营业执照信息" in page
    # A draft of another department does not exist for the viewer either.
    assert "未发布信息" not in page
    client.force_login(city.users["b_staff"])  # L4 of the providing department sees all
    page = client.get(
        reverse("accountability:service_item_detail", args=[item.pk])
    ).content.decode()
    assert "敏感户籍信息" in page and "未发布信息" in page


@pytest.mark.parametrize("user_key", ["a_staff", "b_staff", "c_staff", "coordinator", "auditor"])
def test_every_signed_in_user_sees_the_lists(client, city, item, user_key):
    client.force_login(city.users[user_key])
    page = client.get(reverse("accountability:service_item_list"))
    assert page.status_code == 200
    assert item in page.context["page_obj"]
    listed = next(i for i in page.context["page_obj"] if i.pk == item.pk)
    assert (listed.material_count, listed.obtainable_count) == (6, 3)
    assert (
        client.get(reverse("accountability:service_item_detail", args=[item.pk])).status_code == 200
    )


def test_anonymous_and_missing_items(client, city, item):
    assert client.get(reverse("accountability:service_item_list")).status_code == 302
    client.force_login(city.users["a_staff"])
    assert (
        client.get(reverse("accountability:service_item_detail", args=[999999])).status_code == 404
    )


def _workbook(rows, header=None) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.title = SERVICE_SHEET
    sheet.append(header or [h for _k, h in SERVICE_COLUMNS])
    for row in rows:
        sheet.append(row)
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    data.name = "items.xlsx"
    return data


def test_import_previews_then_stores_on_confirmation(client, city):
    code = city.resources["res_r1"].code
    produced = city.resources["daily_on_time"].code
    client.force_login(city.users["coordinator"])
    url = reverse("accountability:service_item_import")
    upload = _workbook(
        [
            ["X-1", "企业设立登记", "政务服务事项", city.a.name, "营业执照", code, produced],
            ["X-1", "", "", "", "申请书", "", ""],
            ["X-2", "食品经营许可", "权力事项", city.b.uscc, "", "", ""],
        ]
    )
    preview = client.post(url, {"file": upload})
    assert preview.status_code == 200
    assert not ServiceItem.objects.exists()  # nothing stored before confirmation
    payload = preview.context["payload"]
    assert [p.code for p in preview.context["planned"]] == ["X-1", "X-2"]
    response = client.post(url, {"payload": payload})
    assert response.status_code == 302
    item = ServiceItem.objects.get(code="X-1")
    assert [(m.name, m.resource_id) for m in item.materials.all()] == [
        ("营业执照", city.resources["res_r1"].pk),
        ("申请书", None),
    ]
    assert list(item.produces.all()) == [city.resources["daily_on_time"]]
    assert ServiceItem.objects.get(code="X-2").kind == "power"
    assert AuditEvent.objects.filter(action="service_item.import").count() == 1


def test_import_reports_row_and_column_and_stores_nothing(client, city):
    client.force_login(city.users["coordinator"])
    url = reverse("accountability:service_item_import")
    upload = _workbook(
        [
            ["X-1", "企业设立登记", "奇怪类型", "不存在的局", "营业执照", "999999/000001", ""],
            ["", "缺编码", "", city.a.name, "", "", ""],
            ["X-3", "", "", city.a.name, "", "", ""],
        ]
    )
    response = client.post(url, {"file": upload})
    problems = [(p.row, p.column, letter) for p, letter in response.context["problems"]]
    assert (2, "事项类型", "C") in problems
    assert (2, "实施部门", "D") in problems
    assert (3, "事项编码", "A") in problems
    assert (4, "事项名称", "B") in problems
    assert not response.context["payload"]
    assert not ServiceItem.objects.exists()


def test_import_refuses_codes_above_the_importers_clearance_like_unknown_ones(client, city):
    secret = builders.resource(city.b, level=Level.L4, catalog_scope="cleared")
    coordinator = city.users["coordinator"]
    coordinator.clearance = Level.L3
    coordinator.save()
    client.force_login(coordinator)
    upload = _workbook([["X-9", "事项", "", city.a.name, "材料", secret.code, ""]])
    response = client.post(reverse("accountability:service_item_import"), {"file": upload})
    messages = [p.message for p, _letter in response.context["problems"]]
    assert any(secret.code in m for m in messages)
    assert not ServiceItem.objects.exists()


def test_a_tampered_or_wrong_file_changes_nothing(client, city):
    client.force_login(city.users["coordinator"])
    url = reverse("accountability:service_item_import")
    response = client.post(url, {"payload": "forged"})
    assert response.status_code == 302
    bad = io.BytesIO(b"not a workbook")
    bad.name = "x.xlsx"
    response = client.post(url, {"file": bad})
    assert response.context["problems"]
    response = client.post(url, {"file": _workbook([["X"]], header=["错误表头"])})
    assert response.context["problems"]
    assert not ServiceItem.objects.exists()


def test_a_workbook_whose_parse_exceeds_the_memory_limit_is_refused(
    client, city, settings, monkeypatch
):
    from django.utils import translation

    from accountability import excel

    real = excel.parse_service_workbook

    def greedy(data, **kwargs):
        ballast = bytearray(512 << 20)  # the limit below is 48 MiB
        ballast[-1] = 1
        return real(data, **kwargs)

    monkeypatch.setattr(excel, "parse_service_workbook", greedy)
    settings.PORTAL_PARSE_MEMORY_BYTES = 48 << 20
    client.force_login(city.users["coordinator"])
    upload = _workbook([["X-1", "企业设立登记", "政务服务事项", city.a.name, "", "", ""]])
    with translation.override("en"):
        response = client.post(
            reverse("accountability:service_item_import"),
            {"file": upload},
            HTTP_ACCEPT_LANGUAGE="en",
        )
    messages = [p.message for p, _letter in response.context["problems"]]
    assert len(messages) == 1 and "too much memory" in messages[0]
    assert not response.context["payload"] and not ServiceItem.objects.exists()


@pytest.mark.parametrize("user_key", ["a_admin", "a_staff", "auditor"])
def test_only_the_coordinator_imports(client, city, user_key):
    client.force_login(city.users[user_key])
    assert client.get(reverse("accountability:service_item_import")).status_code == 404
    assert client.get(reverse("accountability:service_item_template")).status_code == 404
