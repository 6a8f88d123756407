"""Middleware of the portal's shared pages."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .kept import forget_kept

SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")


class ForgetKeptWorkMiddleware:
    """After an unsafe request (a form sent, an action taken), show the user's work afresh.

    So a user who decides a request sees the inbox badge and "My work" go down on the next
    page (``portal.kept``). Signed-in users only; the user is read after the view, so a
    sign-in clears what was kept for the user who signed in.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.method not in SAFE_METHODS:
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                forget_kept(user.pk)
        return response
