"""Bad input to the foundation services gets a clear error and changes nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from accounts import services
from accounts.models import Department, Role, RoleAssignment, User
from catalog import services as catalog_services
from catalog.models import Category, DataItem, Resource
from catalog.services import resource_create

from .. import builders

pytestmark = pytest.mark.django_db


def messages(exc: ValidationError) -> str:
    return " ".join(str(m) for m in exc.messages)


def test_invalid_uscc_is_refused_and_nothing_is_created():
    before = Department.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.department_create(
            actor=None,
            name="错误代码局",
            short_name="错误",
            uscc="11340100MB1234567X",
            region_code="340100",
        )
    assert "统一社会信用代码" in messages(exc.value)
    assert Department.objects.count() == before


def test_uscc_check_digit_is_checked():
    good = builders.department().uscc
    wrong = good[:-1] + ("0" if good[-1] != "0" else "1")
    with pytest.raises(ValidationError):
        services.department_create(
            actor=None, name="校验位局", short_name="校验", uscc=wrong, region_code="340100"
        )


def _institution_uscc() -> str:
    """A valid credit code of a public institution (事业单位, ``12``), not a government body."""
    from stdnum.cn import uscc

    from accounts.identifiers import organization_code

    first17 = "12340100" + organization_code("77777777")
    return first17 + uscc.calc_check_digit(first17)


def test_government_departments_credit_codes_start_with_11():
    assert builders.department().uscc.startswith("11")
    before = Department.objects.count()
    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
        services.department_create(
            actor=None,
            name="事业单位局",
            short_name="事业",
            uscc=_institution_uscc(),
            region_code="340100",
        )
    assert "11" in messages(exc.value) and "uscc" in exc.value.message_dict
    assert Department.objects.count() == before


def test_another_prefix_needs_a_recorded_exception():
    from audit.models import AuditEvent

    admin = builders.user(None, roles=(Role.SYSTEM_ADMIN,))
    department = services.department_create(
        actor=admin,
        name="事业单位局",
        short_name="事业",
        uscc=_institution_uscc(),
        region_code="340100",
        uscc_exception_reason="经编办批准承担行政职能的事业单位",
    )
    assert department.uscc_exception_reason == "经编办批准承担行政职能的事业单位"
    event = AuditEvent.objects.get(action="department.uscc_exception", object_id=str(department.pk))
    assert event.actor == admin and event.details["reason"] == department.uscc_exception_reason
    # A government body's code needs no exception: a reason given anyway is not kept.
    plain = builders.department(uscc_exception_reason="无需例外")
    assert plain.uscc_exception_reason == ""
    assert not AuditEvent.objects.filter(
        action="department.uscc_exception", object_id=str(plain.pk)
    ).exists()
    # Only the system administrator creates departments, exception or not.
    with pytest.raises(PermissionDenied):
        services.department_create(
            actor=builders.user(None, roles=(Role.COORDINATOR,)),
            name="协调例外局",
            short_name="协调",
            uscc=_institution_uscc()[:-2] + "00",
            region_code="340100",
            uscc_exception_reason="理由",
        )


@pytest.mark.parametrize("code", ["34010", "349999", "abcdef", "000000"])
def test_invalid_region_code_is_refused(code):
    before = Department.objects.count()
    with pytest.raises(ValidationError) as exc:
        builders.department(region_code=code)
    assert "行政区划代码" in messages(exc.value)
    assert Department.objects.count() == before


def test_english_messages_are_complete():
    with translation.override("en"):
        with pytest.raises(ValidationError) as exc:
            builders.department(region_code="349999")
        # Messages are lazy: read them while English is active.
        assert "is not a GB/T 2260 administrative region code" in messages(exc.value)


def test_invalid_resource_code_is_refused_by_the_database():
    resource = builders.resource(builders.department())
    with pytest.raises(IntegrityError), transaction.atomic():
        Resource.objects.filter(pk=resource.pk).update(code="ABC/12")


def test_resource_code_format_and_immutability_after_publication():
    provider = builders.department()
    resource = builders.resource(provider, category_code="102")
    assert resource.code == f"102/{Category.objects.get(code='102').last_sequence:06d}"
    updated = catalog_services.resource_update(actor=None, resource=resource, summary="新的摘要")
    assert updated.code == resource.code
    assert updated.version == resource.version + 1


def test_not_shared_without_legal_basis_is_refused():
    provider = builders.department()
    before = Resource.objects.count()
    with pytest.raises(ValidationError) as exc:
        builders.resource(provider, share_type="none", share_condition="")
    assert "法律依据" in messages(exc.value)
    assert Resource.objects.count() == before


def test_state_secret_is_refused():
    provider = builders.department()
    before = (Resource.objects.count(), DataItem.objects.count())
    with pytest.raises(ValidationError) as exc:
        resource_create(
            actor=None,
            provider=provider,
            state_secret=True,
            items=[builders.item()],
            category=builders.category("101"),
            name="涉密资源",
            summary="不应保存",
            format_class="database",
            share_type="conditional",
            share_condition="条件",
            share_method="api",
            update_cycle="daily",
            level=1,
        )
    assert "涉密" in messages(exc.value)
    assert (Resource.objects.count(), DataItem.objects.count()) == before


def test_item_level_above_resource_level_is_refused():
    provider = builders.department()
    before = (Resource.objects.count(), DataItem.objects.count())
    with pytest.raises(ValidationError) as exc:
        builders.resource(
            provider, level=2, items=[builders.item("公民身份号码", level=4, kind="id_number")]
        )
    text = messages(exc.value)
    assert "公民身份号码" in text and "L4" in text and "L2" in text
    assert (Resource.objects.count(), DataItem.objects.count()) == before


def test_item_level_rule_also_holds_on_update():
    provider = builders.department()
    resource = builders.resource(provider, level=3, items=[builders.item("身份证号", level=3)])
    with pytest.raises(ValidationError):
        catalog_services.resource_update(actor=None, resource=resource, level=2)
    resource.refresh_from_db()
    assert resource.level == 3


def test_two_of_the_three_admin_roles_are_refused():
    dept = builders.department()
    user = builders.user(dept, roles=(Role.STAFF, Role.SYSTEM_ADMIN))
    with pytest.raises(ValidationError) as exc:
        services.role_assign(actor=None, user=user, role=Role.AUDIT_ADMIN)
    assert "三员" in messages(exc.value) or "系统管理员" in messages(exc.value)
    assert set(user.role_assignments.values_list("role", flat=True)) == {
        Role.STAFF,
        Role.SYSTEM_ADMIN,
    }


def test_the_database_refuses_two_admin_roles_even_without_the_service():
    user = builders.user(builders.department(), roles=(Role.SECURITY_ADMIN,))
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(user=user, role=Role.SYSTEM_ADMIN)


def test_clearance_above_the_department_ceiling_is_refused():
    dept = builders.department(clearance=2)
    before = User.objects.count()
    with pytest.raises(ValidationError) as exc:
        builders.user(dept, clearance=3)
    assert "L3" in messages(exc.value)
    assert User.objects.count() == before


def test_nobody_changes_their_own_roles_or_clearance():
    dept = builders.department()
    security = builders.user(dept, clearance=2, roles=(Role.SECURITY_ADMIN,))
    with pytest.raises(PermissionDenied):
        services.user_set_clearance(actor=security, user=security, clearance=3)
    with pytest.raises(PermissionDenied):
        services.role_assign(actor=security, user=security, role=Role.COORDINATOR)
    security.refresh_from_db()
    assert security.clearance == 2


def test_system_admin_cannot_grant_roles_or_clearance():
    dept = builders.department()
    sysadmin = builders.user(dept, roles=(Role.SYSTEM_ADMIN,))
    target = builders.user(dept)
    with pytest.raises(PermissionDenied):
        services.role_assign(actor=sysadmin, user=target, role=Role.APPROVER)
    with pytest.raises(PermissionDenied):
        services.user_set_clearance(actor=sysadmin, user=target, clearance=2)


def test_department_admin_assigns_department_roles_in_own_department_only():
    dept, other = builders.department(), builders.department()
    admin = builders.user(dept, roles=(Role.DEPARTMENT_ADMIN,))
    colleague, outsider = builders.user(dept), builders.user(other)
    services.role_assign(actor=admin, user=colleague, role=Role.EDITOR)
    assert colleague.has_role(Role.EDITOR)
    with pytest.raises(PermissionDenied):
        services.role_assign(actor=admin, user=outsider, role=Role.EDITOR)
    with pytest.raises(PermissionDenied):
        services.role_assign(actor=admin, user=colleague, role=Role.COORDINATOR)


def test_conditional_resource_needs_its_conditions_and_unconditional_gets_the_standard_text():
    provider = builders.department()
    with pytest.raises(ValidationError) as exc:
        builders.resource(provider, share_type="conditional", share_condition="  ")
    assert "共享条件" in messages(exc.value) or "条件" in messages(exc.value)
    unconditional = builders.resource(provider, share_type="unconditional")
    assert unconditional.share_condition == "无条件"


def test_source_system_of_another_department_is_refused():
    provider, other = builders.department(), builders.department()
    system = builders.system(other, "别的系统")
    with pytest.raises(ValidationError) as exc:
        builders.resource(provider, source_system=system)
    assert "source_system" in exc.value.message_dict


def test_source_system_must_be_approved():
    provider = builders.department()
    for status in ("draft", "filed", "returned"):
        system = builders.system(provider, f"未备案系统{status}", status=status)
        with pytest.raises(ValidationError) as exc:
            builders.resource(provider, source_system=system)
        assert "source_system" in exc.value.message_dict
    approved = builders.system(provider, "已备案系统")
    assert builders.resource(provider, source_system=approved).source_system == approved


def test_editing_a_resource_keeps_granted_items_and_their_grants():
    provider, consumer = builders.department(), builders.department()
    resource = builders.resource(
        provider,
        level=2,
        items=[
            builders.item("编号", level=1, is_key=True),
            builders.item("名称", level=2),
        ],
    )
    grant = builders.grant(resource, consumer)
    before = set(grant.items.values_list("pk", flat=True))
    catalog_services.resource_update(
        actor=None,
        resource=resource,
        items=[
            builders.item("编号", level=1, is_key=True, length=20),
            builders.item("名称", level=2),
            builders.item("备注", level=1, data_type="M", length=200),
        ],
    )
    assert set(grant.items.values_list("pk", flat=True)) == before
    assert DataItem.objects.get(resource=resource, name="编号").length == 20
    assert resource.items.count() == 3
