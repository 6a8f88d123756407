"""Failed authentications are counted per client address; past the limit, one event a minute."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from audit import failures
from audit.context import audit_context
from audit.failures import failure_count, record_failure
from audit.models import AuditEvent

from .. import builders

pytestmark = pytest.mark.django_db
NOW = timezone.now().replace(second=10, microsecond=0)


@pytest.fixture(autouse=True)
def _clock(monkeypatch):
    """Hold the counters' clock in one minute: a test must not straddle a minute's end."""
    monkeypatch.setattr(failures, "_now", lambda: NOW)


def _bad_token(address: str, n: int) -> int:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token gdp_not-a-real-key-{n}")
    return client.get("/api/v1/me/", REMOTE_ADDR=address).status_code


def test_fifty_invalid_tokens_from_one_address_leave_a_few_events(settings):
    settings.PORTAL_AUTH_FAILURE_AUDIT_LIMIT = 5
    for n in range(50):
        assert _bad_token("10.9.9.9", n) == 401
    assert failure_count(counter="api_token", address="10.9.9.9") == 50
    one_by_one = AuditEvent.objects.filter(action="api_token.authenticate")
    burst = AuditEvent.objects.get(action="api_token.failure_burst")
    assert one_by_one.count() == 5
    assert AuditEvent.objects.count() == 6  # nothing else was written either
    assert burst.result == AuditEvent.Result.FAILURE
    assert burst.client_address == "10.9.9.9"
    assert burst.details["limit"] == 5 and burst.details["failed_action"] == (
        "api_token.authenticate"
    )
    # Another address is counted on its own and is recorded one by one again.
    assert _bad_token("10.9.9.10", 99) == 401
    assert failure_count(counter="api_token", address="10.9.9.10") == 1
    assert one_by_one.filter(client_address="10.9.9.10").count() == 1


def test_the_next_minute_starts_a_new_count(settings):
    settings.PORTAL_AUTH_FAILURE_AUDIT_LIMIT = 2
    with audit_context(client_address="10.1.1.1", channel="api"):
        events = [
            record_failure(counter="api_token", action="api_token.authenticate") for _ in "abcd"
        ]
    assert [e.action if e else None for e in events] == [
        "api_token.authenticate",
        "api_token.authenticate",
        "api_token.failure_burst",
        None,
    ]
    later = NOW + timedelta(minutes=1)
    assert failure_count(counter="api_token", address="10.1.1.1") == 4
    assert failure_count(counter="api_token", address="10.1.1.1", at=later) == 0


def test_failed_sign_ins_are_counted_and_summarised(client, settings):
    settings.PORTAL_AUTH_FAILURE_AUDIT_LIMIT = 3
    builders.user(builders.department(), username="carol")
    for n in range(12):
        # Different accounts from one address: the lockout (per account) does not stop it.
        client.post(
            reverse("login"),
            {"username": f"guess{n}", "password": "wrong-password-123"},
            REMOTE_ADDR="10.0.0.7",
        )
    assert failure_count(counter="login", address="10.0.0.7") == 12
    assert AuditEvent.objects.filter(action="login.failure").count() == 3
    assert AuditEvent.objects.filter(action="login.failure_burst").count() == 1
    # The account's own failures from elsewhere are still recorded one by one.
    client.post(
        reverse("login"),
        {"username": "carol", "password": "wrong-password-123"},
        REMOTE_ADDR="10.0.0.8",
    )
    assert AuditEvent.objects.filter(action="login.failure", actor_username="carol").count() == 1
