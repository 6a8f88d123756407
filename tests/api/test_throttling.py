"""Throttling counts per token and answers 429 with Retry-After."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from .. import builders
from .conftest import issue

pytestmark = pytest.mark.django_db


@pytest.fixture
def low_rate(settings):
    # A fixed window: per hour, so a test's requests do not straddle a new window (with a
    # per-minute rate they could, once in a while, and be counted afresh).
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api": "3/hour"},
    }


def test_a_token_over_its_rate_gets_429_with_retry_after(low_rate):
    person = builders.user(builders.department())
    first, second = APIClient(), APIClient()
    first.credentials(HTTP_AUTHORIZATION=f"Token {issue(person)}")
    second.credentials(HTTP_AUTHORIZATION=f"Token {issue(person)}")
    assert [first.get("/api/v1/me/").status_code for _ in range(3)] == [200, 200, 200]
    refused = first.get("/api/v1/me/")
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "throttled"
    assert 0 < int(refused["Retry-After"]) <= 3600
    # Another token of the same person has its own bucket.
    assert second.get("/api/v1/me/").status_code == 200
