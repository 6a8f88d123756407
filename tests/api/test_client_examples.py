"""The client's examples (clients/python/examples), run as they are against a live portal.

Each example's own ``main()`` (or the function it exports) runs with the environment and
command line an integrator gives it, over real HTTP to ``live_server``: the share-request flow
(request_access → decide_requests → read_granted_rows) end to end, and call_interface through
the broker to a real upstream on 127.0.0.1 (tests/exchange/upstream.py). What they print and the
errors they stop with are what an integrator sees; a schema or client change that breaks them
fails here.
"""

from __future__ import annotations

import importlib
import re
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone

from accounts.models import Level, Role
from datasets import services as data_services
from tests import builders
from tests.exchange.conftest import build_world
from tests.exchange.upstream import Upstream, running

EXAMPLES = Path(__file__).resolve().parents[2] / "clients" / "python" / "examples"


@pytest.fixture(scope="module")
def upstream() -> Iterator[Upstream]:
    with running() as state:
        yield state


class Examples:
    """Runs an example's ``main()`` as ``python EXAMPLE.py ARGS`` with PORTAL_URL and a key."""

    def __init__(self, url: str, monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
        self.url, self.monkeypatch, self.capsys = url, monkeypatch, capsys

    def module(self, name: str) -> ModuleType:
        return importlib.import_module(name)

    def run(self, name: str, key: str, *args: object) -> str:
        """Return what the example printed; raise SystemExit where the example stops."""
        self.monkeypatch.setenv("PORTAL_URL", self.url)
        self.monkeypatch.setenv("PORTAL_KEY", key)
        self.monkeypatch.setattr(sys, "argv", [f"{name}.py", *map(str, args)])
        self.capsys.readouterr()
        self.module(name).main()
        return str(self.capsys.readouterr().out)

    def refusal(self, name: str, key: str, *args: object) -> str:
        """Return the message the example stops with."""
        with pytest.raises(SystemExit) as stopped:
            self.run(name, key, *args)
        return str(stopped.value.code)


@pytest.fixture
def examples(live_server, monkeypatch, capsys) -> Examples:
    # The examples import their neighbour `_connect` as a top-level module, as when run there.
    monkeypatch.syspath_prepend(str(EXAMPLES))
    return Examples(live_server.url, monkeypatch, capsys)


def test_the_share_request_flow_examples_end_to_end(examples):
    provider = builders.department("提供部门")
    consumer = builders.department("使用部门")
    requester = builders.user(consumer, clearance=Level.L2)
    approver = builders.user(provider, clearance=Level.L4, roles=(Role.APPROVER,))
    resource = builders.resource(
        provider,
        level=2,
        items=[
            builders.item("编号", level=1, is_key=True),
            builders.item("姓名", level=2, kind="name", length=20),
            builders.item("地址", level=2, length=100),
        ],
    )
    items = {item.name: item.pk for item in resource.items.all()}
    data_services.dataset_push(
        actor=None,
        resource=resource,
        rows=[
            {"编号": "A1", "姓名": "张三丰", "地址": "蜀山区一号"},
            {"编号": "A2", "姓名": "李四", "地址": "包河区二号"},
        ],
        mode="replace",
        batch_id="examples-1",
    )
    as_requester, as_approver = builders.api_key(requester), builders.api_key(approver)

    # No grant yet: the reading example stops with the portal's refusal.
    refused = examples.refusal("read_granted_rows", as_requester, resource.pk)
    assert refused.startswith("permission_denied: ")

    until = timezone.localdate() + timedelta(days=60)
    made = examples.run(
        "request_access",
        as_requester,
        resource.pk,
        "--until",
        until.isoformat(),
        "--basis",
        "《社会救助暂行办法》第十一条",
        "--scenario",
        "低保资格核查",
    )
    match = re.search(r"\(id (\d+)\) to department (\d+):", made)
    assert match is not None, made
    request_id = int(match[1])
    assert int(match[2]) == provider.pk and "submitted" in made

    # The requester may not decide its own request; the approver sees it waiting.
    assert examples.refusal("decide_requests", as_requester, request_id, "--approve").startswith(
        "permission_denied: "
    )
    waiting = examples.run("decide_requests", as_approver)
    assert [line.split("\t")[0] for line in waiting.splitlines()] == [str(request_id)]
    assert f"from department {consumer.pk}" in waiting

    # A rejection needs a reason: the example stops with the field named, nothing decided.
    assert "reason" in examples.refusal("decide_requests", as_approver, request_id, "--reject")
    decided = examples.run(
        "decide_requests",
        as_approver,
        request_id,
        "--approve",
        "--reason",
        "同意核查使用",
        "--items",
        items["编号"],
        items["姓名"],
    )
    assert decided.strip().endswith("approved 同意核查使用")

    grants = examples.run("read_granted_rows", as_requester)
    assert f"resource {resource.pk} {resource.name}" in grants
    assert "items: 编号, 姓名" in grants or "items: 姓名, 编号" in grants

    # Only the granted items, the name masked (the grant does not deliver it in clear).
    rows = examples.run("read_granted_rows", as_requester, resource.pk)
    assert rows.splitlines() == ["编号\t姓名", "A1\t张**", "A2\t李*"]
    one = examples.run("read_granted_rows", as_requester, resource.pk, "--key", "编号=A2")
    assert one.splitlines() == ["编号\t姓名", "A2\t李*"]


def test_call_interface_through_the_broker(examples, upstream, settings):
    world = build_world(upstream)
    resource, interface = world.resource, world.interface
    as_reader = builders.api_key(world.reader, scopes=("read",))
    call_interface = examples.module("call_interface")

    # By id: the granted output items within the reader's clearance, personal ones masked
    # (marked *); the mobile number, not granted, is absent.
    by_id = examples.run("call_interface", as_reader, interface.pk, "编号=A001")
    lines = by_id.splitlines()
    assert lines[0] == "编号\t姓名*\t公民身份号码*\t行政区划代码\t备注"
    assert lines[1] == "A001\t张**\t110105********0025\t340102\t甲"
    assert "13812341234" not in by_id
    assert lines[2].startswith("1 records in ")
    assert upstream.seen[-1]["query"] == {"bh": "A001"}

    # By the stable path: the same answer.
    by_path = examples.run("call_interface", as_reader, resource.code, "people", "编号=A001")
    assert by_path.splitlines()[:2] == lines[:2]

    # A reader cleared L1 gets only the L1 items of the same grant.
    low = examples.run(
        "call_interface", builders.api_key(world.low_reader), interface.pk, "编号=A002"
    )
    assert low.splitlines()[:2] == ["编号\t行政区划代码\t备注", "A002\t340103\t乙"]

    # No grant, or a grant of nothing within clearance: the documented 403, upstream not called.
    upstream.reset()
    for caller in (world.stranger, world.high_only):
        refused = examples.refusal(
            "call_interface", builders.api_key(caller), interface.pk, "编号=A001"
        )
        assert refused.startswith("403 permission_denied: "), refused
        assert "request access first" in refused
    assert upstream.seen == []

    examples.monkeypatch.setenv("PORTAL_KEY", as_reader)
    with call_interface.client() as portal:
        _failures_through_the_example(call_interface, portal, world, settings)


def _failures_through_the_example(call_interface, portal, world, settings) -> None:
    interface, upstream = world.interface, world.upstream
    waits: list[float] = []

    # The upstream fails: 502 upstream_error, not retried by the example.
    upstream.status = 500
    with pytest.raises(call_interface.CallRefused) as failed:
        call_interface.call(portal, interface.pk, {"编号": "A001"}, sleep=waits.append)
    assert (failed.value.status, failed.value.code) == (502, "upstream_error")
    assert waits == []
    upstream.reset()

    # Over the department's rate: 429 with Retry-After, waited out twice, then given up.
    # (An hour's window: two calls a few milliseconds apart do not straddle its end.)
    cache.clear()
    settings.PORTAL_EXCHANGE_CALL_RATE = "1/hour"
    assert call_interface.call(portal, interface.pk, {"编号": "A002"}, sleep=waits.append)
    with pytest.raises(call_interface.CallRefused) as throttled:
        call_interface.call(portal, interface.pk, {"编号": "A002"}, sleep=waits.append)
    assert (throttled.value.status, throttled.value.code) == (429, "throttled")
    assert len(waits) == 2 and all(1 <= wait <= 3600 for wait in waits)
    assert len(upstream.seen) == 1

    # The circuit opens after a failure (one, here): 503 with Retry-After, waited out likewise.
    cache.clear()
    waits.clear()
    settings.PORTAL_EXCHANGE_CALL_RATE = ""
    settings.PORTAL_EXCHANGE_BREAKER_FAILURES = 1
    upstream.reset()
    upstream.status = 500
    with pytest.raises(call_interface.CallRefused):
        call_interface.call(portal, interface.pk, {"编号": "A001"}, sleep=waits.append)
    with pytest.raises(call_interface.CallRefused) as paused:
        call_interface.call(portal, interface.pk, {"编号": "A001"}, sleep=waits.append)
    assert (paused.value.status, paused.value.code) == (503, "circuit_open")
    assert len(waits) == 2 and all(1 <= wait <= 60 for wait in waits)
    assert len(upstream.seen) == 1  # the failed call; the paused ones never reach it


def test_the_documented_call_is_the_tested_example():
    example = (EXAMPLES / "call_interface.py").read_text(encoding="utf-8")
    core = example[example.index("def call(") : example.index("def _parameters(")].rstrip()
    guide = (EXAMPLES.parents[2] / "docs" / "api.md").read_text(encoding="utf-8")
    assert core in guide
