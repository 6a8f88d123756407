"""How the portal connects to a checked address: TLS trust, and pools kept apart by host name.

The broker (``exchange.broker``) and the webhook deliveries (``webhooks.services``) connect to
the address ``egress.check_target`` returned, with the URL's host name in ``Host`` and as the
TLS server name (httpx's ``sni_hostname`` extension), so the certificate is verified for that
name although the URL carries an address.

Two things httpx does not do for such a connection, done here:

- **Trust.** Certificates are verified against ``PORTAL_EGRESS_CA_BUNDLE`` (a PEM file of
  certificate authorities, for the government's own CA) when it is set, else against the
  public ones httpx ships with (certifi). Verification and the host name check are never off.
- **Pools by server name.** httpx keeps a connection per scheme, address and port: one opened
  and verified for ``a.example`` would carry a later request for ``b.example`` at the same
  address without any check of ``b.example``'s certificate. ``PinnedTransport`` keeps one pool
  per TLS server name (and trust file), so a connection is only reused for the name it was
  verified for.
"""

from __future__ import annotations

import ssl
import threading
from collections import OrderedDict
from typing import Any

import certifi
import httpx
from django.conf import settings


def ca_bundle() -> str:
    """Return the PEM file of the certificate authorities outgoing https calls trust."""
    return str(getattr(settings, "PORTAL_EGRESS_CA_BUNDLE", "") or certifi.where())


def ssl_context(cafile: str | None = None) -> ssl.SSLContext:
    """Return a client TLS context: certificates required and checked for the server's name."""
    context = ssl.create_default_context(cafile=cafile or ca_bundle())
    # create_default_context already says so; stated here, as nothing may turn them off.
    context.verify_mode = ssl.CERT_REQUIRED
    context.check_hostname = True
    return context


class PinnedTransport(httpx.BaseTransport):
    """An httpx transport keeping a separate connection pool per TLS server name.

    The server name is the request's ``sni_hostname`` extension (https only). The pools are
    made on first use, with the trust file configured then; a changed
    ``PORTAL_EGRESS_CA_BUNDLE`` makes new pools. At most ``max_pools`` are kept: past that
    the least recently used is closed (its connections with it), so a process that calls many
    host names over its life (every department's webhook target) does not keep them all.
    """

    def __init__(self, *, max_pools: int = 256, **options: Any) -> None:
        self._options = options
        self._max_pools = max_pools
        self._pools: OrderedDict[tuple[str, str], httpx.HTTPTransport] = OrderedDict()
        self._lock = threading.Lock()

    def _pool(self, request: httpx.Request) -> httpx.HTTPTransport:
        https = request.url.scheme == "https"
        name = str(request.extensions.get("sni_hostname") or request.url.host) if https else ""
        cafile = ca_bundle() if https else ""
        key = (name, cafile)
        evicted: list[httpx.HTTPTransport] = []
        with self._lock:
            pool = self._pools.get(key)
            if pool is not None:
                self._pools.move_to_end(key)
            else:
                try:
                    context = ssl_context(cafile) if https else None
                except (OSError, ValueError) as error:  # missing, unreadable or not PEM
                    raise httpx.ConnectError(
                        f"PORTAL_EGRESS_CA_BUNDLE {cafile} cannot be loaded: {error}",
                        request=request,
                    ) from None
                pool = httpx.HTTPTransport(verify=context or True, **self._options)
                self._pools[key] = pool
                while len(self._pools) > self._max_pools:
                    evicted.append(self._pools.popitem(last=False)[1])
        # Closed outside the lock. A pool is evicted only after ``max_pools`` other names were
        # used since its own last use; a call still running on it then fails as a connection
        # error (the broker retries an idempotent call once, deliveries are retried).
        for old in evicted:
            old.close()
        return pool

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self._pool(request).handle_request(request)

    def close(self) -> None:
        with self._lock:
            pools, self._pools = list(self._pools.values()), OrderedDict()
        for pool in pools:
            pool.close()


def client(**options: Any) -> httpx.Client:
    """Return an httpx client for checked addresses: no redirects, no proxies from the
    environment, trust as configured, pools by server name (``limits`` goes to each pool)."""
    limits = options.pop("limits", httpx.Limits())
    return httpx.Client(
        follow_redirects=False,
        trust_env=False,
        transport=PinnedTransport(limits=limits, trust_env=False),
        **options,
    )
