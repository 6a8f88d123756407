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
