"""Changing one's own password: old password, validators in Chinese, a code for privileged roles."""

from __future__ import annotations

import time

import pytest
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Role
from accounts.services import passwords
from audit.models import AuditEvent

from .. import builders
from ..auth import TEST_TOTP_SECRET

pytestmark = pytest.mark.django_db

NEW = "Lantern-harbour-1987"
URL = "/accounts/me/password/"


def _code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():0{device.digits}d}"


def _sessions_of(user) -> int:
    return sum(
        1 for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(user.pk)
    )


@pytest.fixture
def staff():
    return builders.user(builders.department(), username="alice")


def _post(client, **fields):
    data = {"old_password": builders.PASSWORD, "new_password1": NEW, "new_password2": NEW}
    data.update(fields)
    return client.post(URL, data)


def test_the_url_is_under_accounts():
    assert reverse("accounts:password_change") == URL


def test_a_change_keeps_this_session_and_ends_the_others(client, staff):
    client.force_login(staff)
    other = Client()
    other.force_login(staff)
    assert _sessions_of(staff) == 2
    response = _post(client)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:account")
    staff.refresh_from_db()
    assert staff.check_password(NEW)
    assert client.get(reverse("home")).status_code == 200  # still signed in here
    assert other.get(reverse("home")).status_code == 302  # signed out there
    assert _sessions_of(staff) == 1
    event = AuditEvent.objects.get(action="password.change", result="success")
    assert event.actor == staff and event.details["sessions_ended"] == 1
    assert NEW not in str(event.details) and builders.PASSWORD not in str(event.details)


def test_a_wrong_old_password_is_refused_and_audited(client, staff):
    client.force_login(staff)
    response = _post(client, old_password="not-my-password-123")
    assert response.status_code == 200
    assert "当前密码不正确" in response.content.decode()
    staff.refresh_from_db()
    assert staff.check_password(builders.PASSWORD)
    event = AuditEvent.objects.get(action="password.change")
    assert event.result == "failure" and event.details["reason"] == "old_password"


@pytest.mark.parametrize(
    ("new", "message"),
    [
        ("Short-1a", "密码长度太短。密码必须包含至少 12 个字符。"),
        ("alice1", "密码跟 用户名 太相似了。"),
        ("password1234", "这个密码太常见了。"),
        ("918273645546372819", "密码只包含数字。"),
    ],
)
def test_weak_passwords_are_refused_in_chinese(client, staff, new, message):
    client.force_login(staff)
    response = _post(client, new_password1=new, new_password2=new)
    assert response.status_code == 200
    assert message in response.content.decode()
    staff.refresh_from_db()
    assert staff.check_password(builders.PASSWORD)


def test_the_two_new_passwords_must_match(client, staff):
    client.force_login(staff)
    response = _post(client, new_password2=NEW + "x")
    assert response.status_code == 200 and "new_password2" in response.context["form"].errors


@pytest.mark.parametrize(
    "role",
    [
        Role.APPROVER,
        Role.COORDINATOR,
        Role.DEPARTMENT_ADMIN,
        Role.SYSTEM_ADMIN,
        Role.SECURITY_ADMIN,
        Role.AUDIT_ADMIN,
    ],
)
def test_privileged_roles_confirm_with_a_fresh_code(client, role, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    user = builders.user(builders.department(), roles=(Role.STAFF, role))
    client.force_login(user)
    assert "otp_token" in client.get(URL).context["form"].fields
    # Without an authenticator the change is refused with a way to enrol.
    refused = _post(client, otp_token="123456")
    assert refused.status_code == 200 and "otp_token" in refused.context["form"].errors
    device = passwords.TOTPDevice.objects.create(user=user, key=TEST_TOTP_SECRET, confirmed=True)
    wrong = _post(client, otp_token="000000" if _code(device) != "000000" else "111111")
    assert wrong.status_code == 200 and "otp_token" in wrong.context["form"].errors
    assert AuditEvent.objects.filter(
        action="password.change", result="failure", details__reason="second_factor"
    ).exists()
    code = _code(device)
    assert _post(client, otp_token=code).status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW)
    # The same code does not work twice (a fresh one is needed).
    with pytest.raises(ValidationError):
        passwords.password_change(
            actor=user, user=user, old_password=NEW, new_password=NEW + "-b", otp_token=code
        )


def test_staff_and_editors_are_not_asked_for_a_code(client, staff):
    client.force_login(staff)
    assert "otp_token" not in client.get(URL).context["form"].fields


def test_nobody_changes_another_persons_password(staff):
    other = builders.user(staff.department)
    with pytest.raises(PermissionDenied):
        passwords.password_change(
            actor=other, user=staff, old_password=builders.PASSWORD, new_password=NEW
        )


def test_anonymous_visitors_are_sent_to_sign_in(client):
    assert client.get(URL)["Location"].startswith(reverse("login"))
