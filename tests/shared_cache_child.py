"""A worker of its own for tests/test_shared_cache.py: ask the API throttle N times.

Run as ``python -m tests.shared_cache_child TOKEN_ID N`` with the cache and the rate in the
environment (REDIS_URL or DATABASE_URL, PORTAL_API_THROTTLE_RATE); prints how many requests
the throttle let through.
"""

from __future__ import annotations

import os
import sys
from types import SimpleNamespace

import django


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    django.setup()
    from accounts.api.throttling import PerTokenThrottle
    from accounts.models import ApiToken

    token_id, count = int(sys.argv[1]), int(sys.argv[2])
    request = SimpleNamespace(auth=ApiToken(pk=token_id), user=None, META={})
    allowed = sum(PerTokenThrottle().allow_request(request, None) for _ in range(count))  # type: ignore[arg-type]
    print(allowed)


if __name__ == "__main__":
    main()
