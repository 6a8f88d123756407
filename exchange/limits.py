"""The broker's shared state in the cache (Redis in production): call rates and circuits.

Both live in Django's default cache so every worker of every host sees the same counts, with
``kernel.cache.window_count`` (one atomic step in Redis), as the API's own throttle does
(accounts/api/throttling.py).

- Rate: a fixed window per consumer department and interface (``PORTAL_EXCHANGE_CALL_RATE``).
- Circuit: consecutive failures per interface; at ``PORTAL_EXCHANGE_BREAKER_FAILURES`` the
  circuit opens for ``PORTAL_EXCHANGE_BREAKER_SECONDS``: calls are refused without reaching
  the upstream. After that calls go through again (half-open): a success closes the circuit,
  a failure opens it again at once.

Before a call, ``call_admitted`` counts it on the rate and reads the circuit: with Redis as the
cache, the two are one pipeline (one round trip, the count's ``SET NX`` and ``INCR`` in one
``MULTI``); with another cache, ``rate_take`` then ``breaker_open_until``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache, caches

from kernel.cache import is_redis, window_count, window_pipeline

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


def _rate(department_id: int | None, interface_id: int, now: float) -> tuple[str, int, int, int]:
    """Return the rate's key of the current window, the limit, the period and the window."""
    parsed = parse_rate(str(getattr(settings, "PORTAL_EXCHANGE_CALL_RATE", "")))
    assert parsed is not None
    limit, period = parsed
    window = int(now // period)
    return f"exchange:rate:{department_id or 0}:{interface_id}:{window}", limit, period, window


def rate_take(
    department_id: int | None, interface_id: int, *, clock: Clock = time.time
) -> RateDecision:
    """Count one call of the department on the interface; refuse it over the rate."""
    if parse_rate(str(getattr(settings, "PORTAL_EXCHANGE_CALL_RATE", ""))) is None:
        return RateDecision(True)
    now = clock()
    key, limit, period, window = _rate(department_id, interface_id, now)
    if window_count(key, 2 * period) <= limit:
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


def call_admitted(
    department_id: int | None, interface_id: int, *, clock: Clock = time.time
) -> tuple[RateDecision, float | None]:
    """Count one call of the department on the rate, then read the interface's circuit.

    Return the rate's decision and, for an allowed call, when the open circuit lets calls
    through again (None: closed), as ``rate_take`` then ``breaker_open_until`` would.
    """
    backend = caches["default"]
    rated = parse_rate(str(getattr(settings, "PORTAL_EXCHANGE_CALL_RATE", ""))) is not None
    if not (rated and is_redis(backend)):
        decision = rate_take(department_id, interface_id, clock=clock)
        if not decision.allowed:
            return decision, None
        return decision, breaker_open_until(interface_id, clock=clock)
    now = clock()
    key, limit, period, window = _rate(department_id, interface_id, now)
    client: Any = backend._cache  # type: ignore[attr-defined]
    pipe = window_pipeline(backend, key, 2 * period)  # the window's count, kept 2 periods
    pipe.get(backend.make_and_validate_key(_open_key(interface_id)))
    _added, count, until = pipe.execute()
    if int(count) > limit:
        return RateDecision(False, max(1.0, (window + 1) * period - now)), None
    if until is None or float(client._serializer.loads(until)) <= now:
        return RateDecision(True), None
    return RateDecision(True), float(client._serializer.loads(until))


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
    if window_count(key, max(3600, 2 * seconds)) < threshold:
        return False
    # Kept past its end, so a failure after it (half-open) knows the circuit had opened.
    cache.set(_open_key(interface_id), clock() + seconds, timeout=max(3600, 2 * seconds))
    cache.set(key, 0, timeout=max(3600, 2 * seconds))
    return True
