"""The broker over https: the upstream's certificate is verified for the interface URL's host
name while the connection goes to the checked address (tests/webhooks/test_https_deliveries.py
proves the same for webhook deliveries; both use exchange.transport)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from exchange.models import Interface
from tests.tls import NAME, OTHER, make_pki, resolve_test_names

from .test_broker import call
from .upstream import Upstream, running

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def tls_upstream(tmp_path_factory) -> Iterator[tuple[Upstream, str]]:
    pki = make_pki(tmp_path_factory.mktemp("pki"))
    with running(tls=pki) as state:
        yield state, str(pki.ca)


@pytest.fixture
def https(world, tls_upstream, monkeypatch, settings) -> tuple[Upstream, list[str]]:
    """The world's interface moved to the https upstream under NAME; its authority trusted."""
    upstream, ca = tls_upstream
    upstream.reset()
    assert upstream.handshakes is not None
    upstream.handshakes.clear()
    lookups = resolve_test_names(monkeypatch)
    settings.PORTAL_EGRESS_CA_BUNDLE = ca
    Interface.objects.filter(pk=world.interface.pk).update(base_url=upstream.url(host=NAME))
    return upstream, lookups


def test_a_call_over_https_is_verified_for_the_urls_name_at_the_checked_address(world, https):
    upstream, lookups = https
    response = call(world.reader, world, {"编号": "A002"})
    assert response.status_code == 200, response.content
    assert response.json()["results"][0]["编号"] == "A002"
    assert upstream.seen[-1]["headers"]["Host"] == f"{NAME}:{upstream.port}"
    assert upstream.handshakes is not None and upstream.handshakes.server_names == [NAME]
    assert lookups == [NAME]  # the check's lookup only: the connection went to its answer


def test_a_certificate_not_for_the_urls_name_fails_even_with_a_connection_open(world, https):
    upstream, _lookups = https
    assert call(world.reader, world, {"编号": "A001"}).status_code == 200
    # The same address and port under another name: the open connection is not reused.
    Interface.objects.filter(pk=world.interface.pk).update(base_url=upstream.url(host=OTHER))
    refused = call(world.reader, world, {"编号": "A001"})
    assert refused.status_code == 502
    assert refused.json()["error"]["code"] == "upstream_error"
    assert len(upstream.seen) == 1
    assert upstream.handshakes is not None and OTHER in upstream.handshakes.server_names


def test_an_untrusted_certificate_fails_the_call(world, https, settings):
    upstream, _lookups = https
    settings.PORTAL_EGRESS_CA_BUNDLE = ""  # certifi's public authorities only
    refused = call(world.reader, world, {"编号": "A001"})
    assert refused.status_code == 502 and "connect_error" in refused.json()["error"]["message"]
    assert upstream.seen == []
