"""Failed authentications: counted per client address, and audited without flooding the trail.

Every failed sign-in and every refused API token is worth an audit event, until one address
fails again and again: a script trying tokens or passwords would otherwise write thousands of
events a minute, each taking the chain's write lock. So failures are counted per client address
and minute in the default cache; the first ``PORTAL_AUTH_FAILURE_AUDIT_LIMIT`` of a minute are
recorded one by one, the next one is recorded as a single ``<counter>.failure_burst`` event for
that address and minute, and the rest of that minute are only counted.

The count lives in the cache (shared by the workers when the cache is, as in production); if
the cache forgets a count, that address simply starts again with events recorded one by one.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.cache import cache
from django.db import models
from django.utils import timezone

from .context import current
from .models import AuditEvent
from .services import record

if TYPE_CHECKING:  # the trail sits below the accounts app: no import of it at run time
    from accounts.models import User

WINDOW_SECONDS = 60
# Kept a little longer than the window, so a count is never dropped while its minute runs.
KEY_TIMEOUT = 2 * WINDOW_SECONDS
UNKNOWN_ADDRESS = "unknown"


def _now() -> datetime:
    return timezone.now()


def _minute(at: datetime | None) -> int:
    return int((at or _now()).timestamp()) // WINDOW_SECONDS


def _key(counter: str, address: str | None, minute: int) -> str:
    return f"portal:auth-failures:{counter}:{address or UNKNOWN_ADDRESS}:{minute}"


def failure_count(*, counter: str, address: str | None, at: datetime | None = None) -> int:
    """Return how many failures of this kind the address had in the minute of ``at`` (now)."""
    return int(cache.get(_key(counter, address, _minute(at)), 0))


def _increment(key: str) -> int:
    cache.add(key, 0, timeout=KEY_TIMEOUT)
    try:
        return int(cache.incr(key))
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=KEY_TIMEOUT)
        return 1


def record_failure(
    *,
    counter: str,
    action: str,
    actor: User | None = None,
    obj: models.Model | None = None,
    details: dict[str, Any] | None = None,
    username: str = "",
) -> AuditEvent | None:
    """Count a failed authentication from the current client address and audit it if due.

    Return the event written: the failure itself while the address is under the limit, the
    burst summary when it passes it, and None for the failures after that in the same minute.
    """
    address = current().client_address
    minute = _minute(None)
    count = _increment(_key(counter, address, minute))
    limit = int(settings.PORTAL_AUTH_FAILURE_AUDIT_LIMIT)
    if count <= limit:
        return record(
            actor=actor,
            action=action,
            obj=obj,
            result=AuditEvent.Result.FAILURE,
            details=details,
            username=username,
        )
    if count == limit + 1:
        started = datetime.fromtimestamp(minute * WINDOW_SECONDS, tz=UTC)
        return record(
            actor=None,
            action=f"{counter}.failure_burst",
            result=AuditEvent.Result.FAILURE,
            details={
                "failed_action": action,
                "limit": limit,
                "minute": started.isoformat(),
            },
        )
    return None
