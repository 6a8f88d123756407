"""The broker's shared state in the cache (Redis in production): call rates and circuits.

Both live in Django's default cache so every worker of every host sees the same counts, with
``add`` and ``incr`` (one atomic step each in Redis), as the API's own throttle does
(accounts/api/throttling.py).

- Rate: a fixed window per consumer department and interface (``PORTAL_EXCHANGE_CALL_RATE``).
- Circuit: consecutive failures per interface; at ``PORTAL_EXCHANGE_BREAKER_FAILURES`` the
  circuit opens for ``PORTAL_EXCHANGE_BREAKER_SECONDS``: calls are refused without reaching
  the upstream. After that calls go through again (half-open): a success closes the circuit,
  a failure opens it again at once.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

PERIODS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hour": 3600, "d": 86400, "day": 86400}

Clock = Callable[[], float]


def parse_rate(rate: str) -> tuple[int, int] | None:
    """Return (calls, seconds) of a rate like ``600/min``; None for no limit."""
    if not rate:
        return None
    count, _slash, period = rate.partition("/")
    return int(count), PERIODS.get(period.strip().lower(), 60)


@dataclass
class RateDecision:
    allowed: bool
    retry_after: float = 0.0


def rate_take(
    department_id: int | None, interface_id: int, *, clock: Clock = time.time
) -> RateDecision:
    """Count one call of the department on the interface; refuse it over the rate."""
    parsed = parse_rate(str(getattr(settings, "PORTAL_EXCHANGE_CALL_RATE", "")))
    if parsed is None:
        return RateDecision(True)
    limit, period = parsed
    now = clock()
    window = int(now // period)
    key = f"exchange:rate:{department_id or 0}:{interface_id}:{window}"
    cache.add(key, 0, timeout=2 * period)
    try:
        count = int(cache.incr(key))
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=2 * period)
        count = 1
    if count <= limit:
        return RateDecision(True)
    return RateDecision(False, max(1.0, (window + 1) * period - now))


def _failures_key(interface_id: int) -> str:
    return f"exchange:breaker:{interface_id}:failures"


def _open_key(interface_id: int) -> str:
    return f"exchange:breaker:{interface_id}:open_until"


def breaker_open_until(interface_id: int, *, clock: Clock = time.time) -> float | None:
    """Return when the interface's open circuit lets a call through again, or None if closed."""
    until = cache.get(_open_key(interface_id))
    if until is None or float(until) <= clock():
        return None
    return float(until)


def breaker_success(interface_id: int) -> bool:
    """Close the circuit after a good call; return whether it had been opened (it recovered)."""
    keys = [_failures_key(interface_id), _open_key(interface_id)]
    found = cache.get_many(keys)  # a read: most calls succeed after a success, nothing to clear
    if any(found.get(k) for k in keys):
        cache.delete_many(keys)
    return found.get(keys[1]) is not None


def breaker_failure(interface_id: int, *, clock: Clock = time.time) -> bool:
    """Count a failed call; return True when this failure opens the circuit."""
    threshold = int(getattr(settings, "PORTAL_EXCHANGE_BREAKER_FAILURES", 5))
    seconds = int(getattr(settings, "PORTAL_EXCHANGE_BREAKER_SECONDS", 60))
    key = _failures_key(interface_id)
    if cache.get(_open_key(interface_id)) is not None:  # half-open: it failed again
        cache.set(_open_key(interface_id), clock() + seconds, timeout=max(3600, 2 * seconds))
        return False
    cache.add(key, 0, timeout=max(3600, 2 * seconds))
    try:
        failures = int(cache.incr(key))
    except ValueError:
        cache.set(key, 1, timeout=max(3600, 2 * seconds))
        failures = 1
    if failures < threshold:
        return False
    # Kept past its end, so a failure after it (half-open) knows the circuit had opened.
    cache.set(_open_key(interface_id), clock() + seconds, timeout=max(3600, 2 * seconds))
    cache.set(key, 0, timeout=max(3600, 2 * seconds))
    return True
