"""Recovery codes: the sign-in banner when few are left links to the page that makes new ones."""

from __future__ import annotations

import time

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from accounts.models import Role
from accounts.two_factor import recovery_codes_left
from audit.models import AuditEvent

from .. import builders
from ..auth import TEST_TOTP_SECRET

pytestmark = [pytest.mark.django_db, pytest.mark.two_factor]

PAGE = "accounts:recovery_codes"


def _code(device: TOTPDevice, offset: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + offset * device.step
    return f"{totp.token():0{device.digits}d}"


@pytest.fixture
def approver(settings):
    # django-otp slows down guessing after a failure; these tests send a right code after one.
    settings.OTP_TOTP_THROTTLE_FACTOR = settings.OTP_STATIC_THROTTLE_FACTOR = 0
    return builders.user(builders.department(), roles=(Role.STAFF, Role.APPROVER), username="ann")


def _sign_in(client, user) -> TOTPDevice:
    """Sign in with the password and a code, as the demo's two-factor accounts do."""
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    client.post(reverse("login"), {"username": user.username, "password": builders.PASSWORD})
    response = client.post(reverse("accounts:otp_verify"), {"token": _code(device), "next": "/"})
    assert response.status_code == 302
    return device


def test_no_codes_left_the_banner_links_to_new_codes(client, approver):
    # The demo's accounts: an authenticator, never any recovery codes.
    services.totp_device_create(actor=None, user=approver, secret_hex=TEST_TOTP_SECRET)
    _sign_in(client, approver)
    home = client.get("/").content.decode()
    assert "您还剩 0 个恢复码" not in home
    assert "您已没有恢复码。" in home
    assert f'<a class="alert-link" href="{reverse(PAGE)}">生成新的恢复码</a>' in home


def test_two_codes_left_the_banner_counts_them_and_links(client, approver, settings):
    services.totp_device_create(actor=None, user=approver, secret_hex=TEST_TOTP_SECRET)
    services.recovery_codes_create(actor=None, user=approver)
    keep = list(StaticToken.objects.filter(device__user=approver).values_list("pk", flat=True)[:2])
    StaticToken.objects.exclude(pk__in=keep).delete()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    _sign_in(client, approver)
    home = client.get("/").content.decode()
    assert "You have 2 recovery codes left." in home
    assert f'<a class="alert-link" href="{reverse(PAGE)}">Create new recovery codes</a>' in home


def test_enough_codes_no_banner(client, approver):
    services.totp_device_create(actor=None, user=approver, secret_hex=TEST_TOTP_SECRET)
    services.recovery_codes_create(actor=None, user=approver)
    _sign_in(client, approver)
    home = client.get("/").content.decode()
    assert "个恢复码" not in home and "没有恢复码" not in home
    assert reverse(PAGE) not in home


def test_new_codes_need_a_current_authenticator_code_and_replace_the_old(client, approver):
    services.totp_device_create(actor=None, user=approver, secret_hex=TEST_TOTP_SECRET)
    old = services.recovery_codes_create(actor=None, user=approver)
    device = _sign_in(client, approver)

    page = client.get(reverse(PAGE))
    assert page.status_code == 200 and page.context["left"] == services.RECOVERY_CODE_COUNT
    # A recovery code is not the phone: refused, nothing replaced.
    refused = client.post(reverse(PAGE), {"token": old[0]})
    assert refused.status_code == 200 and refused.context["form"].errors["token"]
    assert "codes" not in refused.context
    assert set(
        StaticToken.objects.filter(device__user=approver).values_list("token", flat=True)
    ) == set(old)

    done = client.post(reverse(PAGE), {"token": _code(device, offset=1)})
    assert done.status_code == 200
    codes = done.context["codes"]
    assert len(codes) == services.RECOVERY_CODE_COUNT and not set(codes) & set(old)
    assert all(code in done.content.decode() for code in codes)
    assert "no-store" in done["Cache-Control"]  # the codes exist in clear here alone
    assert recovery_codes_left(approver) == services.RECOVERY_CODE_COUNT
    assert AuditEvent.objects.filter(
        action="otp.recovery_codes", actor=approver, result="success"
    ).exists()
    failed = AuditEvent.objects.get(action="otp.verify", actor=approver, result="failure")
    assert failed.details["purpose"] == "recovery_codes"

    # The account page offers the action to an enrolled holder.
    assert reverse(PAGE) in client.get(reverse("accounts:account")).content.decode()


def test_without_an_authenticator_the_page_sends_to_enrolment(client):
    staff = builders.user(builders.department(), username="bob")
    client.force_login(staff)
    response = client.get(reverse(PAGE))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:otp_enrol")
    assert reverse(PAGE) not in client.get(reverse("accounts:account")).content.decode()
    assert not StaticToken.objects.exists()


def test_signed_out_the_page_asks_to_sign_in(client):
    response = client.get(reverse(PAGE))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
