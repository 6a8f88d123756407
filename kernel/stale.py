"""Values kept in the shared cache and recounted behind the request that finds them old.

A value is *fresh* for ``fresh`` seconds after it was computed; for ``stale`` seconds more it
is still served, and the first request that finds it old asks for a refresh (``refresh``,
usually a task for the worker) instead of recomputing it itself. Past both, or when nothing is
kept, the request computes it, as a plain cache would.

So a value that takes long to compute (the catalog's facet counts: a quarter of a second at
province scale) is paid for by the task worker, not by the unlucky request after each expiry,
and is at most ``fresh + stale`` seconds old when the worker is not running. One refresh is
asked for per key and ``stale`` window (a mark added with ``cache.add``); the refresh clears the
mark when it stores the new value (``store``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import cache

T = TypeVar("T")

logger = logging.getLogger(__name__)


def _mark(key: str) -> str:
    return key + ":refreshing"


def store(key: str, value: Any, *, fresh: int, stale: int) -> None:
    """Keep ``value`` under ``key``: fresh for ``fresh`` seconds, served ``stale`` more."""
    cache.set(key, (time.time() + fresh, value), fresh + stale)
    if stale > 0:
        cache.delete(_mark(key))


def unpack(found: Any) -> tuple[Any, bool] | None:
    """Return ``(value, fresh)`` of what ``cache.get`` found under a kept key, or None."""
    if not (isinstance(found, tuple) and len(found) == 2):
        return None
    fresh_until, value = found
    return value, time.time() < fresh_until


def kept(
    key: str,
    compute: Callable[[], T],
    *,
    fresh: int,
    stale: int,
    refresh: Callable[[], None],
    found: Any = None,
) -> T:
    """Return the value kept under ``key``, computing it only when nothing usable is kept.

    ``found`` is what the caller already read under ``key`` (from a ``get_many``), if it did.
    With ``fresh`` of 0 or less nothing is kept.
    """
    if fresh <= 0:
        return compute()
    entry = unpack(found if found is not None else cache.get(key))
    if entry is not None:
        value, is_fresh = entry
        if is_fresh:
            return value
        if stale > 0:
            if cache.add(_mark(key), 1, timeout=stale):
                try:
                    refresh()
                except Exception:
                    # The old value is still right to show; the next request asks again.
                    cache.delete(_mark(key))
                    logger.exception("could not ask for a refresh of %s", key)
            return value
    value = compute()
    store(key, value, fresh=fresh, stale=stale)
    return value
