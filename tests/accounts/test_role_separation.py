"""三员分立: the system, security and audit administrators each do their own job only."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts import services
from accounts.models import Department, Role, User
from audit.models import AuditEvent

from .. import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def admins():
    dept = builders.department(clearance=4)
    return {
        "system": builders.user(dept, roles=(Role.SYSTEM_ADMIN,), username="sysadmin", clearance=4),
        "security": builders.user(
            dept, roles=(Role.SECURITY_ADMIN,), username="secadmin", clearance=4
        ),
        "audit": builders.user(dept, roles=(Role.AUDIT_ADMIN,), username="auditadmin", clearance=4),
        "staff": builders.user(dept, username="clerk"),
    }


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


def test_system_admin_creates_and_deactivates_accounts(client, admins):
    client.force_login(admins["system"])
    dept = admins["staff"].department
    response = client.post(
        reverse("accounts:user_create"),
        {
            "username": "newbie",
            "full_name": "新人",
            "department": dept.pk,
            "password": "Long-enough-pass-2026",
        },
    )
    created = User.objects.get(username="newbie")
    assert response.status_code == 302
    assert created.roles == {Role.STAFF} and created.clearance == 1
    response = client.post(
        reverse("accounts:user_set_active", args=[created.pk]), {"active": "0"}, follow=True
    )
    created.refresh_from_db()
    assert not created.is_active
    assert AuditEvent.objects.filter(action="user.deactivate", actor=admins["system"]).exists()


def test_bad_account_input_changes_nothing(client, admins):
    client.force_login(admins["system"])
    response = client.post(
        reverse("accounts:user_create"),
        {"username": "weak", "department": admins["staff"].department.pk, "password": "12345"},
    )
    assert response.status_code == 200 and response.context["form"].errors["password"]
    assert not User.objects.filter(username="weak").exists()


def test_system_admin_creates_and_deactivates_departments(client, admins):
    client.force_login(admins["system"])
    response = client.post(
        reverse("accounts:department_create"),
        {
            "name": "新建测试局",
            "short_name": "新建局",
            "uscc": "not-a-code",
            "region_code": "340100",
            "admin_level": "city",
            "clearance": 2,
        },
    )
    assert response.status_code == 200 and "uscc" in response.context["form"].errors
    assert not Department.objects.filter(name="新建测试局").exists()
    dept = admins["staff"].department
    client.post(reverse("accounts:department_set_active", args=[dept.pk]), {"active": "0"})
    dept.refresh_from_db()
    assert not dept.is_active


def test_system_admin_cannot_grant_roles_or_clearances(client, admins):
    client.force_login(admins["system"])
    staff = admins["staff"]
    response = client.post(
        reverse("accounts:user_role_change", args=[staff.pk]), {"role": Role.APPROVER}, follow=True
    )
    assert "Only the security administrator" in _messages(response) or "安全" in _messages(response)
    response = client.post(
        reverse("accounts:user_clearance_change", args=[staff.pk]), {"clearance": 3}, follow=True
    )
    staff.refresh_from_db()
    assert staff.roles == {Role.STAFF} and staff.clearance == 1
    with pytest.raises(PermissionDenied):
        services.user_create(
            actor=admins["system"], username="x", department=staff.department, clearance=3
        )


def test_system_and_security_admins_cannot_read_the_audit_log(client, admins):
    for key in ("system", "security", "staff"):
        client.force_login(admins[key])
        for name in ("audit:event_list", "audit:event_export", "audit:chain_status"):
            response = client.get(reverse(name))
            assert response.status_code == 403, (key, name)
        assert (
            "审计管理员" in response.content.decode()
            or "audit administrator" in response.content.decode()
        )


def test_security_admin_grants_roles_and_clearances(client, admins):
    client.force_login(admins["security"])
    staff = admins["staff"]
    client.post(reverse("accounts:user_role_change", args=[staff.pk]), {"role": Role.EDITOR})
    client.post(reverse("accounts:user_clearance_change", args=[staff.pk]), {"clearance": 3})
    staff = User.objects.get(pk=staff.pk)
    assert staff.roles == {Role.STAFF, Role.EDITOR} and staff.clearance == 3
    client.post(
        reverse("accounts:user_role_change", args=[staff.pk]), {"role": Role.EDITOR, "revoke": "1"}
    )
    assert User.objects.get(pk=staff.pk).roles == {Role.STAFF}
    # but not create accounts
    assert client.get(reverse("accounts:user_create")).status_code == 403


def test_nobody_changes_their_own_roles_or_clearance(client, admins):
    me = admins["security"]
    client.force_login(me)
    response = client.post(
        reverse("accounts:user_clearance_change", args=[me.pk]), {"clearance": 1}, follow=True
    )
    assert "不得更改本人的角色" in _messages(response)
    client.post(reverse("accounts:user_role_change", args=[me.pk]), {"role": Role.STAFF})
    me = User.objects.get(pk=me.pk)
    assert me.clearance == 4 and me.roles == {Role.SECURITY_ADMIN}
    system = admins["system"]
    client.force_login(system)
    client.post(reverse("accounts:user_set_active", args=[system.pk]), {"active": "0"})
    assert User.objects.get(pk=system.pk).is_active


def test_a_second_admin_role_is_refused(client, admins):
    client.force_login(admins["security"])
    response = client.post(
        reverse("accounts:user_role_change", args=[admins["audit"].pk]),
        {"role": Role.SYSTEM_ADMIN},
        follow=True,
    )
    assert User.objects.get(pk=admins["audit"].pk).roles == {Role.AUDIT_ADMIN}
    assert _messages(response)


def test_audit_admin_reads_the_log_and_nothing_else(client, admins):
    client.force_login(admins["audit"])
    assert client.get(reverse("audit:event_list")).status_code == 200
    for name in ("accounts:user_list", "accounts:user_create", "accounts:department_list"):
        assert client.get(reverse(name)).status_code == 403
    response = client.post(
        reverse("accounts:user_role_change", args=[admins["staff"].pk]), {"role": Role.EDITOR}
    )
    assert response.status_code == 403
    assert User.objects.get(pk=admins["staff"].pk).roles == {Role.STAFF}


def test_navigation_shows_each_admin_their_own_pages(client, admins):
    expected = {
        "system": ({"accounts:user_list", "accounts:department_list"}, {"audit:event_list"}),
        "security": ({"accounts:user_list"}, {"audit:event_list", "accounts:department_list"}),
        "audit": ({"audit:event_list"}, {"accounts:user_list", "accounts:department_list"}),
    }
    for key, (shown, hidden) in expected.items():
        client.force_login(admins[key])
        content = client.get(reverse("home")).content.decode()
        for name in shown:
            assert f'href="{reverse(name)}"' in content, (key, name)
        for name in hidden:
            assert f'href="{reverse(name)}"' not in content, (key, name)


def test_account_list_query_count_does_not_grow(client, admins, django_assert_max_num_queries):
    client.force_login(admins["system"])
    client.get(reverse("accounts:user_list"))
    with django_assert_max_num_queries(12) as small:
        client.get(reverse("accounts:user_list"))
    for _n in range(15):
        builders.user(admins["staff"].department, roles=(Role.STAFF, Role.EDITOR))
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("accounts:user_list"))
