"""Deliveries over https to a real TLS receiver on 127.0.0.1, connected at the checked address.

The receiver's certificate is issued by a test authority for ``hooks.dept.example``, a name
only this module's resolver knows (it answers 127.0.0.1). The delivery succeeds when the
portal trusts that authority (``PORTAL_EGRESS_CA_BUNDLE``); the TLS server name and ``Host``
are the URL's host name while the connection goes to the address the egress check resolved
(the name is looked up once per attempt, by the check); a certificate that is not trusted or
not issued for the URL's host name fails the attempt, which is recorded and retried, even when
a connection to the same address verified for another name is open in the pool.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.utils import timezone

from sharing import services as sharing_services
from tests import builders
from tests.tls import NAME, OTHER, Handshakes, Pki, make_pki, resolve_test_names, serve_tls
from webhooks import services
from webhooks.models import Delivery, DeliveryAttempt, DeliveryState, EventKind

from .conftest import Received, load_example, subscribe

verify = load_example().verify


@pytest.fixture(scope="module")
def pki(tmp_path_factory) -> Pki:
    return make_pki(tmp_path_factory.mktemp("pki"))


@dataclass
class TlsReceiver:
    """What the receiver got, and its handshakes (the server names asked for)."""

    port: int
    handshakes: Handshakes
    received: list[Received] = field(default_factory=list)

    @property
    def server_names(self) -> list[str | None]:
        return self.handshakes.server_names

    def url(self, host: str = NAME, path: str = "/hook") -> str:
        return f"https://{host}:{self.port}{path}"

    def reset(self) -> None:
        self.received.clear()
        self.handshakes.clear()


@pytest.fixture(scope="module")
def tls_receiver(pki: Pki) -> Iterator[TlsReceiver]:
    received: list[Received] = []

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive: the portal's pool may reuse a connection

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            received.append(Received(self.path, dict(self.headers.items()), body))
            self.send_response(204)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state = TlsReceiver(server.server_address[1], serve_tls(server, pki), received)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()
    # The worker's pooled client keeps connections to the stopped server: start afresh.
    if services._client is not None:
        services._client.close()
    services._client = None


@pytest.fixture
def resolver(monkeypatch) -> list[str]:
    return resolve_test_names(monkeypatch)


@pytest.fixture
def tls(hooks, tls_receiver, resolver, settings, pki) -> TlsReceiver:
    """The TLS receiver, emptied; loopback allowed (``hooks``); the test authority trusted."""
    settings.PORTAL_EGRESS_CA_BUNDLE = str(pki.ca)
    tls_receiver.reset()
    resolver.clear()
    return tls_receiver


def test_a_delivery_over_https_goes_to_the_checked_address_with_the_urls_name(
    tls, resolver, city, django_capture_on_commit_callbacks
):
    _sub, secret = subscribe(city.admin, tls.url(), [EventKind.GRANT_CREATED])
    with django_capture_on_commit_callbacks(execute=True):
        builders.grant(city.public, city.consumer)

    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.last_status_code) == (DeliveryState.DELIVERED, 204)
    (received,) = tls.received
    assert verify(secret, received.headers, received.body)["kind"] == "grant.created"
    # The certificate was asked for, and verified for, the URL's name; the Host header is it.
    assert tls.server_names == [NAME]
    assert received.headers["Host"] == f"{NAME}:{tls.port}"
    # The name was resolved by the checks (the subscription's, the attempt's), never to
    # connect: the connection went to the address the attempt's check returned.
    assert resolver == [NAME, NAME]


def test_an_untrusted_certificate_fails_the_attempt_which_is_retried(
    tls, pki, city, settings, django_capture_on_commit_callbacks
):
    # The public authorities only (certifi): the test authority is not among them.
    settings.PORTAL_EGRESS_CA_BUNDLE = ""
    subscribe(city.admin, tls.url(), [EventKind.GRANT_CREATED])
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        builders.grant(city.public, city.consumer)

    delivery = Delivery.objects.get()
    assert delivery.state == DeliveryState.FAILED and delivery.attempts == 1
    assert delivery.last_status_code is None
    assert "CERTIFICATE_VERIFY_FAILED" in delivery.last_error
    assert DeliveryAttempt.objects.get(delivery=delivery).error == delivery.last_error
    assert delivery.next_attempt_at is not None
    assert delivery.next_attempt_at >= before + timedelta(minutes=1)
    assert tls.received == [] and tls.server_names == [NAME]

    # The operator installs the government's authority: the retry goes through.
    settings.PORTAL_EGRESS_CA_BUNDLE = str(pki.ca)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.deliveries_sweep(now=delivery.next_attempt_at) == 1
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.DELIVERED and delivery.attempts == 2
    assert len(tls.received) == 1


def test_the_certificate_is_checked_for_each_urls_name_even_on_an_open_connection(
    tls, resolver, city, django_capture_on_commit_callbacks
):
    # Two targets at the same address and port; the certificate is for the first name only.
    subscribe(city.admin, tls.url(NAME, "/good"), [EventKind.GRANT_CREATED])
    subscribe(city.admin, tls.url(OTHER, "/other"), [EventKind.GRANT_REVOKED])
    with django_capture_on_commit_callbacks(execute=True):
        grant = builders.grant(city.public, city.consumer)
    # The first delivery leaves a kept-alive connection, verified for NAME, in the pool.
    assert [r.path for r in tls.received] == ["/good"]
    with django_capture_on_commit_callbacks(execute=True):
        sharing_services.grant_revoke(actor=None, grant=grant, reason="期满前收回")

    failed = Delivery.objects.get(kind=EventKind.GRANT_REVOKED)
    assert failed.state == DeliveryState.FAILED
    assert "CERTIFICATE_VERIFY_FAILED" in failed.last_error
    assert "Hostname mismatch" in failed.last_error
    assert [r.path for r in tls.received] == ["/good"]
    # Asked for once, on a new connection (the one for NAME may have served earlier tests).
    assert tls.server_names.count(OTHER) == 1 and tls.server_names[-1] == OTHER


def test_a_trust_file_that_cannot_be_loaded_fails_the_attempt_with_its_name(
    tls, city, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.PORTAL_EGRESS_CA_BUNDLE = str(tmp_path / "missing.pem")
    subscribe(city.admin, tls.url(), [EventKind.GRANT_CREATED])
    with django_capture_on_commit_callbacks(execute=True):
        builders.grant(city.public, city.consumer)

    delivery = Delivery.objects.get()
    assert delivery.state == DeliveryState.FAILED
    assert "PORTAL_EGRESS_CA_BUNDLE" in delivery.last_error
    assert "missing.pem" in delivery.last_error
    assert tls.received == [] and tls.server_names == []
