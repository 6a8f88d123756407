"""Response headers that Django's SecurityMiddleware does not set, and no caching of private answers."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers, patch_cache_control


class SecurityHeadersMiddleware:
    """Add the Content-Security-Policy and Permissions-Policy to every response.

    The layout has no inline script or style (base.html, static/portal/portal.js), so the policy
    needs no 'unsafe-inline' and a script injected into a page does not run.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.csp = settings.PORTAL_CONTENT_SECURITY_POLICY
        self.permissions = settings.PORTAL_PERMISSIONS_POLICY

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.csp)
        response.headers.setdefault("Permissions-Policy", self.permissions)
        return response


class PrivateCacheMiddleware:
    """Forbid storing private answers: ``Cache-Control: no-store, private`` (and no-cache).

    Private means a response to a signed-in user, any API answer (a token call is anonymous at
    this point: DRF authenticates later) and any download (an attachment or a streamed body). A
    shared proxy or the browser's disk cache would otherwise keep a page of sensitive data after
    the user signed out on a shared machine. Public static files are served by WhiteNoise above
    this middleware and keep their long-lived caching.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self._private(request, response):
            add_never_cache_headers(response)
            patch_cache_control(response, private=True)
        return response

    @staticmethod
    def _private(request: HttpRequest, response: HttpResponse) -> bool:
        if request.path.startswith("/api/"):
            return True
        if response.streaming or "attachment" in response.get("Content-Disposition", ""):
            return True
        user = getattr(request, "user", None)
        return bool(user is not None and user.is_authenticated)
