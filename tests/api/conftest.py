"""Fixtures of the API tests: a token per matrix user and a client that calls as them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache
from rest_framework.response import Response
from rest_framework.test import APIClient

from accounts.models import User

from .. import builders

API = "/api/v1/"
# force_login() picks the first backend unless told; the policy backend loads no users.
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.fixture(autouse=True)
def _fresh_throttle_buckets():
    """Throttle counters live in the cache; no test inherits another's."""
    cache.clear()
    yield
    cache.clear()


def issue(user: User, scopes: tuple[str, ...] = ("read", "write"), days: int = 30) -> str:
    """Return the key of a new token for the user (created by them after a second factor)."""
    return builders.api_key(user, scopes=scopes, days=days)


@pytest.fixture
def keys(matrix) -> dict[str, str]:
    """Return a read-write token key for every matrix user (the inactive one's is refused)."""
    result = {}
    for user_key, user in matrix.users.items():
        if user.is_active:
            result[user_key] = issue(user)
        else:  # issued while the account was active, then the account was disabled
            User.objects.filter(pk=user.pk).update(is_active=True)
            result[user_key] = issue(User.objects.get(pk=user.pk))
            User.objects.filter(pk=user.pk).update(is_active=False)
    return result


Caller = Callable[..., Response]


@pytest.fixture
def call(keys) -> Caller:
    """Return ``call(user_key, method, path, data=None)`` that sends the user's token."""

    def _call(user_key: str, method: str, path: str, data: Any = None, **extra: Any) -> Response:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {keys[user_key]}")
        url = path if path.startswith("/") else API + path
        return getattr(client, method.lower())(url, data, format="json", **extra)

    return _call


def ids(response: Response) -> set[int]:
    """Return the ids on a page of results."""
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}
