"""The broker's transport: one pooled HTTP client, connecting only to checked addresses.

``send`` takes an interface and the upstream parameters, checks the target again
(``check_target``: the allowlist may have changed, as this process last read it within
``PORTAL_EXCHANGE_ALLOWLIST_SECONDS``; the name may resolve elsewhere now, resolved each call) and
connects to the checked address itself, with the original host name in the ``Host`` header and
for TLS (SNI and certificate), so a DNS answer that changes between the check and the connection
cannot redirect the call; certificates are verified as ``exchange.transport`` says (against
``PORTAL_EGRESS_CA_BUNDLE`` when set). Redirects are not followed, proxies from the environment
are not used, and an answer larger than ``PORTAL_EXCHANGE_MAX_RESPONSE_BYTES`` is not read. A GET
is retried once on a timeout, a failed connection or a 502/503/504; a POST never is.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
from django.conf import settings

from . import secrets, transport
from .egress import allowed_networks_kept, check_target
from .models import Interface

# httpx logs every request's URL at INFO, query parameters (personal data) included.
logging.getLogger("httpx").setLevel(logging.WARNING)

# One client for the process: connections to each upstream are kept and reused, for the host
# name they were verified for (exchange.transport).
CLIENT = transport.client(
    limits=httpx.Limits(max_connections=200, max_keepalive_connections=100, keepalive_expiry=30),
)
RETRY_STATUSES = {502, 503, 504}
MAX_RECORDS = 1000


class Kind:
    """The result kinds of a call, as the audit trail and the availability figures name them."""

    OK = "ok"
    TIMEOUT = "timeout"
    CONNECT = "connect_error"
    STATUS = "upstream_status"
    BAD_RESPONSE = "bad_response"
    CIRCUIT_OPEN = "circuit_open"
    TARGET_REFUSED = "target_refused"

    FAILURES = (TIMEOUT, CONNECT, STATUS, BAD_RESPONSE, TARGET_REFUSED)


@dataclass
class Outcome:
    """What the upstream answered: records on success, the kind of failure otherwise."""

    kind: str
    status: int | None = None
    records: list[dict[str, Any]] = field(default_factory=list)
    latency_ms: float = 0.0

    @property
    def ok(self) -> bool:
        return self.kind == Kind.OK


def _target(url: str, address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> tuple[str, str]:
    """Return the URL with the checked address as its host, and the original Host header."""
    parts = urlsplit(url)
    host = f"[{address}]" if address.version == 6 else str(address)
    netloc = f"{host}:{parts.port}" if parts.port else host
    original = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, "")), original


def _headers(interface: Interface, host: str) -> dict[str, str]:
    headers = {"Host": host, "Accept": "application/json", "User-Agent": "portal-exchange/1"}
    if interface.auth_kind == Interface.AuthKind.NONE:
        return headers
    secret = secrets.decrypt(interface.secret_encrypted)
    if interface.auth_kind == Interface.AuthKind.BEARER:
        headers["Authorization"] = f"Bearer {secret}"
    else:
        headers[interface.auth_header] = secret
    return headers


def _records(body: bytes) -> list[dict[str, Any]] | None:
    """Return the records of an upstream answer: one object, a list, or ``{"results": [...]}``."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):  # not JSON, or nested beyond the decoder's limit
        return None
    if isinstance(data, dict) and isinstance(data.get("results"), list):
        data = data["results"]
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        return None
    return data[:MAX_RECORDS]


def _read(response: httpx.Response) -> bytes | None:
    limit = int(getattr(settings, "PORTAL_EXCHANGE_MAX_RESPONSE_BYTES", 1_048_576))
    chunks, size = [], 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def _attempt(interface: Interface, params: dict[str, Any]) -> Outcome:
    from kernel.errors import RuleViolation

    try:
        addresses = check_target(interface.base_url, allowed_networks_kept())
    except RuleViolation:
        return Outcome(Kind.TARGET_REFUSED)
    url, host = _target(interface.base_url, addresses[0])
    hostname = urlsplit(interface.base_url).hostname or ""
    timeout = interface.timeout_ms / 1000
    extensions = {"sni_hostname": hostname} if url.startswith("https") else {}
    if interface.method == Interface.Method.GET:
        request = CLIENT.build_request(
            "GET",
            url,
            params=params,
            headers=_headers(interface, host),
            timeout=timeout,
            extensions=extensions,
        )
    else:
        request = CLIENT.build_request(
            "POST",
            url,
            json=params,
            headers=_headers(interface, host),
            timeout=timeout,
            extensions=extensions,
        )
    try:
        response = CLIENT.send(request, stream=True)
    except httpx.TimeoutException:
        return Outcome(Kind.TIMEOUT)
    except httpx.HTTPError:
        return Outcome(Kind.CONNECT)
    try:
        if not 200 <= response.status_code < 300:
            return Outcome(Kind.STATUS, response.status_code)
        try:
            body = _read(response)
        except httpx.TimeoutException:
            return Outcome(Kind.TIMEOUT, response.status_code)
        except httpx.HTTPError:
            return Outcome(Kind.CONNECT, response.status_code)
        records = _records(body) if body is not None else None
        if records is None:
            return Outcome(Kind.BAD_RESPONSE, response.status_code)
        return Outcome(Kind.OK, response.status_code, records)
    finally:
        response.close()


def send(interface: Interface, params: dict[str, Any]) -> Outcome:
    """Call the interface's upstream with the parameters (upstream names); never raises."""
    started = time.perf_counter()
    outcome = _attempt(interface, params)
    retryable = outcome.kind in (Kind.TIMEOUT, Kind.CONNECT) or (
        outcome.kind == Kind.STATUS and outcome.status in RETRY_STATUSES
    )
    if retryable and interface.method == Interface.Method.GET:
        outcome = _attempt(interface, params)
    outcome.latency_ms = round((time.perf_counter() - started) * 1000, 2)
    return outcome
