"""One API limit across processes: the throttle counts in the cache every worker shares.

Each test starts separate Python processes (as gunicorn's workers are) that ask the API
throttle for the same token, and counts what they were let through in total. With a cache of
each process's own (Django's local-memory cache) every process would allow the whole limit.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.shared_cache

ROOT = Path(__file__).resolve().parent.parent
LIMIT = 400
# An hour's window: the test never straddles two windows unless it starts in the last seconds.
RATE = f"{LIMIT}/hour"


def _environment(**extra: str) -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL")}
    environment |= {"PORTAL_API_THROTTLE_RATE": RATE, "DJANGO_DEBUG": "0"} | extra
    return environment


def _workers(environment: dict[str, str], asks: list[int], *, together: bool) -> int:
    """Run one process per entry of ``asks``; return how many requests they let through."""
    token = str(secrets.randbelow(10**9) + 10**9)  # a bucket no other run shares
    command = [sys.executable, "-m", "tests.shared_cache_child", token]
    if together:
        processes = [
            subprocess.Popen(  # noqa: S603 (our own interpreter and module)
                [*command, str(n)], cwd=ROOT, env=environment, stdout=subprocess.PIPE, text=True
            )
            for n in asks
        ]
        outputs = [p.communicate(timeout=120)[0] for p in processes]
        assert all(p.returncode == 0 for p in processes)
    else:
        outputs = [
            subprocess.run(  # noqa: S603
                [*command, str(n)],
                cwd=ROOT,
                env=environment,
                capture_output=True,
                text=True,
                check=True,
                timeout=120,
            ).stdout
            for n in asks
        ]
    return sum(int(out.strip().splitlines()[-1]) for out in outputs)


def _same_window() -> bool:
    return time.time() % 3600 < 3570


def test_redis_holds_one_limit_for_concurrent_workers():
    url = os.environ.get("PORTAL_TEST_REDIS_URL")
    if not url:
        if os.environ.get("CI"):
            pytest.fail("PORTAL_TEST_REDIS_URL is not set: .ci/run starts redis-server for it")
        pytest.skip("no PORTAL_TEST_REDIS_URL: start redis-server and name it to run this test")
    if not _same_window():
        time.sleep(3600 - time.time() % 3600 + 1)
    # Four workers, 250 requests each, at the same time: exactly the limit gets through.
    assert _workers(_environment(REDIS_URL=url), [250] * 4, together=True) == LIMIT


def test_the_database_cache_is_one_for_every_process(tmp_path):
    """The embedded default (no Redis): the cache table, shared through the database file."""
    database = f"sqlite:///{tmp_path / 'cache.sqlite3'}"
    environment = _environment(DATABASE_URL=database)
    subprocess.run(
        [sys.executable, "manage.py", "createcachetable"],
        cwd=ROOT,
        env=environment,
        check=True,
        capture_output=True,
        timeout=120,
    )
    if not _same_window():
        time.sleep(3600 - time.time() % 3600 + 1)
    # One after the other (the database cache's increment is not atomic across processes).
    assert _workers(environment, [300, 300], together=False) == LIMIT
