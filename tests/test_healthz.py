"""The health check and the web process's start: /healthz does one database round trip, and a
server process is ready, with the collector off its start-up heap, before its first request
(portal/warmup.py; docs/performance.md, "Crafted uploads")."""

from __future__ import annotations

import json
import os
import runpy
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent

# Imports the WSGI module as gunicorn does, then reports what a first request would still load.
STARTED = """
import gc, json, sys
import portal.wsgi
from django.db import connection
from django.utils.translation import trans_real
print(json.dumps({
    "frozen": gc.get_freeze_count(),
    "walked": len(gc.get_objects()),
    "urlconf": "portal.urls" in sys.modules and "datasets.views" in sys.modules,
    "catalogs": sorted(trans_real._translations),
    "connected": connection.connection is not None,
}))
"""


@pytest.mark.skipif(
    "replica" in settings.DATABASES,
    reason="with a read replica the check measures its lag too (tests/test_replica.py)",
)
@pytest.mark.django_db
def test_healthz_answers_with_one_query(client, django_assert_num_queries):
    client.get(reverse("healthz"))  # the connection is open: its set-up is not the check's
    with django_assert_num_queries(1):
        response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_healthz_is_for_get_only(client):
    assert client.post(reverse("healthz")).status_code == 405


def test_the_wsgi_module_warms_up_and_freezes_the_heap_without_a_database_connection():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings", "DJANGO_DEBUG": "0"}
    done = subprocess.run(  # noqa: S603 - this interpreter, a fixed script
        [sys.executable, "-c", STARTED], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    started = json.loads(done.stdout.strip().splitlines()[-1])
    # Every view module is imported and each language's catalog loaded before any request.
    assert started["urlconf"]
    assert {"zh-hans", "en"} <= set(started["catalogs"])
    # Full collections walk what requests create, not the start-up heap (hundreds of thousands
    # of objects, 150–300 ms a collection).
    assert started["frozen"] > 100_000
    assert started["walked"] < started["frozen"] // 100
    # A server that forks after loading the application must not hand one connection to all.
    assert not started["connected"]


def test_each_worker_thread_opens_its_connection_before_the_first_request():
    from concurrent.futures import ThreadPoolExecutor

    from portal.warmup import connect_threads

    threads: set[int] = set()
    with ThreadPoolExecutor(max_workers=4) as pool:
        opened = connect_threads(pool, 4, connect=lambda: threads.add(threading.get_ident()))
    assert opened == 4 and len(threads) == 4  # every thread of the pool, not one four times


def test_a_database_that_does_not_answer_at_start_does_not_stop_the_worker(caplog):
    from concurrent.futures import ThreadPoolExecutor

    from portal.warmup import connect_threads

    def down() -> None:
        raise OSError("connection refused")

    with ThreadPoolExecutor(max_workers=2) as pool, caplog.at_level("WARNING", "portal.warmup"):
        assert connect_threads(pool, 2, connect=down) == 0
    assert "connection was not opened" in caplog.text


def test_gunicorn_runs_threads_with_their_connections_open_and_its_heartbeat_in_memory():
    from gunicorn.config import Config

    found = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    config = Config()
    for name in ("worker_class", "threads", "worker_tmp_dir", "post_worker_init"):
        config.set(name, found[name])
    assert config.worker_class_str == "gthread" and config.threads >= 2
    assert config.worker_tmp_dir == "/dev/shm" or not Path("/dev/shm").is_dir()  # noqa: S108


def test_database_connections_are_kept_for_the_threads_life_unless_configured(monkeypatch):
    from portal.settings import conn_max_age

    monkeypatch.delenv("DATABASE_CONN_MAX_AGE", raising=False)
    assert conn_max_age() is None
    monkeypatch.setenv("DATABASE_CONN_MAX_AGE", "60")
    assert conn_max_age() == 60
