"""gunicorn's settings for the portal's web processes (docs/operations.md, "Processes").

gunicorn reads this file from its working directory: start it from the project root
(``gunicorn portal.wsgi``) or name it with ``-c``. Command-line options override it.
"""

import os

# Threads, so a request waiting on a slow client or a large upload body never makes the health
# check (or anyone else) wait for a free process: with synchronous workers, four uploads at once
# held all four workers and /healthz queued behind them (docs/performance.md, "Crafted uploads").
# Django and the portal keep per-request state in context variables and per-thread connections.
worker_class = "gthread"
threads = int(os.environ.get("PORTAL_WEB_THREADS", "4"))
# The workers' heartbeat touches a file in this directory every second; on a disk-backed /tmp
# that call can block a worker under write load (gunicorn's documentation), so use memory.
# (gunicorn makes the file with mkstemp and unlinks it at once: no predictable name.)
SHARED_MEMORY = "/dev/shm"  # noqa: S108
worker_tmp_dir = SHARED_MEMORY if os.path.isdir(SHARED_MEMORY) else None


def post_worker_init(worker):
    """Open each thread's database connection before the worker takes requests (portal/warmup.py).

    Then move what the loaded application holds (modules, URL patterns, settings, translation
    catalogues: a few hundred thousand objects) out of the garbage collector's reach: a full
    collection scans every tracked object and took 150-340 ms in a process of that size, a
    pause inside whichever requests were running. What requests allocate is collected as usual.
    """
    import gc

    pool = getattr(worker, "tpool", None)
    if pool is not None:
        from portal.warmup import connect_threads

        connect_threads(pool, worker.cfg.threads)
    gc.freeze()
