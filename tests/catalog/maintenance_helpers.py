"""Helpers shared by the catalog maintenance tests."""

from __future__ import annotations

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
