"""The health check and the web process's start: /healthz does one database round trip, and a
server process is ready, with the collector off its start-up heap, before its first request
(portal/warmup.py; docs/performance.md, "Crafted uploads")."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
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
