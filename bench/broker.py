"""The broker's overhead over a direct call to the same upstream, at concurrent callers.

Run against PostgreSQL (not part of the test suite), with the project's virtualenv:

    DATABASE_URL=postgres://postgres@127.0.0.1:55600/exch_bench \\
        .venv/bin/python bench/broker.py [--callers 50] [--calls 40] [--workers 4]

It creates a provider, a consumer holding a grant and a resource (bench/datasets.py ``world``),
allows 127.0.0.0/8 as an outgoing network, starts a small upstream on loopback in a process of
its own (one JSON record per answer) and registers and publishes an interface on it; then it
starts gunicorn as configured for production (gunicorn.conf.py, DEBUG off, the rate limits
raised out of the way) and, with ``--callers`` threads each making ``--calls`` calls:

1. calls the upstream directly (GET with the key as a query parameter), then
2. calls it through the broker (``POST /api/v1/interfaces/{id}/call/`` with an API token): the
   token, the rows' decision, the rate and circuit in the cache, the upstream call, masking,
   the audit event and the availability row.

It prints, as Markdown, p50/p95/max of each and the differences (the broker's overhead), with
the load average before and after. Only loopback addresses are used. Results go to
docs/performance.md, "The broker's overhead".
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

import httpx  # noqa: E402
from django.db import connection  # noqa: E402

from accounts.services.tokens import token_create  # noqa: E402
from bench.common import loadavg, machine  # noqa: E402
from bench.datasets import world  # noqa: E402
from bench.uploads import HOST, free_port, wait_until_up  # noqa: E402
from exchange.models import EgressNetwork  # noqa: E402
from exchange.services.interfaces import (  # noqa: E402
    ParameterSpec,
    interface_publish,
    interface_register,
    interface_submit,
)

RECORD = {
    "tyshxydm": "91340100MA2N0W8X1C",
    "mc": "基准企业",
    "fddbr": "张三丰",
    "sfzh": "110105194912310025",
    "sj": "13812341234",
    "qh": "340102",
}
UPSTREAM_NAMES = {
    "统一社会信用代码": "tyshxydm",
    "名称": "mc",
    "法定代表人": "fddbr",
    "身份证号": "sfzh",
    "手机号": "sj",
    "行政区划代码": "qh",
}


def serve_upstream(port: int) -> None:
    body = json.dumps({"results": [RECORD]}, ensure_ascii=False).encode()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # One write per answer, sent at once: headers and body in separate small writes wait
        # for the client's delayed ACK (Nagle), 40 ms a call on loopback.
        wbufsize = 1 << 16
        disable_nagle_algorithm = True

        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer((HOST, port), Handler)
    server.daemon_threads = True
    server.request_queue_size = 256
    server.serve_forever()


def run_callers(callers: int, calls: int, one_call) -> tuple[list[float], int]:
    """Run ``callers`` threads of ``calls`` calls each; return the latencies (ms), failures."""
    latencies: list[float] = []
    failures = 0
    lock = threading.Lock()
    start = threading.Barrier(callers)

    def caller() -> None:
        nonlocal failures
        with httpx.Client(timeout=30) as client:
            one_call(client)  # a warm connection before the clock starts
            start.wait()
            mine, bad = [], 0
            for _ in range(calls):
                began = time.perf_counter()
                ok = one_call(client)
                mine.append((time.perf_counter() - began) * 1000)
                bad += not ok
        with lock:
            latencies.extend(mine)
            failures += bad

    threads = [threading.Thread(target=caller) for _ in range(callers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, failures


def summary(samples: list[float]) -> dict[str, float]:
    cuts = statistics.quantiles(samples, n=100)
    return {"p50": cuts[49], "p95": cuts[94], "max": max(samples)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--callers", type=int, default=50)
    parser.add_argument("--calls", type=int, default=40, help="calls per caller and phase")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=0, help="threads per gunicorn worker")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("Run against PostgreSQL: set DATABASE_URL.")

    upstream_port = free_port()
    upstream = multiprocessing.Process(target=serve_upstream, args=(upstream_port,), daemon=True)
    upstream.start()

    tag = str(int(time.time()))[-5:]
    _editor, reader, resource = world(tag)
    EgressNetwork.objects.get_or_create(cidr="127.0.0.0/8", defaults={"note": "bench"})
    items = {item.name: item.pk for item in resource.items.all()}
    interface = interface_register(
        actor=None,
        resource=resource,
        name=f"bench{tag}",
        base_url=f"http://{HOST}:{upstream_port}/company",
        method="GET",
        parameters=[
            ParameterSpec(items["统一社会信用代码"], "input", "tyshxydm"),
            *(ParameterSpec(items[n], "output", u) for n, u in UPSTREAM_NAMES.items()),
        ],
    )
    interface_submit(actor=None, interface=interface)
    interface = interface_publish(actor=None, interface=interface)
    _token, key = token_create(actor=None, user=reader, name="bench", scopes=("read", "write"))
    with connection.cursor() as raw:
        described = machine(raw)
    connection.close()

    port = free_port()
    env = {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_LOG_LEVEL": "WARNING",
        "PORTAL_API_THROTTLE_RATE": "1000000/min",
        "PORTAL_EXCHANGE_CALL_RATE": "1000000/min",
    }
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
        ],
        cwd=ROOT,
        env=env,
    )
    direct_url = f"http://{HOST}:{upstream_port}/company"
    broker_url = f"http://{HOST}:{port}/api/v1/interfaces/{interface.pk}/call/"
    headers = {"Authorization": f"Token {key}"}
    payload = {"统一社会信用代码": RECORD["tyshxydm"]}

    def direct(client: httpx.Client) -> bool:
        return client.get(direct_url, params={"tyshxydm": RECORD["tyshxydm"]}).status_code == 200

    def broker(client: httpx.Client) -> bool:
        return client.post(broker_url, json=payload, headers=headers).status_code == 200

    try:
        wait_until_up(port)
        run_callers(args.workers * 4, 5, broker)  # every worker thread has answered once
        load_before = loadavg()
        direct_ms, direct_failed = run_callers(args.callers, args.calls, direct)
        broker_ms, broker_failed = run_callers(args.callers, args.calls, broker)
        load_after = loadavg()
    finally:
        gunicorn.terminate()
        gunicorn.wait(timeout=30)
        upstream.terminate()

    d, b = summary(direct_ms), summary(broker_ms)
    print(f"## The broker's overhead ({args.callers} concurrent callers)\n")
    print(", ".join(f"{k}: {v}" for k, v in described.items()))
    print(
        f"\ngunicorn workers: {args.workers}; calls per phase: {len(direct_ms)}; "
        f"load average before {load_before}, after {load_after}\n"
    )
    print("| path | p50 ms | p95 ms | max ms | failed |")
    print("|---|---|---|---|---|")
    print(f"| direct | {d['p50']:.2f} | {d['p95']:.2f} | {d['max']:.1f} | {direct_failed} |")
    print(f"| broker | {b['p50']:.2f} | {b['p95']:.2f} | {b['max']:.1f} | {broker_failed} |")
    print(
        f"| overhead | {b['p50'] - d['p50']:.2f} | {b['p95'] - d['p95']:.2f} | "
        f"{b['max'] - d['max']:.1f} | |"
    )


if __name__ == "__main__":
    main()
