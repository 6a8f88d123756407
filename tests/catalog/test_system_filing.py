"""Filing (备案) of information systems: the code, its immutability, notices and re-confirmation.

Who may take each step is in tests/catalog/test_actions_matrix.py (every role, every state);
this module checks what the steps produce.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from stdnum.iso7064 import mod_11_2

from accounts.models import Role
from audit.models import AuditEvent
from catalog import selectors, services
from catalog.codes import is_valid_system_code, system_code
from catalog.models import InformationSystem
from sharing.models import Notification
from tests import builders

pytestmark = pytest.mark.django_db

Status = InformationSystem.Status


@pytest.fixture
def people():
    prov = builders.department("备案提供局", region_code="340100")
    coord = builders.department("备案数据局", region_code="340100")
    return {
        "prov": prov,
        "coord_dept": coord,
        "editor": builders.user(prov, roles=(Role.EDITOR,)),
        "admin": builders.user(prov, roles=(Role.DEPARTMENT_ADMIN,)),
        "staff": builders.user(prov, roles=(Role.STAFF,)),
        "coordinator": builders.user(coord, roles=(Role.STAFF, Role.COORDINATOR)),
    }


def test_code_format_and_check_character():
    code = system_code(region_code="340100", year=2026, department_number=7, sequence=42)
    assert code[:17] == "340100" + "2026" + "007" + "0042"
    assert code[17] == mod_11_2.calc_check_digit(code[:17]) and is_valid_system_code(code)
    wrong = code[:16] + str((int(code[16]) + 1) % 10) + code[17]
    assert not is_valid_system_code(wrong)  # one mistyped digit is caught
    swapped = code[:9] + code[10] + code[9] + code[11:]
    assert code[9] == code[10] or not is_valid_system_code(swapped)
    with pytest.raises(ValueError):
        system_code(region_code="340100", year=2026, department_number=1000, sequence=1)


def test_approval_assigns_sequential_codes_per_region_and_year(people):
    year = timezone.localdate().year
    first = builders.system(people["prov"], "第一系统", filer=people["editor"])
    second = builders.system(people["prov"], "第二系统", filer=people["admin"])
    other = builders.system(people["coord_dept"], "数据局系统")
    prov_number = people["prov"].__class__.objects.get(pk=people["prov"].pk).filing_number
    coord_number = other.department.__class__.objects.get(pk=other.department_id).filing_number
    assert prov_number != coord_number and {prov_number, coord_number} <= set(range(1, 1000))
    assert first.code[:13] == f"340100{year}{prov_number:03d}"
    assert second.code[:13] == first.code[:13]
    assert [int(s.code[13:17]) for s in (first, second, other)] == [1, 2, 3]
    assert all(is_valid_system_code(s.code) for s in (first, second, other))
    # The department keeps its number: a later system gets the same one.
    later = builders.system(people["prov"], "第四系统")
    assert later.code[10:13] == first.code[10:13] and later.code[13:17] == "0004"
    # Another region counts from one.
    district = builders.department("区备案局", region_code="340102")
    assert builders.system(district, "区系统").code[13:17] == "0001"
    event = AuditEvent.objects.get(action="system.approve", object_id=str(first.pk))
    assert event.details["code"] == first.code


def test_the_code_never_changes(people):
    system = builders.system(people["prov"], "定编系统")
    code = system.code
    # Correcting the filing keeps the code; the form has no code to type.
    services.system_update(
        actor=people["editor"], system=system, name="改名系统", project_name="二期项目"
    )
    system.refresh_from_db()
    assert system.code == code and system.name == "改名系统"
    # The database itself refuses a changed or removed code, whoever writes it.
    for new in ("34010020260010002X", None):
        with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
            InformationSystem.objects.filter(pk=system.pk).update(code=new)
    system.refresh_from_db()
    assert system.code == code
    # And two systems never share a code.
    draft = builders.system(people["prov"], "另一系统", status=Status.DRAFT)
    with pytest.raises(IntegrityError), transaction.atomic():
        InformationSystem.objects.filter(pk=draft.pk).update(status=Status.APPROVED, code=code)


def test_code_guard_is_in_the_database():
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name = %s",
                ["catalog_system_code_immutable"],
            )
        else:
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgname = %s",
                ["catalog_system_code_immutable"],
            )
        assert cursor.fetchone() is not None


def test_filing_needs_the_project_and_decisions_need_a_filing(people):
    draft = services.system_register(actor=people["editor"], department=people["prov"], name="X")
    with pytest.raises(ValidationError):
        services.system_file(actor=people["editor"], system=draft)
    with pytest.raises(ValidationError):
        services.system_approve(actor=people["coordinator"], system=draft)
    filed = builders.system(people["prov"], "Y", status=Status.FILED, filer=people["editor"])
    with pytest.raises(ValidationError):
        services.system_return(actor=people["coordinator"], system=filed, reason="  ")
    with pytest.raises(ValidationError):  # awaiting the decision: not editable
        services.system_update(actor=people["editor"], system=filed, name="Z", project_name="P")
    assert InformationSystem.objects.get(pk=filed.pk).status == Status.FILED


def test_only_the_department_files_and_only_the_coordinator_decides(people):
    draft = builders.system(people["prov"], "权限系统", status=Status.DRAFT)
    for outsider in (people["staff"], people["coordinator"]):
        with pytest.raises(PermissionDenied):
            services.system_file(actor=outsider, system=draft)
    filed = services.system_file(actor=people["editor"], system=draft)
    for outsider in (people["editor"], people["admin"], people["staff"]):
        with pytest.raises(PermissionDenied):
            services.system_approve(actor=outsider, system=filed)
        with pytest.raises(PermissionDenied):
            services.system_return(actor=outsider, system=filed, reason="不行")
    assert InformationSystem.objects.get(pk=filed.pk).status == Status.FILED


def test_the_coordinator_does_not_approve_their_own_filing():
    bureau = builders.department("自备数据局")
    both = builders.user(bureau, roles=(Role.EDITOR, Role.COORDINATOR))
    filed = builders.system(bureau, "自备系统", status=Status.FILED, filer=both)
    with pytest.raises(PermissionDenied):
        services.system_approve(actor=both, system=filed)
    assert list(selectors.systems_to_decide(user=both)) == []
    other = builders.user(bureau, roles=(Role.STAFF, Role.COORDINATOR))
    assert list(selectors.systems_to_decide(user=other)) == [filed]
    assert services.system_approve(actor=other, system=filed).code


def test_the_filer_is_told_of_approval_and_return(people, client):
    approved = builders.system(
        people["prov"], "通知系统", filer=people["editor"], approver=people["coordinator"]
    )
    notice = Notification.objects.get(recipient=people["editor"], kind="system_approved")
    assert approved.code in notice.text and "通知系统" in notice.text
    returned = builders.system(
        people["prov"],
        "退回系统",
        status=Status.RETURNED,
        filer=people["admin"],
        approver=people["coordinator"],
    )
    notice = Notification.objects.get(recipient=people["admin"], kind="system_returned")
    assert "请补充项目材料" in notice.text
    assert notice.url == reverse("catalog:system_detail", args=[returned.pk])
    # Nobody else hears of it.
    assert not Notification.objects.filter(
        recipient__in=[people["staff"], people["coordinator"]]
    ).exists()
    # The department sees the reason and files again.
    client.force_login(people["admin"])
    page = client.get(reverse("catalog:system_detail", args=[returned.pk])).content.decode()
    assert "请补充项目材料" in page
    client.post(reverse("catalog:system_file", args=[returned.pk]))
    returned.refresh_from_db()
    assert returned.status == Status.FILED and returned.return_reason == ""


def test_yearly_reconfirmation_and_the_departments_queue(people, settings, client):
    settings.PORTAL_SYSTEM_RECONFIRM_DAYS = 365
    system = builders.system(people["prov"], "年度系统")
    assert list(selectors.systems_to_reconfirm(user=people["editor"])) == []
    InformationSystem.objects.filter(pk=system.pk).update(
        confirmed_at=timezone.now() - timedelta(days=366)
    )
    assert list(selectors.systems_to_reconfirm(user=people["editor"])) == [system]
    # Staff, the coordinator and other departments have no such queue.
    assert list(selectors.systems_to_reconfirm(user=people["staff"])) == []
    assert list(selectors.systems_to_reconfirm(user=people["coordinator"])) == []
    with pytest.raises(PermissionDenied):
        services.system_reconfirm(actor=people["coordinator"], system=system)
    client.force_login(people["editor"])
    home = client.get(reverse("home")).content.decode()
    assert "年度系统" in home
    client.post(reverse("catalog:system_reconfirm", args=[system.pk]))
    system.refresh_from_db()
    assert system.confirmed_at > timezone.now() - timedelta(minutes=1)
    assert list(selectors.systems_to_reconfirm(user=people["editor"])) == []
    assert AuditEvent.objects.filter(
        action="system.reconfirm", object_id=str(system.pk), actor=people["editor"]
    ).exists()
    # A draft cannot be re-confirmed.
    draft = builders.system(people["prov"], "草稿", status=Status.DRAFT)
    with pytest.raises(ValidationError):
        services.system_reconfirm(actor=people["editor"], system=draft)


def test_coordinator_decides_from_the_page(people, client):
    filed = builders.system(people["prov"], "页面系统", status=Status.FILED, filer=people["editor"])
    client.force_login(people["coordinator"])
    page = client.get(reverse("catalog:system_detail", args=[filed.pk])).content.decode()
    assert reverse("catalog:system_approve", args=[filed.pk]) in page
    client.force_login(people["editor"])
    page = client.get(reverse("catalog:system_detail", args=[filed.pk])).content.decode()
    assert reverse("catalog:system_approve", args=[filed.pk]) not in page
    client.force_login(people["coordinator"])
    client.post(reverse("catalog:system_return", args=[filed.pk]), {"reason": ""})
    filed.refresh_from_db()
    assert filed.status == Status.FILED  # a return needs its reason
    client.post(reverse("catalog:system_approve", args=[filed.pk]))
    filed.refresh_from_db()
    assert filed.status == Status.APPROVED and filed.decided_by == people["coordinator"]


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_approvals_get_distinct_consecutive_codes():
    """The counter row lock makes parallel approvals queue: no code twice, no gap."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connections

    first, second = builders.department("并发一局"), builders.department("并发二局")
    filed = [
        builders.system(dept, f"并发系统{n}", status=Status.FILED)
        for n in range(4)
        for dept in (first, second)
    ]

    def approve(pk: int) -> str:
        try:
            system = InformationSystem.objects.get(pk=pk)
            return services.system_approve(actor=None, system=system).code or ""
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=4) as pool:
        codes = list(pool.map(approve, [s.pk for s in filed]))
    assert len(set(codes)) == len(filed) and all(is_valid_system_code(c) for c in codes)
    assert sorted(int(c[13:17]) for c in codes) == list(range(1, len(filed) + 1))
    numbers = {c[10:13] for c in codes}
    assert len(numbers) == 2  # one filing number per department, never shared
