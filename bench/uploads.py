"""The health check while crafted files are uploaded: four at once, through the upload page.

Run against PostgreSQL (not part of the test suite), with the project's virtualenv:

    DATABASE_URL=postgres://postgres@127.0.0.1:55433/portal_bench \
        .venv/bin/python bench/uploads.py [--workers 4] [--rounds 2]

It creates a provider with an editor and a resource (bench/datasets.py ``world``), starts
gunicorn as configured for production (gunicorn.conf.py; ``--workers`` and ``--threads``
override it; DEBUG off) and one task worker (``manage.py db_worker``) on loopback, then, in
each round, uploads four hostile files at the same moment through the upload form — a workbook
whose shared strings inflate to 63 MB, one whose directory declares a gigabyte, a CSV with a
100 MB line, and the first again — while a process of its own asks ``/healthz`` every 20 ms
(the monotonic clock, so its samples compare with the rounds' times). It prints, as Markdown: ``/healthz``'s latency before and during the uploads (p50, p99, max, and
how many answers were not 200), and for each file its size, how long the upload took, how long
until its import job was refused, and the message the uploader sees. Only loopback addresses
are used. Results go to docs/performance.md, "Crafted uploads".
"""

from __future__ import annotations

import argparse
import io
import multiprocessing
import os
import re
import runpy
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402

from bench.datasets import world  # noqa: E402
from datasets.models import ImportJob  # noqa: E402
from tests.test_upload_limits import declared_gigabyte, shared_strings_bomb  # noqa: E402

HOST = "127.0.0.1"
POLL_SECONDS = 0.02
TARGET_MS = 100  # /healthz must answer within this while the uploads run


def long_line_csv() -> bytes:
    """A CSV whose second line is 100 MB long."""
    return "名称,编号\n".encode() + b"x" * (100 * 1024 * 1024) + b",1\n"


FILES = [
    ("shared-strings.xlsx", shared_strings_bomb),
    ("declared-1GB.xlsx", declared_gigabyte),
    ("long-line.csv", long_line_csv),
    ("shared-strings-2.xlsx", shared_strings_bomb),
]


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def get(port: int, path: str, headers: dict[str, str] | None = None, timeout: float = 30):
    request = urllib.request.Request(f"http://{HOST}:{port}{path}", headers=headers or {})
    return urllib.request.urlopen(request, timeout=timeout)  # noqa: S310 (loopback only)


def wait_until_up(port: int, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    problem: Exception | None = None
    while time.monotonic() < deadline:
        try:
            get(port, "/healthz", timeout=5)
            return
        except OSError as exc:
            problem = exc
            time.sleep(0.3)
    raise SystemExit(f"gunicorn did not start: {problem}")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def multipart(fields: dict[str, str], name: str, content: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [
        (f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n').encode()
        for k, v in fields.items()
    ]
    parts.append(
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + content
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def _poll(port: int, stopping: Any, out: Any) -> None:
    """Ask /healthz every POLL_SECONDS until told to stop; send back (asked, seconds, status)."""
    samples = []
    while not stopping.is_set():
        started = time.monotonic()
        try:
            status = get(port, "/healthz", timeout=60).status
        except urllib.error.HTTPError as exc:
            status = exc.code
        except OSError:
            status = 0
        samples.append((started, time.monotonic() - started, status))
        time.sleep(POLL_SECONDS)
    out.send(samples)


class Healthz:
    """The /healthz poller, in a process of its own so the uploads' client does not slow it.

    ``time.monotonic`` is the same clock in both processes (CLOCK_MONOTONIC), so its samples
    compare with the rounds' start and end times.
    """

    def __init__(self, port: int) -> None:
        self.stopping = multiprocessing.Event()
        self._receiver, sender = multiprocessing.Pipe(duplex=False)
        self._process = multiprocessing.Process(
            target=_poll, args=(port, self.stopping, sender), daemon=True
        )
        self.samples: list[tuple[float, float, int]] = []

    def start(self) -> None:
        self._process.start()

    def stop(self) -> None:
        self.stopping.set()
        if self._process.is_alive() or self._receiver.poll(5):
            self.samples = self._receiver.recv()
        self._process.join(timeout=10)

    def between(self, start: float, end: float) -> list[tuple[float, float, int]]:
        return [s for s in self.samples if start <= s[0] <= end]


def rank(ordered: list[float], q: float) -> float:
    """The nearest-rank percentile of sorted values (never above the largest)."""
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


def figures(samples: list[tuple[float, float, int]]) -> str:
    times = sorted(s[1] * 1000 for s in samples)
    bad = sum(1 for s in samples if s[2] != 200)
    over = sum(1 for t in times if t > TARGET_MS)
    return (
        f"{len(times)} | {rank(times, 0.5):.1f} | {rank(times, 0.95):.1f} | "
        f"{rank(times, 0.99):.1f} | {times[-1]:.1f} | {over} | {bad}"
    )


def upload_round(port: int, cookies: str, token: str, resource_pk: int) -> list[dict]:
    """Post the four files at once; return, per file, the upload time and the job's pk."""
    opener = urllib.request.build_opener(NoRedirect)
    url = f"http://{HOST}:{port}/catalog/resources/{resource_pk}/data/upload/"
    bodies = [
        (name, *multipart({"csrfmiddlewaretoken": token, "mode": "replace"}, name, make()))
        for name, make in FILES
    ]
    results: list[dict] = [{} for _ in bodies]
    barrier = threading.Barrier(len(bodies))

    def send(index: int) -> None:
        name, body, content_type = bodies[index]
        request = urllib.request.Request(
            url,
            data=body,
            headers={"Cookie": cookies, "Content-Type": content_type, "Referer": url},
        )
        barrier.wait()
        started = time.monotonic()
        try:
            response = opener.open(request, timeout=120)
            status, location = response.status, response.headers.get("Location", "")
        except urllib.error.HTTPError as exc:
            status, location = exc.code, exc.headers.get("Location", "")
        found = re.search(r"/data/jobs/(\d+)/", location or "")
        results[index] = {
            "name": name,
            "size": len(body),
            "started": started,
            "uploaded": time.monotonic() - started,
            "status": status,
            "job": int(found.group(1)) if found else None,
        }

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(bodies))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def wait_for_jobs(results: list[dict], timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    pending = {r["job"]: r for r in results if r["job"]}
    while pending and time.monotonic() < deadline:
        finished = ImportJob.objects.filter(
            pk__in=list(pending), status__in=[ImportJob.Status.FAILED, ImportJob.Status.SUCCEEDED]
        )
        for job in finished:
            result = pending.pop(job.pk)
            result["refused_after"] = time.monotonic() - result["started"]
            result["job_status"] = job.status
            result["job_seconds"] = (job.finished_at - job.created_at).total_seconds()
            errors = job.errors or []
            result["message"] = errors[0].get("message", "") if errors else ""
        time.sleep(0.05)
    for result in pending.values():
        result["refused_after"] = None
        result["job_status"] = "still running"
        result["message"] = ""


def check_times() -> list[tuple[str, int, float, str]]:
    """Time the refusal itself: each file through the reader the task worker uses (best of 3)."""
    from datasets.readers import FileUnreadable, read_table

    found = []
    for name, make in FILES[:3]:
        data = make()
        best, message = float("inf"), ""
        for _ in range(3):
            started = time.perf_counter()
            try:
                read_table(io.BytesIO(data), name)
                message = "accepted"
            except FileUnreadable as refused:
                message = str(refused)
            best = min(best, time.perf_counter() - started)
        found.append((name, len(data), best, message))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument(
        "--threads",
        type=int,
        default=None,
        help="threads per gunicorn worker (default: gunicorn.conf.py's, as in production)",
    )
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()

    tag = str(int(time.time()))[-5:]
    editor, _reader, resource = world(tag)
    client = Client()
    client.force_login(editor)
    session = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"

    port = free_port()
    env = {**os.environ, "DJANGO_DEBUG": "0", "DJANGO_LOG_LEVEL": "WARNING"}
    gunicorn = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "portal.wsgi",
            "--workers",
            str(args.workers),
            "--bind",
            f"{HOST}:{port}",
            "--log-level",
            "warning",
            *(["--threads", str(args.threads)] if args.threads else []),
            "--timeout",
            "120",
        ],
        cwd=ROOT,
        env=env,
    )
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--interval", "0.1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    healthz = Healthz(port)
    rounds = []
    try:
        wait_until_up(port)
        page = get(port, f"/catalog/resources/{resource.pk}/data/upload/", {"Cookie": session})
        html = page.read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        csrf = re.search(r"csrftoken=([^;]+)", page.headers.get("Set-Cookie", ""))
        cookies = session + (f"; csrftoken={csrf.group(1)}" if csrf else "")
        healthz.start()
        time.sleep(3)  # every worker has answered once (gthread workers start lazily)
        baseline_start = time.monotonic()
        time.sleep(3)
        baseline_end = time.monotonic()
        for _ in range(args.rounds):
            started = time.monotonic()
            results = upload_round(port, cookies, token, resource.pk)
            wait_for_jobs(results)
            rounds.append((started, time.monotonic(), results))
            time.sleep(1)
    finally:
        healthz.stop()
        for process in (gunicorn, worker):
            process.send_signal(signal.SIGTERM)
        for process in (gunicorn, worker):
            process.wait(timeout=60)

    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print("The check alone (the task worker's reader, in this process, best of 3):\n")
    print("| file | bytes | refused in ms | message |")
    print("|---|---|---|---|")
    for name, size, seconds, message in check_times():
        print(f"| {name} | {size:,} | {seconds * 1000:.1f} | {message} |")
    print()
    threads = args.threads or runpy.run_path(str(ROOT / "gunicorn.conf.py")).get("threads", 1)
    print(
        f"gunicorn {args.workers} workers × {threads} threads (DEBUG off), one task worker;"
        f" load average {load}\n"
    )
    print(
        f"| period | /healthz answers | p50 ms | p95 ms | p99 ms | max ms | over {TARGET_MS} ms"
        " | not 200 |"
    )
    print("|---|---|---|---|---|---|---|---|")
    print(f"| before the uploads | {figures(healthz.between(baseline_start, baseline_end))} |")
    for n, (start, end, _results) in enumerate(rounds, start=1):
        print(f"| round {n}: four uploads until refused | {figures(healthz.between(start, end))} |")
    print()
    print(
        "| round | file | bytes sent | upload s | refused after s | job created → refused s"
        " | job | message |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for n, (_start, _end, results) in enumerate(rounds, start=1):
        for r in results:
            refused = "–" if r.get("refused_after") is None else f"{r['refused_after']:.2f}"
            job = "–" if r.get("job_seconds") is None else f"{r['job_seconds']:.2f}"
            print(
                f"| {n} | {r['name']} | {r['size']:,} | {r['uploaded']:.2f} | {refused} | {job} | "
                f"{r.get('job_status', r['status'])} | {r.get('message', '')} |"
            )


if __name__ == "__main__":
    main()
