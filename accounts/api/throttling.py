"""Throttling per token (or per person for sessions): 429 with Retry-After when over the rate.

The count is a fixed window (the rate's period, aligned to the clock) kept in Django's default
cache (``kernel.cache.window_count``): one atomic increment per request in Redis, so the limit
holds exactly across every worker that shares the cache (docs/operations.md, "Cache"). A sliding log
(DRF's default) reads, edits and writes back a list, and concurrent workers overwrite each
other's entries: the documented limit then only holds per process.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.cache import cache
from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from accounts.models import ApiToken
from kernel.cache import window_count


class PerTokenThrottle(SimpleRateThrottle):
    """Count requests per API token; a person's session is one more bucket of its own."""

    scope = "api"
    cache = cache  # the default cache, looked up through its proxy at each request

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

    def allow_request(self, request: Request, view: Any) -> bool:
        # The rate is read per request: tests and operators change it without a restart.
        self.rate = self.get_rate()
        if self.rate is None:
            return True
        num_requests, duration = self.parse_rate(self.rate)
        if num_requests is None or duration is None:
            return True
        self.num_requests, self.duration = num_requests, duration
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        now = self.timer()
        window = int(now // duration)
        self.window_end = float((window + 1) * duration)
        counter = f"{key}:{window}"
        # Kept past its window so a count is never dropped while the window runs.
        return window_count(counter, 2 * duration) <= num_requests

    def wait(self) -> float | None:
        """Return the seconds until the window ends (at least one), for Retry-After."""
        return max(1.0, self.window_end - self.timer())

    def timer(self) -> float:
        return time.time()
