"""Reads from a PostgreSQL streaming replica, writes and read-your-writes on the primary.

Installed only when ``DATABASE_REPLICA_URL`` is set (portal/settings.py): the ``replica`` alias,
``ReplicaRouter`` and ``ReplicaMiddleware``. Without it nothing here runs and every query goes to
``default``, as before (docs/operations.md, "Read replica"; docs/decisions.md, "Read replica").

A read goes to the replica only when all of these hold, otherwise to the primary:

* it happens inside a web request (``ReplicaMiddleware`` sets the request's state in a
  ``ContextVar``: the web server runs requests on threads), or inside ``replica_reads()``;
  management commands and the task worker read what they have just written, so they read from
  the primary unless they opt in;
* the request is safe (GET, HEAD, OPTIONS) and has written nothing yet;
* no transaction is open on the primary (what a transaction reads, it may write back);
* the user made no unsafe request (or write) in the last ``PORTAL_REPLICA_PIN_SECONDS``: after
  one, the response pins the user to the primary through a key in the shared cache, which a
  browser session and an API token client alike share across processes;
* the model is not one of ``PRIMARY_LABELS``: the rows every security decision rests on;
* the replica answered the last health check (at most ``PORTAL_REPLICA_CHECK_SECONDS`` old, per
  process) no more than ``PORTAL_REPLICA_MAX_LAG_SECONDS`` behind the primary.

A replica that stops answering between two health checks fails the safe requests that chose it
in that moment: the middleware then checks it again at once (so the process's later requests
read from the primary) and, when it is down, answers the request a second time from the
primary. A request that recorded an audit event before it failed records it again in the
second pass (two events for one visit, never none).

SECURITY: the rows that say who someone is and what they may do (users and their roles, API
tokens, sessions, two-factor devices, sign-in lockouts, grants and the guardian rows of object
permissions, the cache table that holds the pins) are always read from the primary, so a
revocation, a deactivation or a sign-out is acted on at once. The per-object data-read decision
(``sharing.policies.data_read``), the token lookup, the key lookups of data rows and the audit
chain's head are compiled queries (kernel/compiled.py), which run on ``default`` unless told
otherwise: the router is not asked. What a lagging replica can still show is listed in
docs/security.md, "Read replica".
"""

from __future__ import annotations

import logging
import math
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.signals import got_request_exception
from django.db import (
    DEFAULT_DB_ALIAS,
    DatabaseError,
    InterfaceError,
    OperationalError,
    connections,
    models,
    transaction,
)
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)

REPLICA = "replica"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Apps and models whose rows are always read from the primary (see the module's SECURITY note).
PRIMARY_LABELS = frozenset(
    {
        "accounts.user",
        "accounts.roleassignment",
        "accounts.apitoken",
        "sharing.grant",
        "catalog.resourceuserobjectpermission",
        "catalog.resourcegroupobjectpermission",
        "auth",
        "guardian",
        "sessions",
        "axes",
        "otp_totp",
        "otp_static",
        "django_cache",
    }
)
# Writes that leave a request's later reads where they were: the audit trail is appended to by
# reads too (data reads are audited), and nothing reads its own event back in the request.
UNTRACKED_WRITES = frozenset({"audit"})
PIN_KEY = "replica-pin:{}"


def _labels(model: type[models.Model]) -> tuple[str, str]:
    meta = model._meta
    return meta.app_label, meta.label_lower


def always_primary(model: type[models.Model]) -> bool:
    """Return whether the model's rows are read from the primary whatever the request."""
    app, label = _labels(model)
    return app in PRIMARY_LABELS or label in PRIMARY_LABELS


def _clock() -> float:
    return time.time()


@dataclass
class ReadState:
    """What the router knows of the request (or opted-in command) it serves."""

    request: HttpRequest | None = None
    unsafe: bool = False
    wrote: bool = False
    primary_only: bool = False  # the second pass of a request the replica failed
    chose_replica: bool = False
    failed: bool = False  # a connection error was raised after the replica had been chosen
    _pins: dict[Any, bool] = field(default_factory=dict)
    _resolving: bool = False

    def pinned(self) -> bool:
        """Return whether the request's user wrote within the pin's seconds (looked up once)."""
        if self.request is None or self._resolving:
            return self._resolving
        self._resolving = True  # loading the user reads the session and the user: primary
        try:
            user = getattr(self.request, "user", None)
            user_id = user.pk if user is not None and user.is_authenticated else None
            if user_id not in self._pins:
                until = cache.get(PIN_KEY.format(user_id)) if user_id is not None else None
                self._pins[user_id] = until is not None and until > _clock()
            return self._pins[user_id]
        finally:
            self._resolving = False


_state: ContextVar[ReadState | None] = ContextVar("replica_read_state", default=None)


@contextmanager
def replica_reads() -> Iterator[None]:
    """Let a command's or task's reads go to the replica (under the router's other rules).

    Only for reads that may be a few seconds old: what the block writes it reads back from the
    primary, but what it wrote before the block it may not see.
    """
    token = _state.set(ReadState())
    try:
        yield
    finally:
        _state.reset(token)


# --- The replica's health, per process -------------------------------------------------------


@dataclass(frozen=True)
class ReplicaStatus:
    """The last health check of the replica."""

    checked_at: float
    lag_seconds: float | None  # None: the replica did not answer, or is not a standby
    error: str = ""

    @property
    def usable(self) -> bool:
        return (
            self.lag_seconds is not None
            and self.lag_seconds <= settings.PORTAL_REPLICA_MAX_LAG_SECONDS
        )

    @property
    def state(self) -> str:
        if self.lag_seconds is None:
            return "down"
        return "ok" if self.usable else "lagging"


_status: ReplicaStatus | None = None
_status_lock = threading.Lock()


def _lsn(text: str) -> int:
    high, _, low = text.partition("/")
    return (int(high, 16) << 32) + int(low, 16)


def measure_replica() -> ReplicaStatus:
    """Ask the primary where its WAL is and the replica how far it has replayed.

    The lag is 0 when the replica has replayed everything the primary had written when asked;
    otherwise it is the time since the last transaction the replica replayed (an idle primary's
    first write after a quiet spell therefore counts as lag until it is replayed: the reads
    go to the primary meanwhile, which is safe).
    """
    now = _clock()
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_lsn()::text")
            primary = _lsn(cursor.fetchone()[0])
        with connections[REPLICA].cursor() as cursor:
            cursor.execute(
                "SELECT pg_last_wal_replay_lsn()::text, "
                "EXTRACT(EPOCH FROM clock_timestamp() - pg_last_xact_replay_timestamp())"
            )
            replayed, age = cursor.fetchone()
    except DatabaseError as exc:
        logger.warning("The read replica did not answer: %s", exc)
        return ReplicaStatus(now, None, str(exc).strip()[:200])
    if replayed is None:
        logger.error("DATABASE_REPLICA_URL names a server that is not a standby")
        return ReplicaStatus(now, None, "not a standby")
    if _lsn(replayed) >= primary:
        return ReplicaStatus(now, 0.0)
    return ReplicaStatus(now, float(age) if age is not None else math.inf)


def replica_status(*, refresh: bool = False) -> ReplicaStatus | None:
    """Return the replica's last health check, checking again when it is older than the interval.

    One request thread checks at a time; the others go on with the previous result meanwhile
    (none yet: the primary). ``refresh`` checks now (the health check page).
    """
    global _status
    status = _status
    stale = status is None or _clock() - status.checked_at >= settings.PORTAL_REPLICA_CHECK_SECONDS
    if not (refresh or stale):
        return status
    if not _status_lock.acquire(blocking=refresh):
        return status
    try:
        _status = measure_replica()
        return _status
    finally:
        _status_lock.release()


def forget_replica_status() -> None:
    """Drop the process's last health check (tests)."""
    global _status
    _status = None


# --- The router and the middleware ---------------------------------------------------------


class ReplicaRouter:
    """Send reads to ``replica`` under the rules of the module's docstring; all else to default."""

    def db_for_read(self, model: type[models.Model], **hints: Any) -> str:
        state = _state.get()
        if state is None or state.unsafe or state.wrote or state.primary_only:
            return DEFAULT_DB_ALIAS
        if always_primary(model):
            return DEFAULT_DB_ALIAS
        if transaction.get_connection(DEFAULT_DB_ALIAS).in_atomic_block or state.pinned():
            return DEFAULT_DB_ALIAS
        status = replica_status()
        if status is None or not status.usable:
            return DEFAULT_DB_ALIAS
        state.chose_replica = True
        return REPLICA

    def db_for_write(self, model: type[models.Model], **hints: Any) -> str:
        state = _state.get()
        tracked = not always_primary(model) and _labels(model)[0] not in UNTRACKED_WRITES
        if state is not None and tracked:
            state.wrote = True  # the request reads its own writes back from the primary
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: models.Model, obj2: models.Model, **hints: Any) -> bool:
        # Both aliases are the same database: an object read from one may point at the other's.
        return {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA, None}

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == DEFAULT_DB_ALIAS


def _note_failure(sender: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
    """Mark the request's state when a connection error escaped a request that used the replica."""
    state = _state.get()
    if state is None or not state.chose_replica or state.primary_only:
        return
    error = sys.exc_info()[1]
    if isinstance(error, (OperationalError, InterfaceError)):
        state.failed = True


def _replica_down() -> bool:
    """Check the replica now, on a fresh connection; return whether it is not to be read."""
    connections[REPLICA].close()  # a broken connection would fail the check whatever the server
    status = replica_status(refresh=True)
    return status is None or not status.usable


class ReplicaMiddleware:
    """Give each request its read state, and pin its user to the primary after a write.

    Outermost, so that every read of the request (the session, the user) sees the state. An
    unsafe request (or a safe one that wrote) pins its user, whoever it turned out to be once
    signed in (a session or an API token), for ``PORTAL_REPLICA_PIN_SECONDS``. A streamed
    response's body is read after this returns, without state: from the primary.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        got_request_exception.connect(_note_failure, dispatch_uid="kernel.db_router")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        state = ReadState(request=request, unsafe=request.method not in SAFE_METHODS)
        token = _state.set(state)
        try:
            response = self.get_response(request)
            if state.failed and not state.unsafe and _replica_down():
                # The replica went away under this safe request: answer it from the primary.
                logger.warning("The read replica failed a request; answering it from the primary")
                state = ReadState(request=request, primary_only=True)
                _state.set(state)
                response = self.get_response(request)
        finally:
            _state.reset(token)
        seconds = settings.PORTAL_REPLICA_PIN_SECONDS
        if (state.unsafe or state.wrote) and seconds > 0:
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                cache.set(PIN_KEY.format(user.pk), _clock() + seconds, timeout=seconds + 1)
        return response
