"""Middleware that records the client's address for the audit trail."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from .context import audit_context


def client_address(request: HttpRequest) -> str | None:
    """Return the client's address, trusting X-Forwarded-For only behind a configured proxy."""
    if getattr(settings, "PORTAL_TRUST_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip() or None
    return request.META.get("REMOTE_ADDR") or None


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        channel = "api" if request.path.startswith("/api/") else "web"
        with audit_context(client_address=client_address(request), channel=channel):
            return self.get_response(request)
