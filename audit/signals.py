"""Audit events for sign-in, sign-out and failed sign-in (Django's auth signals)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .failures import record_failure
from .services import record


@receiver(user_logged_in, dispatch_uid="audit_login_success")
def _login_success(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    record(actor=user, action="login.success")


@receiver(user_login_failed, dispatch_uid="audit_login_failure")
def _login_failure(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    # The credentials are already scrubbed of the password by Django; keep only the name tried.
    username = str(credentials.get("username", ""))
    # Counted per client address: past the limit, one event per address and minute.
    record_failure(counter="login", action="login.failure", username=username)


@receiver(user_logged_out, dispatch_uid="audit_logout")
def _logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record(actor=user, action="logout")
