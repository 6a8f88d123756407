"""How long a fresh clone takes from ``make run`` to a portal that answers.

    python3 bench/start.py [--runs 2] [--port 8765]

Each run clones the repository's HEAD into a new temporary directory, starts ``make run``
there (SQLite, the demo loaded) and asks ``/healthz`` every 0.2 s until it answers 200. It
prints, as Markdown, the seconds from ``make`` to each stage of the start (taken from the first
line of output each stage prints) and to the first answer, with the load average before and
after each run. Results go to docs/performance.md, "Starting the demo".

Only the system's Python and make are used, as on a fresh machine; pip's download cache is
whatever this machine has (a first start anywhere also downloads about 40 MB of wheels).
``PYTHONDONTWRITEBYTECODE`` is removed from the environment, as on a fresh machine.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The first output line of each stage of `make run` (Makefile), in order.
STAGES = (
    ("environment and runtime packages", "manage.py compile_translations"),
    ("database migrated", "manage.py load_demo"),
    ("demo loaded", "Demo ready"),
    ("server starting", "runserver"),
)


def _load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback only
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def one_run(port: int) -> dict[str, float | str]:
    workdir = Path(tempfile.mkdtemp(prefix="portal-start-"))
    subprocess.run(["git", "clone", "-q", str(ROOT), str(workdir)], check=True)
    env = {
        k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "VIRTUAL_ENV")
    }
    env.pop("DATABASE_URL", None)
    seen: dict[str, float] = {"load before": 0.0}
    result: dict[str, float | str] = {"load before": _load()}
    started = time.monotonic()
    process = subprocess.Popen(
        ["make", "run", f"PORT={port}"],
        cwd=workdir,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            for stage, marker in STAGES:
                if stage not in seen and marker in line:
                    seen[stage] = time.monotonic() - started

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        while not _answers(f"http://127.0.0.1:{port}/healthz"):
            if process.poll() is not None:
                raise SystemExit(f"make run ended with {process.returncode} before answering")
            if time.monotonic() - started > 600:
                raise SystemExit("no answer within 600 s")
            time.sleep(0.2)
        result["first answer"] = time.monotonic() - started
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
        shutil.rmtree(workdir, ignore_errors=True)
    for stage, _marker in STAGES:
        if stage in seen:
            result[stage] = seen[stage]
    result["load after"] = _load()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    runs = [one_run(args.port) for _ in range(args.runs)]
    columns = ["load before"] + [stage for stage, _ in STAGES] + ["first answer", "load after"]
    print("| run | " + " | ".join(columns) + " |")
    print("|---|" + "---|" * len(columns))
    for number, run in enumerate(runs, start=1):
        cells = [
            run.get(column, "–")
            if isinstance(run.get(column), str)
            else f"{run[column]:.1f} s"
            if column in run
            else "–"
            for column in columns
        ]
        print(f"| {number} | " + " | ".join(str(cell) for cell in cells) + " |")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
