"""Where the portal may send a request: only into networks the coordinator allowed.

``check_target(url)`` parses an outgoing URL (http or https, no user name or password in it),
resolves its host and returns the resolved addresses if every one of them lies in an allowed
network (``EgressNetwork``); otherwise it raises ``RuleViolation`` naming the address. The
caller connects to one of the returned addresses, never to the name again, so a DNS answer
that changes between the check and the connection cannot redirect the call.

The check is on the resolved addresses, so every spelling of a host resolves to what it means
before it is judged: ``2130706433``, ``0177.0.0.1``, ``[::ffff:127.0.0.1]`` and a name whose
DNS answer is a loopback address all end as 127.0.0.1. Loopback, link-local (with the cloud
metadata address 169.254.169.254), unspecified and multicast addresses, and their IPv4-mapped
IPv6 forms, are refused even inside a broad listed network such as ``0.0.0.0/0``: only a listed
network that lies within such a range itself (``127.0.0.0/8``) admits them.

The broker checks every call's target against ``allowed_networks_kept()``: the allowlist as this
process read it at most ``PORTAL_EXCHANGE_ALLOWLIST_SECONDS`` (5) seconds ago. A change saved in
this process (the admin site) is seen at once; another process sees it within those seconds, so
a network removed from the list keeps receiving calls from other workers for at most that long
(docs/security.md). The name is resolved again on every call.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from kernel.errors import RuleViolation

from .models import EgressNetwork

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

SCHEMES = {"http": 80, "https": 443}
# Ranges a broad allowlist entry never opens: the portal's own host, the link-local network
# (with the metadata service of cloud hosts), "any address" and multicast groups.
SPECIAL: tuple[IPNetwork, ...] = tuple(
    ipaddress.ip_network(n)
    for n in (
        "127.0.0.0/8",
        "::1/128",
        "169.254.0.0/16",
        "fe80::/10",
        "0.0.0.0/8",
        "::/128",
        "224.0.0.0/4",
        "ff00::/8",
    )
)


def _plain(address: IPAddress) -> IPAddress:
    """Return an IPv4-mapped IPv6 address (``::ffff:127.0.0.1``) as the IPv4 address it is."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def allowed_networks() -> list[IPNetwork]:
    """Return the networks the coordinator allowed."""
    return [
        ipaddress.ip_network(c, strict=False)
        for c in EgressNetwork.objects.values_list("cidr", flat=True)
    ]


# This process's copy of the allowlist: (read at, networks), and the generation of the copy
# (bumped by every change this process saves, so a read started before it is not kept).
_kept: tuple[float, list[IPNetwork]] | None = None
_kept_generation = 0
_kept_lock = threading.Lock()


def allowed_networks_kept(*, clock: Callable[[], float] | None = None) -> list[IPNetwork]:
    """Return the allowlist as this process last read it, read again when it is older than
    ``PORTAL_EXCHANGE_ALLOWLIST_SECONDS`` (0: read on every call) or was changed here."""
    global _kept
    seconds = float(getattr(settings, "PORTAL_EXCHANGE_ALLOWLIST_SECONDS", 5))
    now = (clock or time.monotonic)()
    kept = _kept
    if kept is not None and 0 <= now - kept[0] < seconds:
        return kept[1]
    generation = _kept_generation
    networks = allowed_networks()
    with _kept_lock:
        if generation == _kept_generation and seconds > 0:
            _kept = (now, networks)
    return networks


def allowlist_forget(**kwargs: Any) -> None:
    """Drop this process's copy of the allowlist, now and when the change commits.

    Connected to the saving and deleting of ``EgressNetwork`` rows (exchange.apps); a process
    that did not make the change reads the list again within ``PORTAL_EXCHANGE_ALLOWLIST_SECONDS``.
    """

    def forget() -> None:
        global _kept, _kept_generation
        with _kept_lock:
            _kept = None
            _kept_generation += 1

    forget()  # a read before the commit would see the old list: it is dropped again then
    transaction.on_commit(forget)


def is_allowed(address: IPAddress, networks: list[IPNetwork]) -> bool:
    """Return whether an address lies in the networks, special ranges only when listed within."""
    address = _plain(address)
    covering = [n for n in networks if n.version == address.version and address in n]
    special = [s for s in SPECIAL if s.version == address.version and address in s]
    if not special:
        return bool(covering)
    return any(n.subnet_of(s) for n in covering for s in special)  # type: ignore[arg-type]


def _refuse(message: str) -> RuleViolation:
    return RuleViolation({"url": [message]})


def parse_target(url: str) -> tuple[str, str, int]:
    """Return the scheme, host and port of an outgoing URL, or raise ``RuleViolation``."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise _refuse(_("The address is not a valid URL.")) from None
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        raise _refuse(_("Only http and https addresses may be called."))
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise _refuse(_("The address may not carry a user name or password."))
    host = parts.hostname or ""
    if not host:
        raise _refuse(_("The address names no host."))
    return scheme, host, port or SCHEMES[scheme]


def resolve(host: str, port: int) -> list[IPAddress]:
    """Return the addresses a host resolves to (an address literal resolves to itself)."""
    try:
        answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise _refuse(_("The host %(host)s cannot be resolved.") % {"host": host}) from None
    found: list[IPAddress] = []
    for _family, _type, _proto, _name, sockaddr in answers:
        address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        if address not in found:
            found.append(address)
    if not found:
        raise _refuse(_("The host %(host)s cannot be resolved.") % {"host": host})
    return found


def check_target(url: str, networks: list[IPNetwork] | None = None) -> list[IPAddress]:
    """Return the addresses of the URL's host if every one is in an allowed network.

    Raise ``RuleViolation`` (naming the refused address) for a URL that is not http(s), carries
    credentials, does not resolve, or resolves to any address outside the allowed networks.
    ``networks`` is the allowlist as the caller just read it (``allowed_networks()``), for a
    caller checking many targets at once; by default it is read here.
    """
    _scheme, host, port = parse_target(url)
    addresses = resolve(host, port)
    if networks is None:
        networks = allowed_networks()
    for address in addresses:
        if not is_allowed(address, networks):
            raise _refuse(
                _(
                    "The address %(address)s of %(host)s is not in a network the coordinator "
                    "allows the portal to call."
                )
                % {"address": address, "host": host}
            )
    return addresses
