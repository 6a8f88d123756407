"""Throttling per token (or per person for sessions): 429 with Retry-After when over the rate."""

from __future__ import annotations

from typing import Any

from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from accounts.models import ApiToken


class PerTokenThrottle(SimpleRateThrottle):
    """Count requests per API token; a person's session is one more bucket of its own."""

    scope = "api"

    def get_rate(self) -> str | None:
        # Read at request time (not import time), so the rate follows settings changes.
        rate = api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)
        return str(rate) if rate else None

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if isinstance(request.auth, ApiToken):
            ident = f"token:{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user:{request.user.pk}"
        else:
            ident = f"address:{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
