"""The API token page (own tokens; a department administrator's department's) and issue_token.

The second-factor rule and address limits have their own tests (test_token_second_factor.py).
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import ApiToken, Role
from accounts.services.tokens import key_digest
from audit.models import AuditEvent

from .. import builders

pytestmark = pytest.mark.django_db

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
LIST = "/accounts/tokens/"


@pytest.fixture
def world(db):
    dept, elsewhere = builders.department(), builders.department()
    return {
        "admin": builders.user(dept, clearance=2, roles=(Role.STAFF, Role.DEPARTMENT_ADMIN)),
        "staff": builders.user(dept, clearance=2),
        "service": builders.user(dept, clearance=2, kind="service"),
        "other_service": builders.user(elsewhere, clearance=2, kind="service"),
        "outsider": builders.user(elsewhere, clearance=2),
        "other_admin": builders.user(
            elsewhere, clearance=2, roles=(Role.STAFF, Role.DEPARTMENT_ADMIN)
        ),
    }


def signed_in(client, user):
    client.force_login(user, backend=MODEL_BACKEND)
    return client


def test_the_admin_issues_a_token_for_a_service_account_and_sees_the_key_once(client, world):
    signed_in(client, world["admin"])
    response = client.post(
        LIST,
        {"user": world["service"].pk, "name": "不动产登记系统", "scopes": ["read"], "days": 30},
    )
    assert response.status_code == 200
    key = response.context["key"]
    assert key in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get()
    assert token.user == world["service"] and token.key_hash == key_digest(key)
    assert token.created_by == world["admin"]
    listing = client.get(LIST).content.decode()
    assert token.prefix in listing and key not in listing
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert api.get("/api/v1/me/").json()["username"] == world["service"].username


def test_bad_input_is_explained_and_creates_nothing(client, world):
    signed_in(client, world["admin"])
    response = client.post(LIST, {"user": world["outsider"].pk, "name": "", "days": 0})
    assert response.status_code == 400
    form = response.context["form"]
    assert {"user", "name", "scopes", "days"} <= set(form.errors)
    response = client.post(
        LIST, {"user": world["service"].pk, "name": "x", "scopes": ["read"], "days": 100_000}
    )
    assert response.status_code == 400 and "days" in response.context["form"].errors
    # Another person of the department is no choice: an administrator issues only for service
    # accounts.
    response = client.post(
        LIST, {"user": world["staff"].pk, "name": "x", "scopes": ["read"], "days": 1}
    )
    assert response.status_code == 400 and "user" in response.context["form"].errors
    assert not ApiToken.objects.exists()


def test_the_list_shows_only_the_departments_tokens(client, world):
    from accounts.services.tokens import token_create

    own, _k = token_create(actor=None, user=world["staff"], name="本部门系统", scopes=["read"])
    foreign, _k = token_create(
        actor=None, user=world["outsider"], name="外部门系统", scopes=["read"]
    )
    page = signed_in(client, world["admin"]).get(LIST).content.decode()
    assert own.prefix in page and foreign.prefix not in page
    choices = {u.pk for u in client.get(LIST).context["form"].fields["user"].queryset}
    assert choices == {world["admin"].pk, world["service"].pk}


def test_revoking_own_departments_token_only(client, world):
    from accounts.services.tokens import token_create

    own, _k = token_create(actor=None, user=world["staff"], name="本部门系统", scopes=["read"])
    foreign, _k = token_create(
        actor=None, user=world["outsider"], name="外部门系统", scopes=["read"]
    )
    signed_in(client, world["admin"])
    assert client.post(reverse("accounts:token_revoke", args=[foreign.pk])).status_code == 404
    response = client.post(reverse("accounts:token_revoke", args=[own.pk]))
    assert response.status_code == 302
    own.refresh_from_db()
    foreign.refresh_from_db()
    assert own.revoked_at is not None and foreign.revoked_at is None
    event = AuditEvent.objects.get(action="api_token.revoke")
    assert event.actor == world["admin"]
    assert client.get(reverse("accounts:token_revoke", args=[own.pk])).status_code == 405


def test_a_person_sees_and_creates_only_their_own_tokens(client, world):
    from accounts.services.tokens import token_create

    assert client.get(LIST).status_code == 302  # to the login page
    colleague, _k = token_create(actor=None, user=world["service"], name="系统", scopes=["read"])
    signed_in(client, world["staff"])
    page = client.get(LIST)
    assert page.status_code == 200 and colleague.prefix not in page.content.decode()
    choices = {u.pk for u in page.context["form"].fields["user"].queryset}
    assert choices == {world["staff"].pk}
    response = client.post(
        LIST, {"user": world["service"].pk, "name": "x", "scopes": ["read"], "days": 1}
    )
    assert response.status_code == 400 and "user" in response.context["form"].errors
    assert client.post(reverse("accounts:token_revoke", args=[colleague.pk])).status_code == 404
    response = client.post(
        LIST, {"user": world["staff"].pk, "name": "我的脚本", "scopes": ["read"], "days": 1}
    )
    assert response.status_code == 200
    own = ApiToken.objects.get(name="我的脚本")
    assert own.user == world["staff"] and own.created_by == world["staff"]
    # The holder revokes their own token.
    assert client.post(reverse("accounts:token_revoke", args=[own.pk])).status_code == 302
    own.refresh_from_db()
    colleague.refresh_from_db()
    assert own.revoked_at is not None and colleague.revoked_at is None


def test_the_navigation_links_the_page_for_administrators_only(client, world):
    signed_in(client, world["admin"])
    assert LIST in client.get("/").content.decode()
    signed_in(client, world["staff"])
    assert LIST not in client.get("/").content.decode()


def test_issue_token_command_prints_a_working_key(world):
    out, err = StringIO(), StringIO()
    call_command(
        "issue_token",
        world["staff"].username,
        "--scopes",
        "read,write",
        "--days",
        "7",
        stdout=out,
        stderr=err,
    )
    key = out.getvalue().strip()
    token = ApiToken.objects.get()
    assert token.key_hash == key_digest(key) and token.scopes == "read,write"
    assert token.prefix in err.getvalue()
    assert AuditEvent.objects.filter(action="api_token.create", actor=None).exists()
    with pytest.raises(CommandError):
        call_command("issue_token", "nobody-by-that-name", stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("issue_token", world["staff"].username, "--scopes", "root", stdout=StringIO())
