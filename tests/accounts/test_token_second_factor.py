"""API tokens cannot bypass the second factor; service accounts; client-network limits.

- a token acting as a holder of a privileged role is created by that holder alone, within
  ``PORTAL_TOKEN_FRESH_2FA_SECONDS`` of passing the second factor (page and ``issue_token``);
- administrators issue tokens only for service accounts, which hold no privileged role and
  never sign in on the web;
- the data migration's revocation takes exactly the tokens that break the rule;
- a token limited to networks is refused, like an invalid one, from anywhere else.
"""

from __future__ import annotations

import importlib
import time
from datetime import timedelta
from io import StringIO

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from accounts import services as account_services
from accounts.models import ApiToken, Role, User
from accounts.services.tokens import (
    key_digest,
    token_create,
    tokens_revoke_second_factor_breaches,
)
from accounts.two_factor import VERIFIED_AT_KEY
from audit.models import AuditEvent

from .. import builders
from ..auth import TEST_TOTP_SECRET

pytestmark = pytest.mark.django_db

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
LIST = "/accounts/tokens/"
ME = "/api/v1/me/"


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):0{device.digits}d}"


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def _device(user: User) -> TOTPDevice:
    return account_services.totp_device_create(actor=None, user=user, secret_hex=TEST_TOTP_SECRET)


@pytest.fixture
def world(db, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # a right code may follow a wrong one at once
    dept, elsewhere = builders.department(), builders.department()
    return {
        "dept": dept,
        "admin": builders.user(dept, clearance=2, roles=(Role.STAFF, Role.DEPARTMENT_ADMIN)),
        "approver": builders.user(dept, clearance=2, roles=(Role.STAFF, Role.APPROVER)),
        "staff": builders.user(dept, clearance=2),
        "service": builders.user(dept, clearance=2, kind=User.Kind.SERVICE),
        "foreign_service": builders.user(elsewhere, clearance=2, kind=User.Kind.SERVICE),
    }


def _post_token(client, holder: User, **extra) -> object:
    data = {"user": holder.pk, "name": "审批系统", "scopes": ["read"], "days": 30, **extra}
    return client.post(LIST, data)


# --- who may create which token --------------------------------------------------------------


def test_a_privileged_holder_creates_a_token_only_after_a_fresh_second_factor(client, world):
    approver = world["approver"]
    device = _device(approver)
    client.force_login(approver, backend=MODEL_BACKEND)

    # Never verified in this session: refused, and the page says how to go on.
    page = client.get(LIST)
    assert page.context["needs_code"] is True
    assert reverse("accounts:otp_verify") in page.content.decode()
    response = _post_token(client, approver)
    assert response.status_code == 403
    assert "10" in " ".join(response.context["form"].non_field_errors())

    # Verified eleven minutes ago: stale, refused.
    session = client.session
    session[VERIFIED_AT_KEY] = int(time.time()) - 11 * 60
    session.save()
    assert _post_token(client, approver).status_code == 403
    assert not ApiToken.objects.exists()

    # A code on the two-factor page records the verification: now it works.
    verified = client.post(reverse("accounts:otp_verify"), {"token": _code(device)})
    assert verified.status_code == 302
    assert abs(client.session[VERIFIED_AT_KEY] - time.time()) < 5
    assert client.get(LIST).context["needs_code"] is False
    response = _post_token(client, approver)
    assert response.status_code == 200
    token = ApiToken.objects.get()
    assert token.user == approver and token.created_by == approver
    assert token.key_hash == key_digest(response.context["key"])


def test_the_fresh_window_is_the_setting(world, settings):
    approver = world["approver"]
    at = timezone.now() - timedelta(seconds=300)
    settings.PORTAL_TOKEN_FRESH_2FA_SECONDS = 240
    with pytest.raises(PermissionDenied):
        token_create(actor=approver, user=approver, name="x", scopes=["read"], second_factor_at=at)
    settings.PORTAL_TOKEN_FRESH_2FA_SECONDS = 600
    token, _key = token_create(
        actor=approver, user=approver, name="x", scopes=["read"], second_factor_at=at
    )
    assert token.created_by == approver


def test_administrators_issue_tokens_for_service_accounts_only(world):
    admin, now = world["admin"], timezone.now()
    for holder in (world["approver"], world["staff"], world["foreign_service"]):
        with pytest.raises(PermissionDenied):
            token_create(actor=admin, user=holder, name="x", scopes=["read"], second_factor_at=now)
    # The system (an operator's command) does not stand in for a privileged holder either.
    with pytest.raises(PermissionDenied):
        token_create(actor=None, user=world["approver"], name="x", scopes=["read"])
    assert not ApiToken.objects.exists()
    token, _key = token_create(actor=admin, user=world["service"], name="x", scopes=["read"])
    assert token.user == world["service"] and token.created_by == admin
    event = AuditEvent.objects.get(action="api_token.create")
    assert event.actor == admin


def test_the_page_refuses_a_token_for_another_person(client, world):
    client.force_login(world["admin"], backend=MODEL_BACKEND)
    for holder in (world["approver"], world["staff"], world["foreign_service"]):
        response = _post_token(client, holder)
        assert response.status_code == 400 and "user" in response.context["form"].errors
    assert not ApiToken.objects.exists()


# --- service accounts ------------------------------------------------------------------------


def test_a_service_account_holds_no_privileged_role(world):
    service, security = world["service"], builders.user(None, roles=(Role.SECURITY_ADMIN,))
    for role in (Role.APPROVER, Role.DEPARTMENT_ADMIN, Role.COORDINATOR, Role.AUDIT_ADMIN):
        for actor in (security, None):
            with pytest.raises(ValidationError) as caught:
                account_services.role_assign(actor=actor, user=service, role=role)
            assert set(caught.value.message_dict) == {"role"}
            assert str(Role(role).label) in caught.value.message_dict["role"][0]
    account_services.role_assign(actor=security, user=service, role=Role.EDITOR)
    service.forget_roles()
    assert service.roles == {Role.STAFF, Role.EDITOR}
    assert not service.has_usable_password()


def test_a_service_account_cannot_sign_in_on_the_web(client, world):
    service = world["service"]
    service.set_password(builders.PASSWORD)  # even if someone gave it a password
    service.save()
    response = client.post(
        reverse("login"), {"username": service.username, "password": builders.PASSWORD}
    )
    assert response.status_code == 200
    assert response.context["form"].has_error("__all__", code="service_account")
    assert "_auth_user_id" not in client.session
    # A session that came about another way ends at the next request.
    client.force_login(service, backend=MODEL_BACKEND)
    response = client.get(reverse("accounts:account"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert "_auth_user_id" not in client.session
    # On the API such a session answers 401 in the API's error shape, and ends too.
    client.force_login(service, backend=MODEL_BACKEND)
    response = client.get(ME)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
    assert "_auth_user_id" not in client.session
    # Its tokens work on the API.
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {builders.api_key(service)}")
    assert api.get(ME).json()["username"] == service.username


# --- issue_token --------------------------------------------------------------------------


def test_issue_token_for_a_privileged_account_needs_a_current_code(world):
    approver = world["approver"]
    device = _device(approver)
    with pytest.raises(CommandError, match="--totp-code"):
        call_command("issue_token", approver.username, stdout=StringIO(), stderr=StringIO())
    with pytest.raises(CommandError, match="Nothing was created"):
        call_command(
            "issue_token",
            approver.username,
            "--totp-code",
            _wrong(_code(device)),
            stdout=StringIO(),
            stderr=StringIO(),
        )
    assert not ApiToken.objects.exists()
    failure = AuditEvent.objects.get(action="otp.verify", result=AuditEvent.Result.FAILURE)
    assert failure.actor == approver and failure.details["purpose"] == "api_token"

    out = StringIO()
    call_command(
        "issue_token",
        approver.username,
        "--totp-code",
        _code(device),
        "--allow",
        "10.0.0.0/8,192.168.1.0/24",
        stdout=out,
        stderr=StringIO(),
    )
    token = ApiToken.objects.get()
    assert token.key_hash == key_digest(out.getvalue().strip())
    assert token.created_by == approver
    assert token.allowed_networks == ["10.0.0.0/8", "192.168.1.0/24"]


def test_issue_token_without_an_authenticator_creates_nothing(world):
    with pytest.raises(CommandError, match="Nothing was created"):
        call_command(
            "issue_token",
            world["approver"].username,
            "--totp-code",
            "123456",
            stdout=StringIO(),
            stderr=StringIO(),
        )
    with pytest.raises(CommandError, match=r"10\.0\.0\.0/33"):
        call_command(
            "issue_token",
            world["service"].username,
            "--allow",
            "10.0.0.0/33",
            stdout=StringIO(),
            stderr=StringIO(),
        )
    assert not ApiToken.objects.exists()


# --- the data migration ------------------------------------------------------------------


def test_the_migration_revokes_exactly_the_tokens_that_break_the_rule(client, world):
    approver, admin, now = world["approver"], world["admin"], timezone.now()

    def make(holder: User, creator: User | None, name: str) -> ApiToken:
        # Created as the old rule allowed: by an administrator or the system.
        token = ApiToken.objects.get(key_hash=key_digest(builders.api_key(holder, name=name)))
        ApiToken.objects.filter(pk=token.pk).update(created_by=creator)
        return token

    by_admin = make(approver, admin, "by admin")
    by_system = make(admin, None, "by system")  # a department administrator is privileged too
    own = make(approver, approver, "own")
    staff_by_admin = make(world["staff"], admin, "staff")
    service = make(world["service"], admin, "service")
    already = make(approver, admin, "already revoked")
    ApiToken.objects.filter(pk=already.pk).update(revoked_at=now - timedelta(days=1))

    migration = importlib.import_module(
        "accounts.migrations.0004_revoke_tokens_without_second_factor"
    )
    migration.revoke(apps, None)

    revoked = set(
        ApiToken.objects.filter(revoke_reason="second-factor rule").values_list("name", flat=True)
    )
    assert revoked == {"by admin", "by system"}
    for token in (own, staff_by_admin, service):
        token.refresh_from_db()
        assert token.revoked_at is None
    already.refresh_from_db()
    assert already.revoked_at < now
    events = AuditEvent.objects.filter(action="token.revoked")
    assert {e.details["prefix"] for e in events} == {by_admin.prefix, by_system.prefix}
    assert {e.details["reason"] for e in events} == {"second-factor rule"}
    # Running again finds nothing more.
    assert tokens_revoke_second_factor_breaches() == []

    # The holder sees the token as revoked, with the reason, on their token page.
    client.force_login(approver, backend=MODEL_BACKEND)
    page = client.get(LIST).content.decode()
    assert by_admin.prefix in page and "token-revoke-reason" in page
    assert by_system.prefix not in page  # another person's token


# --- client-network limits ----------------------------------------------------------------


def test_a_token_limited_to_networks_works_only_from_inside_them(world):
    key = builders.api_key(world["staff"], allowed_networks=("10.0.0.0/8", "2001:db8::/32"))
    token = ApiToken.objects.get(key_hash=key_digest(key))
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get(ME, REMOTE_ADDR="192.0.2.7").status_code == 401
    token.refresh_from_db()
    assert token.last_used_at is None  # the refusal changed nothing
    refusal = AuditEvent.objects.get(action="api_token.authenticate")
    assert refusal.result == AuditEvent.Result.FAILURE
    assert refusal.details["reason"] == "address" and refusal.client_address == "192.0.2.7"
    assert api.post("/api/v1/share-requests/", {}, REMOTE_ADDR="192.0.2.7").status_code == 401
    for inside in ("10.200.1.2", "2001:db8::5", "::ffff:10.0.0.9"):
        assert api.get(ME, REMOTE_ADDR=inside).status_code == 200, inside
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_the_forwarded_address_counts_only_behind_a_trusted_proxy(world, settings):
    key = builders.api_key(world["staff"], allowed_networks=("10.0.0.0/8",))
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    behind = {"REMOTE_ADDR": "192.0.2.1", "HTTP_X_FORWARDED_FOR": "10.1.1.1"}
    assert api.get(ME, **behind).status_code == 401
    settings.PORTAL_TRUST_X_FORWARDED_FOR = True
    assert api.get(ME, **behind).status_code == 200


def test_bad_networks_are_refused_with_a_clear_message(client, world, settings):
    staff = world["staff"]
    with pytest.raises(ValidationError) as caught:
        token_create(
            actor=staff, user=staff, name="x", scopes=["read"], allowed_networks=["10.0.0.300/8"]
        )
    assert "10.0.0.300/8" in caught.value.message_dict["allowed_networks"][0]
    many = [f"10.{n}.0.0/16" for n in range(21)]
    with pytest.raises(ValidationError, match="20"):
        token_create(actor=staff, user=staff, name="x", scopes=["read"], allowed_networks=many)
    client.force_login(staff, backend=MODEL_BACKEND)
    response = _post_token(client, staff, allowed_networks="10.0.0.0/8\nintranet")
    assert response.status_code == 400
    assert "intranet" in response.context["form"].errors["allowed_networks"][0]
    assert not ApiToken.objects.exists()
    response = _post_token(client, staff, allowed_networks="10.1.2.3/8, 192.0.2.0/24")
    assert response.status_code == 200
    assert ApiToken.objects.get().allowed_networks == ["10.0.0.0/8", "192.0.2.0/24"]
    assert "192.0.2.0/24" in client.get(LIST).content.decode()


def test_a_department_administrator_creates_a_service_account_and_issues_its_token(client, world):
    client.force_login(world["admin"], backend=MODEL_BACKEND)
    # A person still needs a password.
    response = client.post(
        reverse("accounts:member_create"), {"username": "person_no_pw", "kind": "person"}
    )
    assert response.status_code == 200 and "password" in response.context["form"].errors
    response = client.post(
        reverse("accounts:member_create"), {"username": "sys_budget", "kind": "service"}
    )
    assert response.status_code == 302
    system = User.objects.get(username="sys_budget")
    assert system.is_service_account and not system.has_usable_password()
    assert system.department == world["dept"]
    response = _post_token(client, system, allowed_networks="10.12.0.0/16")
    assert response.status_code == 200
    token = ApiToken.objects.get(user=system)
    assert token.created_by == world["admin"] and token.allowed_networks == ["10.12.0.0/16"]


def test_gaining_a_privileged_role_revokes_the_tokens_made_without_a_second_factor(world):
    staff, security = world["staff"], builders.user(None, roles=(Role.SECURITY_ADMIN,))
    own, _key = token_create(actor=staff, user=staff, name="mine", scopes=["read"])
    colleague = builders.api_key(world["service"])
    account_services.role_assign(actor=security, user=staff, role=Role.EDITOR)
    own.refresh_from_db()
    assert own.revoked_at is None  # an editor needs no second factor
    account_services.role_assign(actor=security, user=staff, role=Role.APPROVER)
    own.refresh_from_db()
    assert own.revoked_at is not None and own.revoke_reason == "second-factor rule"
    event = AuditEvent.objects.get(action="token.revoked")
    assert event.actor == security and event.details["prefix"] == own.prefix
    assert ApiToken.objects.get(key_hash=key_digest(colleague)).revoked_at is None
    # Tokens made with the second factor survive a further privileged role.
    fresh, _key = token_create(
        actor=staff, user=staff, name="new", scopes=["read"], second_factor_at=timezone.now()
    )
    account_services.role_assign(actor=security, user=staff, role=Role.COORDINATOR)
    fresh.refresh_from_db()
    assert fresh.revoked_at is None
