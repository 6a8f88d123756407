"""The outgoing transport keeps a bounded number of pools, closing the least recently used."""

from __future__ import annotations

import httpx

from exchange.transport import PinnedTransport


def _request(name: str) -> httpx.Request:
    return httpx.Request("GET", "https://127.0.0.1/", extensions={"sni_hostname": name})


def test_past_the_bound_the_least_recently_used_pool_is_closed(monkeypatch):
    closed: list[httpx.HTTPTransport] = []
    monkeypatch.setattr(httpx.HTTPTransport, "close", lambda self: closed.append(self))
    transport = PinnedTransport(max_pools=2)
    a = transport._pool(_request("a.example"))
    b = transport._pool(_request("b.example"))
    assert transport._pool(_request("a.example")) is a  # reused, and now the most recent
    transport._pool(_request("c.example"))
    assert closed == [b]  # b was the least recently used
    assert transport._pool(_request("a.example")) is a
    assert transport._pool(_request("b.example")) is not b  # a new pool for b
    assert len(transport._pools) == 2


def test_pools_stay_apart_by_server_name():
    transport = PinnedTransport()
    try:
        first = transport._pool(_request("a.example"))
        assert transport._pool(_request("b.example")) is not first
        assert transport._pool(_request("a.example")) is first
    finally:
        transport.close()
