"""Per-request audit context: who is acting and from which address.

Services call ``audit.services.record()`` without a request; the middleware puts the client's
address here so every event carries it, whether it came from a page, the API or a command.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class AuditContext:
    client_address: str | None = None
    channel: str = "system"  # "web", "api" or "system" (commands, tasks)


_SYSTEM = AuditContext()
_current: ContextVar[AuditContext | None] = ContextVar("audit_context", default=None)


def current() -> AuditContext:
    """Return the audit context of the running request or command."""
    return _current.get() or _SYSTEM


@contextmanager
def audit_context(*, client_address: str | None = None, channel: str = "system") -> Iterator[None]:
    """Run a block with the given audit context."""
    token = _current.set(AuditContext(client_address=client_address, channel=channel))
    try:
        yield
    finally:
        _current.reset(token)
