"""API tokens: stored as a digest, scoped, expiring, revocable, audited, stamped when used."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ApiToken
from accounts.services.tokens import token_revoke
from audit.models import AuditEvent

from .. import builders
from .conftest import MODEL_BACKEND, issue

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(db):
    return builders.user(builders.department(), clearance=2)


def client_with(header: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    return client


def test_only_the_digest_and_a_prefix_are_stored(person):
    key = issue(person)
    token = ApiToken.objects.get(user=person)
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert token.prefix == key[:12] and key.startswith("gdp_")
    stored = [str(v) for v in ApiToken.objects.filter(pk=token.pk).values().get().values()]
    assert key not in stored
    assert len(key) >= 40  # 32 random bytes behind the prefix


@pytest.mark.parametrize("keyword", ["Token", "Bearer", "bearer"])
def test_both_header_styles_work(person, keyword):
    key = issue(person)
    response = client_with(f"{keyword} {key}").get("/api/v1/me/")
    assert response.status_code == 200
    assert response.json()["token"]["prefix"] == key[:12]


def test_a_read_token_reads_but_cannot_write(person):
    client = client_with(f"Token {issue(person, scopes=('read',))}")
    assert client.get("/api/v1/resources/").status_code == 200
    response = client.post("/api/v1/resources/", {}, format="json")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"


def test_an_expired_token_is_refused_and_the_refusal_audited(person):
    key = issue(person)
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client_with(f"Token {key}").get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"
    event = AuditEvent.objects.get(action="api_token.authenticate")
    assert event.result == "failure" and event.details["reason"] == "expired"
    assert key not in str(event.details)


def test_a_revoked_token_stops_working_at_once(person):
    key = issue(person)
    client = client_with(f"Bearer {key}")
    assert client.get("/api/v1/me/").status_code == 200
    token_revoke(actor=None, token=ApiToken.objects.get(user=person))
    assert client.get("/api/v1/me/").status_code == 401
    assert AuditEvent.objects.filter(action="api_token.revoke").count() == 1


def test_an_unknown_key_is_refused_with_the_same_message(person):
    expired_key = issue(person)
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(days=1))
    unknown = client_with("Token gdp_not-a-real-key").get("/api/v1/me/")
    expired = client_with(f"Token {expired_key}").get("/api/v1/me/")
    assert unknown.status_code == expired.status_code == 401
    assert unknown.json() == expired.json()
    assert unknown["WWW-Authenticate"].startswith("Token")
    reasons = set(
        AuditEvent.objects.filter(action="api_token.authenticate").values_list(
            "details__reason", flat=True
        )
    )
    assert reasons == {"unknown", "expired"}


def test_a_disabled_account_disables_its_tokens(person):
    key = issue(person)
    person.is_active = False
    person.save(update_fields=["is_active"])
    assert client_with(f"Token {key}").get("/api/v1/me/").status_code == 401


def test_malformed_headers_are_refused(person):
    assert client_with("Token").get("/api/v1/me/").status_code == 401
    assert client_with("Token a b").get("/api/v1/me/").status_code == 401
    assert APIClient().get("/api/v1/me/").status_code == 401


def test_last_use_is_stamped_at_most_once_a_minute(person, django_assert_num_queries):
    client = client_with(f"Token {issue(person)}")
    token = ApiToken.objects.get(user=person)
    assert token.last_used_at is None
    client.get("/api/v1/me/")
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    assert first is not None
    client.get("/api/v1/me/")
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first  # no second write
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - timedelta(minutes=2))
    client.get("/api/v1/me/")
    assert ApiToken.objects.get(pk=token.pk).last_used_at > first - timedelta(minutes=2)


def test_creation_is_audited_without_the_key(person):
    key = issue(person)
    event = AuditEvent.objects.get(action="api_token.create")
    assert event.details["prefix"] == key[:12]
    assert key not in str(event.details) and key not in event.object_repr


def test_the_session_works_for_the_browsable_api_with_csrf(person):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(person, backend=MODEL_BACKEND)
    assert client.get("/api/v1/me/").status_code == 200
    html = client.get("/api/v1/resources/", HTTP_ACCEPT="text/html")
    assert html.status_code == 200 and html["Content-Type"].startswith("text/html")
    response = client.post("/api/v1/resources/", {}, format="json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["error"]["message"]


def test_scopes_and_validity_are_validated(person):
    from django.core.exceptions import ValidationError

    from accounts.services.tokens import token_create

    for kwargs in ({"scopes": ["admin"]}, {"scopes": []}, {"days": 0}, {"days": 10_000}):
        with pytest.raises(ValidationError):
            token_create(
                actor=None, user=person, name="x", **{"scopes": ["read"], "days": 30, **kwargs}
            )
    assert not ApiToken.objects.exists()
    token, _key = token_create(actor=None, user=person, name="x", scopes=["write"], days=1)
    assert token.scopes == "read,write"
