"""The information system registry: who sees, registers, edits and retires which systems."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Department, Role
from audit.models import AuditEvent
from catalog import services
from catalog.models import InformationSystem

from .. import builders
from ..builders import system as make_system
from .maintenance_helpers import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def systems(matrix):
    prov, other = matrix.departments["prov"], matrix.departments["other"]
    active = make_system(prov, "提供方业务系统")
    retired = make_system(prov, "提供方旧系统", status=InformationSystem.Status.RETIRED)
    other_active = make_system(other, "其他部门系统")
    draft = make_system(prov, "提供方草稿系统", status=InformationSystem.Status.DRAFT)
    filed = make_system(other, "其他部门待批系统", status=InformationSystem.Status.FILED)
    returned = make_system(prov, "提供方退回系统", status=InformationSystem.Status.RETURNED)
    return {
        "active": active,
        "retired": retired,
        "other": other_active,
        "draft": draft,
        "filed": filed,
        "returned": returned,
    }


def _expect_visible(matrix, user_key: str, system_key: str) -> bool:
    spec = matrix.user_specs[user_key]
    if Role.COORDINATOR in spec.roles:
        return True
    if system_key in ("retired", "draft", "returned"):
        return spec.department == "prov"
    if system_key == "filed":
        return spec.department == "other"
    return True


def test_list_and_detail_follow_the_visibility_rule(client, matrix, systems):
    for user_key, user in matrix.users.items():
        if not user.is_active:
            continue
        login(client, user)
        listed = {s.pk for s, _n in client.get(reverse("catalog:system_list")).context["rows"]}
        for key, system in systems.items():
            expected = _expect_visible(matrix, user_key, key)
            assert (system.pk in listed) == expected, (user_key, key)
            status = client.get(reverse("catalog:system_detail", args=[system.pk])).status_code
            assert status == (200 if expected else 404), (user_key, key)


def test_detail_lists_only_visible_resources(client, matrix, systems):
    from catalog.models import Resource

    low = matrix.resources["pub_unc_1"]
    high = matrix.resources["cleared_cond_3"]  # only users cleared for L3 see the entry
    Resource.objects.filter(pk__in=[low.pk, high.pk]).update(source_system=systems["active"])
    login(client, matrix.users["cons_staff_1"])
    response = client.get(reverse("catalog:system_detail", args=[systems["active"].pk]))
    assert list(response.context["page_obj"]) == [low]
    assert high.name not in response.content.decode()
    rows = dict((s.pk, n) for s, n in client.get(reverse("catalog:system_list")).context["rows"])
    assert rows[systems["active"].pk] == 1
    login(client, matrix.users["coordinator_4"])
    response = client.get(reverse("catalog:system_detail", args=[systems["active"].pk]))
    assert set(response.context["page_obj"]) == {low, high}


@pytest.mark.parametrize(
    ("user_key", "expected"),
    [
        ("prov_editor_4", 200),
        ("prov_admin_3", 200),
        ("coordinator_4", 200),
        ("prov_staff_4", 403),
        ("prov_approver_4", 403),
        ("other_editor_3", 403),
        ("cons_staff_4", 403),
    ],
)
def test_edit_page_access(client, matrix, systems, user_key, expected):
    login(client, matrix.users[user_key])
    url = reverse("catalog:system_edit", args=[systems["active"].pk])
    assert client.get(url).status_code == expected
    response = client.post(
        url, {"name": "改名", "purpose": "", "project_name": "项目", "funding_stage": "operation"}
    )
    systems["active"].refresh_from_db()
    if expected == 200:
        assert response.status_code == 302 and systems["active"].name == "改名"
    else:
        assert response.status_code == 403 and systems["active"].name == "提供方业务系统"


def test_other_departments_cannot_even_see_a_retired_system(client, matrix, systems):
    login(client, matrix.users["other_editor_3"])
    url = reverse("catalog:system_retire", args=[systems["retired"].pk])
    assert client.post(url).status_code == 404


def test_register_file_approve_retire_flow(client, matrix, systems):
    login(client, matrix.users["prov_editor_4"])
    response = client.post(
        reverse("catalog:system_create"),
        {"name": "新系统", "purpose": "审批", "project_name": "", "funding_stage": "construction"},
    )
    system = InformationSystem.objects.get(name="新系统")
    assert response.status_code == 302 and system.department == matrix.departments["prov"]
    assert system.status == "draft" and system.code is None
    # Filing needs the project's name.
    client.post(reverse("catalog:system_file", args=[system.pk]))
    system.refresh_from_db()
    assert system.status == "draft"
    services.system_update(
        actor=matrix.users["prov_editor_4"],
        system=system,
        name="新系统",
        project_name="审批系统建设项目",
        funding_stage="construction",
    )
    client.post(reverse("catalog:system_file", args=[system.pk]))
    system.refresh_from_db()
    assert system.status == "filed" and system.filed_by == matrix.users["prov_editor_4"]
    # The department cannot approve its own filing, nor retire it before approval.
    assert client.post(reverse("catalog:system_approve", args=[system.pk])).status_code == 403
    client.post(reverse("catalog:system_retire", args=[system.pk]))
    system.refresh_from_db()
    assert system.status == "filed"
    login(client, matrix.users["coordinator_4"])
    client.post(reverse("catalog:system_approve", args=[system.pk]))
    system.refresh_from_db()
    assert system.status == "approved" and system.code and len(system.code) == 18
    login(client, matrix.users["prov_editor_4"])
    client.post(reverse("catalog:system_retire", args=[system.pk]))
    system.refresh_from_db()
    assert system.status == "retired"
    with pytest.raises(ValidationError):
        services.system_update(actor=matrix.users["prov_editor_4"], system=system, name="Y")
    system.refresh_from_db()
    assert system.name == "新系统"
    actions = list(
        AuditEvent.objects.filter(object_id=str(system.pk), object_type="catalog.informationsystem")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "system.register",
        "system.update",
        "system.file",
        "system.approve",
        "system.retire",
    ]


def test_staff_may_not_register(client, matrix):
    login(client, matrix.users["prov_staff_4"])
    assert client.get(reverse("catalog:system_create")).status_code == 403
    with pytest.raises(PermissionDenied):
        services.system_retire(
            actor=matrix.users["prov_staff_4"],
            system=make_system(matrix.departments["prov"], "X"),
        )


def test_coordinator_registers_for_any_department(client, matrix):
    login(client, matrix.users["coordinator_4"])
    response = client.post(
        reverse("catalog:system_create"),
        {
            "name": "协调登记",
            "purpose": "",
            "project_name": "",
            "funding_stage": "initiation",
            "department": matrix.departments["other"].pk,
        },
    )
    assert response.status_code == 302
    created = InformationSystem.objects.get(name="协调登记")
    assert created.department == matrix.departments["other"] and created.status == "draft"


def _system(name: str, **extra) -> dict:
    return {"name": name, "purpose": "", "project_name": "", "funding_stage": "initiation", **extra}


def test_the_owner_department_is_typed_not_picked_from_every_department(client, matrix):
    login(client, matrix.users["coordinator_4"])
    url = reverse("catalog:system_create")
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        page = client.get(url).content.decode()
    assert 'name="department"' in page and '<select name="department"' not in page
    for key in ("prov", "cons", "other"):
        assert matrix.departments[key].name not in page
    for n in range(12):
        builders.department(f"新设局{n}")
    with CaptureQueriesContext(connection) as large:
        page = client.get(url).content.decode()
    assert len(large.captured_queries) == len(small.captured_queries)
    assert "新设局" not in page


@pytest.mark.parametrize("how", ["name", "uscc", "id"])
def test_the_coordinator_types_the_owner_department(client, matrix, how):
    other = matrix.departments["other"]
    typed = {"name": f" {other.name} ", "uscc": other.uscc, "id": str(other.pk)}[how]
    login(client, matrix.users["coordinator_4"])
    response = client.post(reverse("catalog:system_create"), _system("键入登记", department=typed))
    assert response.status_code == 302
    assert InformationSystem.objects.get(name="键入登记").department == other


@pytest.mark.parametrize("which", ["closed", "unknown", "blank"])
def test_an_owner_department_that_may_not_be_chosen_is_refused(client, matrix, which):
    closed = builders.department("已撤销局")
    Department.objects.filter(pk=closed.pk).update(is_active=False)
    typed = {"closed": closed.name, "unknown": "不存在的局", "blank": ""}[which]
    systems = AuditEvent.objects.filter(action__startswith="system.")
    before = systems.count()
    login(client, matrix.users["coordinator_4"])
    response = client.post(reverse("catalog:system_create"), _system("拒收登记", department=typed))
    assert response.status_code == 200  # the form again, with the error
    expected = (
        "该字段是必填项。" if which == "blank" else "没有名称或统一社会信用代码与此相符的部门。"
    )
    assert response.context["form"].errors["department"] == [expected]
    assert not InformationSystem.objects.filter(name="拒收登记").exists()
    assert systems.count() == before


def test_only_the_coordinator_chooses_the_owner_department(client, matrix):
    # An editor's form has no department; one sent anyway is ignored: the system is theirs.
    login(client, matrix.users["prov_editor_4"])
    url = reverse("catalog:system_create")
    assert 'name="department"' not in client.get(url).content.decode()
    other = matrix.departments["other"]
    response = client.post(url, _system("编辑登记", department=other.name))
    assert response.status_code == 302
    assert InformationSystem.objects.get(name="编辑登记").department == matrix.departments["prov"]


def test_system_list_query_count_does_not_grow(client, matrix, django_assert_max_num_queries):
    login(client, matrix.users["cons_staff_4"])
    url = reverse("catalog:system_list")
    make_system(matrix.departments["prov"], "Q0")
    with django_assert_max_num_queries(12) as small:
        client.get(url)
    for n in range(1, 21):
        make_system(matrix.departments["other"], f"Q{n}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)


def test_resource_form_offers_only_the_providers_active_systems(client, matrix, systems):
    login(client, matrix.users["prov_editor_4"])
    response = client.get(reverse("catalog:resource_create"))
    choices = set(response.context["form"].fields["source_system"].queryset)
    assert choices == {systems["active"]}
