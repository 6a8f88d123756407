"""Webhook fan-out: 10,000 events delivered, signed, to a receiver on loopback.

Run against PostgreSQL (not part of the test suite), with the project's virtualenv:

    DATABASE_URL=postgres://postgres@127.0.0.1:PORT/DB \
        .venv/bin/python bench/webhooks.py [--events 10000] [--workers 2] [--latency 0]

It allows 127.0.0.0/8 for the portal's outgoing calls, makes a department with an
administrator and one subscription to every event kind at a receiver it starts on 127.0.0.1
(a threaded HTTP server that checks each signature with clients/python/examples/verify_webhook.py
and answers 204, ``--latency`` milliseconds after the request came in), then queues
``--events`` events at once, as the portal's receivers do (``webhooks.services.deliveries_create``,
one event and one delivery each), and starts ``--workers`` task workers (``manage.py
db_worker``, the production path). It prints, as Markdown, the time to queue the events, the
time until every delivery is delivered, the rate, how many signatures the receiver refused, the
load average before and after, and the CPU time of the workers and of this process (queueing
and the receiver). The objects it makes are removed at the end, but the department and its
administrator, whom the audit trail names. Results go to docs/performance.md, "Webhook fan-out".
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import resource
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402

from accounts.models import Department, Level, Role, User  # noqa: E402
from exchange.models import EgressNetwork  # noqa: E402
from tests import builders  # noqa: E402
from webhooks import services  # noqa: E402
from webhooks.models import Delivery, DeliveryState, EventKind  # noqa: E402

TARGET_SECONDS = 60
DEPARTMENT = "Webhook 压测部门"


def _verifier() -> Any:
    path = ROOT / "clients" / "python" / "examples" / "verify_webhook.py"
    spec = importlib.util.spec_from_file_location("verify_webhook", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def receiver(
    secret_box: dict[str, str], counts: dict[str, int], latency: float = 0.0
) -> ThreadingHTTPServer:
    example = _verifier()
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            if latency:
                time.sleep(latency)  # a receiver across a network, or one that works first
            try:
                example.verify(secret_box["secret"], dict(self.headers.items()), body)
                key = "verified"
            except example.InvalidDelivery:
                key = "refused"
            with lock:
                counts[key] += 1
            self.send_response(204 if key == "verified" else 400)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--latency", type=float, default=0.0, help="milliseconds the receiver takes to answer"
    )
    args = parser.parse_args()

    counts = {"verified": 0, "refused": 0}
    secret_box: dict[str, str] = {}
    server = receiver(secret_box, counts, args.latency / 1000)
    network, _made = EgressNetwork.objects.get_or_create(
        cidr="127.0.0.0/8", defaults={"note": "bench/webhooks.py"}
    )
    # Made on the first run, found on the next ones.
    department = Department.objects.filter(name=DEPARTMENT).first() or builders.department(
        DEPARTMENT, clearance=Level.L4
    )
    admin = User.objects.filter(
        department=department, role_assignments__role=Role.DEPARTMENT_ADMIN
    ).first() or builders.user(department, roles=(Role.DEPARTMENT_ADMIN,))
    subscription, secret = services.subscription_create(
        actor=admin,
        target_url=f"http://127.0.0.1:{server.server_address[1]}/hook",
        kinds=list(EventKind.values),
    )
    secret_box["secret"] = secret
    load_before = os.getloadavg()

    started = time.monotonic()
    with transaction.atomic():
        for n in range(args.events):
            services.deliveries_create(
                kind=EventKind.DATA_VERSION,
                payloads=[(subscription, {"resource": {"id": n}, "version": n})],
            )
    queued = time.monotonic() - started

    env = {**os.environ, "DJANGO_DEBUG": "0"}
    workers = [
        subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--interval", "0.1", "--no-reload"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(args.workers)
    ]
    try:
        while True:
            done = Delivery.objects.filter(
                subscription=subscription,
                state__in=[DeliveryState.DELIVERED, DeliveryState.FAILED, DeliveryState.GAVE_UP],
            ).count()
            if done >= args.events:
                break
            if time.monotonic() - started > 30 * TARGET_SECONDS:
                break
            time.sleep(0.2)
        elapsed = time.monotonic() - started
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait()
    load_after = os.getloadavg()
    cpu_self = resource.getrusage(resource.RUSAGE_SELF)
    cpu_workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    delivered = Delivery.objects.filter(
        subscription=subscription, state=DeliveryState.DELIVERED
    ).count()

    print(
        "| events | task workers | queued in | all delivered in | rate | delivered | "
        "signatures refused | load average before / after (1, 5, 15 min) |"
    )
    print("|---|---|---|---|---|---|---|---|")
    print(
        f"| {args.events} | {args.workers} | {queued:.1f} s | {elapsed:.1f} s "
        f"({'within' if elapsed < TARGET_SECONDS else 'over'} {TARGET_SECONDS} s) | "
        f"{delivered / elapsed:.0f}/s | {delivered} | {counts['refused']} | "
        f"{' '.join(f'{x:.2f}' for x in load_before)} / "
        f"{' '.join(f'{x:.2f}' for x in load_after)} |"
    )

    print(
        f"\nCPU seconds: this process (queueing, the receiver) "
        f"{cpu_self.ru_utime + cpu_self.ru_stime:.1f}, the task workers "
        f"{cpu_workers.ru_utime + cpu_workers.ru_stime:.1f}"
    )

    subscription.delete()
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(task_path="webhooks.tasks.deliveries_send_task").delete()
    if _made:
        network.delete()
    server.shutdown()


if __name__ == "__main__":
    main()
