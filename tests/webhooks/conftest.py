"""A real receiver on 127.0.0.1 for the webhook deliveries, and a small city to send from."""

from __future__ import annotations

import importlib.util
import json
import threading
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from accounts.models import Department, Level, Role, User
from catalog.models import Resource
from exchange.models import EgressNetwork
from tests import builders
from webhooks import services

EXAMPLE = Path(settings.BASE_DIR) / "clients" / "python" / "examples" / "verify_webhook.py"


def load_example() -> Any:
    """Import the client's verification example, as an integrator would copy it."""
    spec = importlib.util.spec_from_file_location("verify_webhook", EXAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def event(self) -> dict[str, Any]:
        return json.loads(self.body)


@dataclass
class Receiver:
    """What the receiver got, and the status codes it answers next (then 200)."""

    port: int
    received: list[Received] = field(default_factory=list)
    answers: deque[int] = field(default_factory=deque)

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def reset(self) -> None:
        self.received.clear()
        self.answers.clear()

    def of(self, path: str) -> list[Received]:
        return [r for r in self.received if r.path == path]


@pytest.fixture(scope="module")
def receiver() -> Any:
    state = Receiver(port=0)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            state.received.append(Received(self.path, dict(self.headers.items()), body))
            code = state.answers.popleft() if state.answers else 200
            self.send_response(code)
            if code in (301, 302, 307):
                self.send_header("Location", "http://127.0.0.1:1/elsewhere")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()
    # The worker's pooled client keeps connections to the stopped server: start afresh.
    services._client = None


@pytest.fixture
def hooks(receiver: Receiver, settings, db) -> Receiver:
    """The receiver, emptied; loopback allowed; tasks run at once; retries 1 and 5 minutes."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.PORTAL_WEBHOOK_RETRY_MINUTES = [1, 5]
    settings.PORTAL_WEBHOOK_DISABLE_AFTER = 4
    EgressNetwork.objects.get_or_create(cidr="127.0.0.0/8", defaults={"note": "tests"})
    receiver.reset()
    return receiver


@dataclass
class City:
    consumer: Department  # the subscriber, clearance L2
    provider: Department
    other: Department
    admin: User  # the consumer's department administrator
    other_admin: User
    provider_admin: User
    staff: User
    approver: User  # the provider's
    public: Resource  # L1, seen by every department
    secret: Resource  # L4, catalog scope "cleared": the consumer's users cannot see it
    own_only: Resource  # L1, catalog scope "provider": only the provider and coordinator


@pytest.fixture
def city(db) -> City:
    consumer = builders.department("订阅部门", clearance=Level.L2)
    provider = builders.department("提供部门")
    other = builders.department("其他部门")
    return City(
        consumer=consumer,
        provider=provider,
        other=other,
        admin=builders.user(consumer, roles=(Role.DEPARTMENT_ADMIN,), clearance=Level.L2),
        other_admin=builders.user(other, roles=(Role.DEPARTMENT_ADMIN,)),
        provider_admin=builders.user(provider, roles=(Role.DEPARTMENT_ADMIN,)),
        staff=builders.user(consumer, clearance=Level.L2),
        approver=builders.user(provider, roles=(Role.APPROVER,), clearance=Level.L4),
        public=builders.resource(provider, level=Level.L1),
        secret=builders.resource(provider, level=Level.L4, catalog_scope="cleared"),
        own_only=builders.resource(provider, level=Level.L1, catalog_scope="provider"),
    )


def subscribe(user: User, url: str, kinds: list[str] | None = None) -> tuple[Any, str]:
    from webhooks.models import EventKind

    return services.subscription_create(
        actor=user, target_url=url, kinds=kinds or list(EventKind.values)
    )


def interface_of(resource: Resource) -> Any:
    """Register a (draft) live interface of the resource, its key in and its name out."""
    from exchange.services.interfaces import ParameterSpec, interface_register

    items = {i.name: i.pk for i in resource.items.all()}
    return interface_register(
        actor=None,
        resource=resource,
        name=f"query{resource.pk}",
        base_url="http://127.0.0.1:9/query",
        method="GET",
        parameters=[
            ParameterSpec(items["编号"], "input", "bh"),
            ParameterSpec(items["名称"], "output", "mc"),
        ],
    )
