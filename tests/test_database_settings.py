"""The settings connect as the tables' owner only when asked (PORTAL_DB_AS_OWNER)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHOW = "import portal.settings as s; print(s.DATABASES['default']['USER'])"


def _user(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "PORTAL_DB"))}
    return subprocess.run(  # noqa: S603 - this interpreter, a fixed script
        [sys.executable, "-c", SHOW],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_owner_url_is_used_only_with_the_switch():
    urls = {
        "DATABASE_URL": "postgres://portal_app@db.example/portal",
        "DATABASE_OWNER_URL": "postgres://portal_owner@db.example/portal",
    }
    assert _user(**urls).stdout.strip() == "portal_app"
    assert _user(**urls, PORTAL_DB_AS_OWNER="1").stdout.strip() == "portal_owner"
    # The switch without an owner URL is a configuration error, not a silent runtime login.
    missing = _user(DATABASE_URL=urls["DATABASE_URL"], PORTAL_DB_AS_OWNER="1")
    assert missing.returncode != 0
    assert "DATABASE_OWNER_URL is not" in missing.stderr


REPLICA = """
import json, portal.settings as s
print(json.dumps({
    "aliases": sorted(s.DATABASES),
    "replica": s.DATABASES.get("replica", {}).get("PORT"),
    "test": s.DATABASES.get("replica", {}).get("TEST"),
    "routers": getattr(s, "DATABASE_ROUTERS", []),
    "first_middleware": s.MIDDLEWARE[0],
}))
"""


def _replica_settings(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "PORTAL_DB"))}
    return subprocess.run(  # noqa: S603 - this interpreter, a fixed script
        [sys.executable, "-c", REPLICA],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_a_replica_adds_its_alias_router_and_middleware_only_when_set():
    import json

    primary = "postgres://portal_app@db.example/portal"
    unset = json.loads(_replica_settings(DATABASE_URL=primary).stdout)
    assert unset["aliases"] == ["default"] and unset["routers"] == []
    assert unset["first_middleware"] != "kernel.db_router.ReplicaMiddleware"
    replica_url = "postgres://portal_app@db-replica.example:5433/portal"
    shown = json.loads(
        _replica_settings(DATABASE_URL=primary, DATABASE_REPLICA_URL=replica_url).stdout
    )
    assert shown["aliases"] == ["default", "replica"] and shown["replica"] == 5433
    # No test database is made on the standby: it has the primary's, by replication.
    assert shown["test"] == {"MIRROR": "default"}
    assert shown["routers"] == ["kernel.db_router.ReplicaRouter"]
    assert shown["first_middleware"] == "kernel.db_router.ReplicaMiddleware"
    # A replica of SQLite is a configuration error.
    sqlite = _replica_settings(DATABASE_REPLICA_URL=replica_url)
    assert sqlite.returncode != 0 and "needs PostgreSQL" in sqlite.stderr
