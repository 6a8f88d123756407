"""Helpers shared by the catalog maintenance tests."""

from __future__ import annotations

from django.core.signals import request_finished
from django.db import close_old_connections
from django.test import Client

from accounts.models import User

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def login(client: Client, user: User) -> Client:
    """Sign the user in through the model backend (the policy backend only answers has_perm)."""
    client.force_login(User.objects.get(pk=user.pk), backend=MODEL_BACKEND)
    return client


def body(response) -> bytes:
    """Return a response's bytes, streamed or not."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def hang_up(response) -> None:
    """Close a response as the server does when the client goes away.

    As the test client does too: without closing the test's database connection, which Django
    closes at the end of a request outside tests.
    """
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)
