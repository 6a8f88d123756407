"""Resetting someone else's password: who may, the temporary password, the forced change."""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from accounts import policies
from accounts.models import Role
from accounts.services import passwords
from audit.models import AuditEvent

from .. import builders

pytestmark = pytest.mark.django_db

NEW = "Lantern-harbour-1987"


@pytest.fixture
def dept():
    return builders.department()


@pytest.fixture
def people(dept):
    other = builders.department()
    return {
        "security": builders.user(other, roles=(Role.STAFF, Role.SECURITY_ADMIN)),
        "system": builders.user(other, roles=(Role.STAFF, Role.SYSTEM_ADMIN)),
        "dept_admin": builders.user(dept, roles=(Role.STAFF, Role.DEPARTMENT_ADMIN)),
        "other_dept_admin": builders.user(other, roles=(Role.STAFF, Role.DEPARTMENT_ADMIN)),
        "staff": builders.user(dept, username="alice"),
        "approver": builders.user(dept, roles=(Role.STAFF, Role.APPROVER)),
        "coordinator": builders.user(dept, roles=(Role.STAFF, Role.COORDINATOR)),
    }


@pytest.mark.parametrize(
    ("actor", "target", "allowed"),
    [
        ("security", "staff", True),
        ("security", "coordinator", True),
        ("security", "system", True),
        ("security", "security", False),  # never one's own: change it instead
        ("system", "staff", False),  # the system administrator creates accounts, no more
        ("dept_admin", "staff", True),
        ("dept_admin", "approver", True),
        ("dept_admin", "coordinator", False),  # holds a role beyond the department roles
        ("dept_admin", "dept_admin", False),
        ("other_dept_admin", "staff", False),  # another department
        ("staff", "approver", False),
    ],
)
def test_who_may_reset_whom(people, actor, target, allowed):
    assert policies.can_reset_password(people[actor], people[target]) is allowed
    if allowed:
        assert passwords.password_reset(actor=people[actor], user=people[target])
    else:
        with pytest.raises(PermissionDenied):
            passwords.password_reset(actor=people[actor], user=people[target])


def test_the_security_administrator_resets_from_the_account_page(client, people):
    staff = people["staff"]
    victim_session = Client()
    victim_session.force_login(staff)
    client.force_login(people["security"])
    page = client.get(reverse("accounts:user_detail", args=[staff.pk]))
    assert page.context["may_reset_password"]
    assert reverse("accounts:user_password_reset", args=[staff.pk]) in page.content.decode()
    url = reverse("accounts:user_password_reset", args=[staff.pk])
    # Without confirming who asked, nothing happens.
    assert client.post(url).status_code == 302
    staff.refresh_from_db()
    assert staff.check_password(builders.PASSWORD) and not staff.must_change_password

    response = client.post(url, {"confirm": "on"})
    assert response.status_code == 200  # rendered: the password is shown once, not redirected
    temporary = response.context["temporary"]
    assert temporary in response.content.decode() and len(temporary) >= 12
    assert "no-store" in response["Cache-Control"]  # no cache keeps the page that shows it
    staff.refresh_from_db()
    assert staff.check_password(temporary) and staff.must_change_password
    # The account's sessions ended; the audit event names the reset, never the password.
    assert victim_session.get(reverse("home")).status_code == 302
    event = AuditEvent.objects.get(action="user.password_reset")
    assert event.actor == people["security"] and event.object_id == str(staff.pk)
    assert temporary not in str(event.details)
    # The system administrator sees the account but no reset.
    client.force_login(people["system"])
    page = client.get(reverse("accounts:user_detail", args=[staff.pk]))
    assert not page.context["may_reset_password"]
    assert client.post(url, {"confirm": "on"}).status_code == 302
    staff.refresh_from_db()
    assert staff.check_password(temporary)


def test_a_department_administrator_resets_from_the_member_page(client, people):
    client.force_login(people["dept_admin"])
    staff, coordinator = people["staff"], people["coordinator"]
    assert client.get(reverse("accounts:member_detail", args=[staff.pk])).context[
        "may_reset_password"
    ]
    response = client.post(
        reverse("accounts:member_password_reset", args=[staff.pk]), {"confirm": "on"}
    )
    assert response.status_code == 200
    staff.refresh_from_db()
    assert staff.check_password(response.context["temporary"])
    # Not an account with a wider role; another department's accounts do not exist for them.
    assert not client.get(reverse("accounts:member_detail", args=[coordinator.pk])).context[
        "may_reset_password"
    ]
    refused = client.post(
        reverse("accounts:member_password_reset", args=[coordinator.pk]), {"confirm": "on"}
    )
    assert refused.status_code == 302
    coordinator.refresh_from_db()
    assert coordinator.check_password(builders.PASSWORD)
    outsider = builders.user(builders.department())
    assert (
        client.post(
            reverse("accounts:member_password_reset", args=[outsider.pk]), {"confirm": "on"}
        ).status_code
        == 404
    )


def test_after_a_reset_every_page_asks_for_a_new_password(client, people):
    staff = people["staff"]
    temporary = passwords.password_reset(actor=people["security"], user=staff)
    signed_in = client.post(reverse("login"), {"username": "alice", "password": temporary})
    assert signed_in.status_code == 302
    change = reverse("accounts:password_change")
    for url in (reverse("home"), reverse("accounts:account"), reverse("catalog:resource_list")):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == change, url
    assert client.get("/api/v1/me/").status_code == 403
    assert client.get(change).status_code == 200
    done = client.post(
        change, {"old_password": temporary, "new_password1": NEW, "new_password2": NEW}
    )
    assert done.status_code == 302
    staff.refresh_from_db()
    assert not staff.must_change_password
    assert client.get(reverse("home")).status_code == 200


def test_a_reset_ends_every_session_of_the_account(people):
    staff = people["staff"]
    for _n in range(2):
        Client().force_login(staff)
    passwords.password_reset(actor=people["security"], user=staff)
    owners = [s.get_decoded().get("_auth_user_id") for s in Session.objects.all()]
    assert str(staff.pk) not in owners
