"""Readying a web worker before its first request, and keeping the collector off its start-up heap.

Two things made single answers of a server process slow while the rest took milliseconds
(measured with gunicorn, docs/performance.md "Crafted uploads"):

- A worker's first request imported the URLconf and with it every view module, openpyxl and the
  pinyin tables (1.4–3 s), and loaded the translation catalogs.
- Python's cycle collector: once the heap holds some 340,000 objects (Django, DRF, the project's
  modules, URL patterns, translation catalogs), every full ("generation 2") collection walks all
  of them — 150–300 ms of one request, at whichever request happened to trigger it.

``prepare`` loads all that at start-up, then moves every object alive at that moment into the
collector's permanent generation (``gc.freeze``): they are module-level and live as long as the
process, so there was never anything to collect among them, and later full collections walk only
what requests create. Nothing is loaded that a request would not load anyway, and no database
connection is opened (a server that forks after loading the application must not share one).
"""

from __future__ import annotations

import gc
import logging
import threading
from collections.abc import Callable
from concurrent.futures import Executor

from django.conf import settings
from django.db import connection
from django.urls import get_resolver, reverse
from django.utils import translation

logger = logging.getLogger("portal.warmup")


def warm_up() -> None:
    """Load what a first request would: the URLconf with every view, and each language's catalog
    and URL reversing table."""
    resolver = get_resolver()
    resolver.url_patterns  # noqa: B018 (imports the URLconf and every view module)
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            # Reversing fills the resolver's per-language table; activating a language loads
            # (and caches) its merged catalog of every app.
            reverse("healthz")


def freeze_heap() -> int:
    """Collect once, then leave everything alive now out of later collections; return how many
    objects were frozen."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()


def prepare() -> int:
    """Ready this process to answer its first request as fast as its hundredth (see the module's
    docstring); return how many objects the collector no longer walks."""
    warm_up()
    return freeze_heap()


def _connect() -> None:
    connection.ensure_connection()


def connect_threads(
    pool: Executor, threads: int, connect: Callable[[], None] = _connect, timeout: float = 10
) -> int:
    """Open the database connection of each of the pool's ``threads`` threads; return how many.

    Django keeps a connection per thread; without this, a worker's second, third and fourth
    threads first run when its other threads are busy (an upload, say) and open their connection
    then, inside that request: 36–88 ms on a busy machine. A barrier makes each call run on a
    thread of its own. A failure (the database down while the server starts) is logged and left
    to the first request, as before: it must not stop the worker from starting.
    """
    barrier = threading.Barrier(threads)

    def one() -> None:
        barrier.wait(timeout)
        connect()

    opened = 0
    for future in [pool.submit(one) for _ in range(threads)]:
        try:
            future.result(timeout + 5)
        except Exception:  # any failure leaves the connection to the first request
            logger.warning("a worker thread's database connection was not opened", exc_info=True)
        else:
            opened += 1
    return opened
