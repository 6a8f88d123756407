"""Starting the portal: dependencies declared in pyproject.toml and locked with hashes, `make run`
installing only the runtime, the banner's address, and no warnings on a fresh start."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from catalog.models import Resource

ROOT = Path(__file__).resolve().parent.parent
RUN_LOCK = ROOT / "requirements.lock"
DEV_LOCK = ROOT / "requirements-dev.lock"
# A pinned requirement in pyproject.toml: name, optional [extras], ==version.
DECLARED = re.compile(r"^([A-Za-z0-9._-]+)(?:\[[^\]]*\])?==([^;\s]+)$")
# A pin in a lock file, followed by its hash lines.
LOCKED = re.compile(
    r"^([A-Za-z0-9._-]+)==(\S+) \\\n((?:\s+--hash=sha256:[0-9a-f]{64}(?: \\)?\n)+)", re.M
)

MAKE = shutil.which("make")
needs_make = pytest.mark.skipif(MAKE is None, reason="needs make")


def _name(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _declared(*extras: str) -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    lines = list(project["dependencies"])
    for extra in extras:
        lines += project["optional-dependencies"][extra]
    pins = {}
    for line in lines:
        match = DECLARED.match(line)
        assert match, f"{line!r}: pin every declared dependency (name==version)"
        pins[_name(match[1])] = match[2]
    return pins


def _locked(path: Path) -> dict[str, str]:
    text = path.read_text()
    pins = {_name(m[1]): m[2] for m in LOCKED.finditer(text)}
    # Every requirement line is a hashed pin: nothing slips past --require-hashes.
    requirement_lines = [
        line for line in text.splitlines() if line and not line[0].isspace() and line[0] != "#"
    ]
    assert len(requirement_lines) == len(pins), "a lock line without a pin and hashes"
    return pins


def test_the_locks_pin_what_pyproject_declares():
    run, dev = _locked(RUN_LOCK), _locked(DEV_LOCK)
    for name, version in _declared().items():
        assert run.get(name) == version, f"requirements.lock: {name} is not {version}"
    for name, version in _declared("test", "dev").items():
        assert dev.get(name) == version, f"requirements-dev.lock: {name} is not {version}"
    # The full install keeps every runtime pin: `make test` after `make run` changes nothing.
    assert {name: dev.get(name) for name in run} == run
    # The runtime lock holds none of the tools.
    assert not {"pytest", "mypy", "ruff", "playwright", "schemathesis"} & set(run)


def _make(*args: str) -> str:
    assert MAKE
    result = subprocess.run(  # noqa: S603 - the project's own Makefile, fixed arguments
        [MAKE, "--no-print-directory", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return result.stdout


@needs_make
def test_make_run_installs_only_the_runtime(tmp_path):
    # A venv that does not exist yet: make prints the commands it would run (-n), runs none.
    venv = f"VENV={tmp_path / 'venv'}"
    run = " ".join(_make("-n", "run", venv).replace("\\\n", " ").split())
    # pip installs uv, pinned with its hashes; uv installs the locked runtime, checking each hash.
    assert "scripts/make_venv.py" in run and "requirements-uv.lock" in run
    assert "uv pip install" in run
    assert "--require-hashes --compile-bytecode -r requirements.lock" in run
    assert "requirements-dev.lock" not in run
    # Nor the development server's notice that it is one (the README's Production section).
    assert "DJANGO_RUNSERVER_HIDE_WARNING=true" in run
    test = " ".join(_make("-n", "test", venv).replace("\\\n", " ").split())
    assert "--require-hashes --compile-bytecode -r requirements.lock" in test
    assert "--require-hashes --compile-bytecode -r requirements-dev.lock" in test


@needs_make
def test_the_banner_prints_the_address_served():
    banner = _make("banner", "PORT=8123", "HOST=0.0.0.0")
    assert "http://0.0.0.0:8123/" in banner
    assert ":8000" not in banner
    assert "http://127.0.0.1:8000/" in _make("banner", "PORT=8000", "HOST=127.0.0.1")


@pytest.mark.django_db
def test_no_system_check_warns_about_the_covering_index():
    # The model checks, as `migrate` and `runserver` print them (silenced ones left out).
    out, err = StringIO(), StringIO()
    call_command("check", "--tag", "models", "--database", "default", stdout=out, stderr=err)
    assert "W040" not in out.getvalue() + err.getvalue()
    assert "no issues" in out.getvalue()
    # Silenced, not removed: PostgreSQL still builds the index with the facets' columns.
    index = next(i for i in Resource._meta.indexes if i.name == "resource_visibility")
    assert index.include


def test_serving_the_demo_does_not_warn_of_uncollected_static_files(tmp_path):
    # `make run` serves from the source folders (WHITENOISE_USE_FINDERS) without collectstatic.
    code = "import django; django.setup(); from django.core.handlers.wsgi import WSGIHandler; WSGIHandler()"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DJANGO_STATIC_ROOT": str(tmp_path / "not-collected"),
        "DJANGO_DEBUG": "0",
    }
    env.pop("PORTAL_PRODUCTION", None)
    result = subprocess.run(  # noqa: S603 - this interpreter, fixed arguments
        [sys.executable, "-W", "error::UserWarning", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "No directory at" not in result.stderr


def test_the_installer_is_pinned_with_its_hashes():
    # make_venv.py installs uv with pip's --require-hashes: a pin without hashes would be refused.
    locked = LOCKED.findall((ROOT / "requirements-uv.lock").read_text())
    assert [(name, version) for name, version, _hashes in locked] == [
        ("uv", re.search(r"^uv==(\S+)$", (ROOT / "requirements-uv.in").read_text(), re.M)[1])
    ]
    assert locked[0][2].count("--hash=sha256:") > 1  # every platform's wheel
