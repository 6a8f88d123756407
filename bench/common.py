"""What the benchmark scripts (bench/datasets.py, bench/quality.py, bench/consistency.py) share:
the machine's description, its load, temporary files, and their section of docs/performance.md.

No Django here: the scripts set Django up themselves, each with its own settings overrides.
"""

from __future__ import annotations

import contextlib
import os
import platform
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PERFORMANCE = ROOT / "docs" / "performance.md"


def loadavg() -> str:
    """Return the one-minute load average, as the kernel reports it."""
    return Path("/proc/loadavg").read_text().split()[0]


def machine(raw: Any) -> dict[str, str]:
    """Describe the machine and its PostgreSQL (``raw``: a DB-API cursor on it) for a report."""
    raw.execute("SHOW server_version")
    pg = raw.fetchone()[0]
    mem = next(
        line.split()[1]
        for line in Path("/proc/meminfo").read_text().splitlines()
        if "MemTotal" in line
    )
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    return {
        "cpus (nproc)": subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip(),
        "cpu": cpu,
        "ram": f"{int(mem) / 1048576:.1f} GiB",
        "postgresql": pg,
        "python": platform.python_version(),
    }


@contextlib.contextmanager
def temporary_path(suffix: str = ".csv") -> Iterator[Path]:
    """Yield the path of a new empty temporary file, removed afterwards (even on failure)."""
    handle, name = tempfile.mkstemp(suffix=suffix)
    path = Path(name)
    try:
        with open(handle, "wb"):
            pass
        yield path
    finally:
        path.unlink(missing_ok=True)


def report(heading: str, text: str, path: Path = PERFORMANCE) -> None:
    """Replace (or add, at the end) the section of docs/performance.md that ``heading`` opens."""
    existing = path.read_text(encoding="utf-8") if path.exists() else "# Performance\n"
    if heading in existing:
        before, _sep, after = existing.partition(heading)
        rest = after.split("\n## ", 1)
        existing = before + ("## " + rest[1] if len(rest) > 1 else "")
    path.write_text(existing.rstrip() + "\n\n" + text, encoding="utf-8")


@contextlib.contextmanager
def task_worker(env: dict[str, str] | None = None) -> Iterator[subprocess.Popen[bytes]]:
    """Run ``manage.py db_worker`` for the ``counts`` queue beside the measured code.

    What a page hands to the worker (the facet recount past its minute, kernel/stale.py) is
    then done in the measurement's time, on the same two cores, not left queued. The default
    queue (imports, the evaluation figures a page's audit events make due) is left alone: its
    work does not follow from the measured requests' own cost.
    """
    worker = subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--queue-name",
            "counts",
            "--no-startup-delay",
            "--no-reload",
        ],
        cwd=ROOT,
        env={**os.environ, "DJANGO_LOG_LEVEL": "WARNING", **(env or {})},
    )
    try:
        yield worker
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
