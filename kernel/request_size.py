"""Refusing a request body larger than the portal accepts, from its declared length alone.

Django reads a multipart upload to the end (into memory or a temporary file) before a form or a
service can compare the file's size with its limit: a 2 GB body occupied a web thread and the
disk for as long as it took to arrive, only to be refused. This middleware answers 413 from the
Content-Length header, before anything reads the body. The limit
(``PORTAL_REQUEST_MAX_BYTES``) is the largest upload the portal accepts plus room for the form's
other fields; each upload's own, smaller limit is still checked where the file is used.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

logger = logging.getLogger("portal.security")


def declared_length(request: HttpRequest) -> int:
    """Return the request's Content-Length (0 when absent or unreadable)."""
    try:
        return max(0, int(request.META.get("CONTENT_LENGTH") or 0))
    except ValueError:
        return 0


class RequestSizeLimitMiddleware:
    """Answer 413 to a request declaring a body over ``PORTAL_REQUEST_MAX_BYTES`` (0: no limit).

    It sits above every middleware that reads the body (CSRF reads the POST data), so nothing
    of the body is read; a logged warning names the path, the declared size and the address.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.limit = int(settings.PORTAL_REQUEST_MAX_BYTES)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        length = declared_length(request)
        if self.limit and length > self.limit:
            logger.warning(
                "request body refused unread: %s %s declares %d bytes (limit %d) from %s",
                request.method,
                request.path,
                length,
                self.limit,
                request.META.get("REMOTE_ADDR", ""),
            )
            message = _(
                "The request is %(size)s MB; the portal accepts at most %(limit)s MB. "
                "Nothing of it was read."
            ) % {"size": f"{length / 1048576:.1f}", "limit": f"{self.limit / 1048576:.0f}"}
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
