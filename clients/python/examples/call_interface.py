"""Call a provider's live interface (服务接口) through the portal's broker, as a data reader.

    PORTAL_URL=… PORTAL_KEY=gdp_… python call_interface.py 12 编号=A001
    PORTAL_URL=… PORTAL_KEY=gdp_… python call_interface.py 101001/000123 person_lookup 编号=A001

By the interface's id, or by the stable path: the resource's code and the interface's name
(``call_url`` in the interface's entry; it survives the interface being registered again).
The portal decides as for a read of the resource's rows (docs/api.md § 3b): only the granted
output items within your clearance, personal items masked unless the grant delivers them in
clear. A read token is enough. Over your department's rate (429) and while the interface's
circuit is open (503) the call is made again after ``Retry-After`` seconds, a few times.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from _connect import client

from portal_client import AuthenticatedClient
from portal_client.api.interfaces import interfaces_call, resources_interfaces_call
from portal_client.models import (
    CallResult,
    ErrorResponse,
    InterfacesCallBody,
    ResourcesInterfacesCallBody,
)
from portal_client.types import Response

# Statuses worth waiting out (``Retry-After``), and how often to try in all.
WAIT_STATUSES = (429, 503)
ATTEMPTS = 3

# What each refusal means for the caller (the error's own message says the rest).
ADVICE = {
    403: "no grant in force for this resource, or no granted item within your clearance: "
    "request access first (request_access.py)",
    404: "no such interface, or not one you may see",
    422: "a parameter is unknown or not readable by you",
    429: "over your department's rate for this interface; try again later",
    502: "the provider's system failed to answer usefully; tell the provider if it lasts",
    503: "the interface failed repeatedly and calls are paused; try again later",
    504: "the provider's system did not answer in time",
}


@dataclass
class CallRefused(Exception):
    """The portal answered a call with an error (docs/api.md § 3b, § 5)."""

    status: int
    code: str
    message: str

    def __str__(self) -> str:
        advice = ADVICE.get(self.status, "")
        return f"{self.status} {self.code}: {self.message}" + (f" ({advice})" if advice else "")


def _send(
    portal: AuthenticatedClient, target: str | int, interface_name: str | None, params: dict
) -> Response[CallResult | ErrorResponse]:
    if interface_name is None:
        return interfaces_call.sync_detailed(
            int(target), client=portal, body=InterfacesCallBody.from_dict(params)
        )
    return resources_interfaces_call.sync_detailed(
        str(target),
        interface_name,
        client=portal,
        body=ResourcesInterfacesCallBody.from_dict(params),
    )


def call(
    portal: AuthenticatedClient,
    target: str | int,
    params: Mapping[str, str | int | float | bool | None],
    *,
    interface_name: str | None = None,
    attempts: int = ATTEMPTS,
    sleep: Callable[[float], None] = time.sleep,
) -> CallResult:
    """Call the interface ``target`` (an id), or ``interface_name`` of the resource ``target``
    (its code); return the result, or raise ``CallRefused``.

    A 429 or 503 is waited out (``Retry-After`` seconds) and tried again, ``attempts`` in all.
    """
    for attempt in range(1, attempts + 1):
        answer = _send(portal, target, interface_name, dict(params))
        if isinstance(answer.parsed, CallResult):
            return answer.parsed
        wait = answer.headers.get("Retry-After", "")
        if answer.status_code in WAIT_STATUSES and wait.isdigit() and attempt < attempts:
            sleep(int(wait))
            continue
        if isinstance(answer.parsed, ErrorResponse):
            error = answer.parsed.error
            raise CallRefused(int(answer.status_code), error.code, error.message)
        raise CallRefused(int(answer.status_code), "unknown", "an answer this client does not know")
    raise AssertionError("unreachable")  # the last attempt returns or raises


def _parameters(pairs: list[str]) -> dict[str, str]:
    params = {}
    for pair in pairs:
        name, equals, value = pair.partition("=")
        if not equals or not name:
            sys.exit(f"Give each parameter as NAME=VALUE, not {pair!r}.")
        params[name] = value
    return params


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target", help="the interface's id, or the resource's code")
    parser.add_argument("rest", nargs="*", help="[interface name] NAME=VALUE ...")
    args = parser.parse_args()
    interface_name = None
    rest = args.rest
    if not args.target.isdigit():  # a resource's code: the interface's name comes next
        if not rest or "=" in rest[0]:
            parser.error("after a resource's code, give the interface's name")
        interface_name, rest = rest[0], rest[1:]

    with client() as portal:
        try:
            result = call(portal, args.target, _parameters(rest), interface_name=interface_name)
        except CallRefused as refused:
            sys.exit(str(refused))
    masked = set(result.masked)
    print("\t".join(f"{f}*" if f in masked else f for f in result.fields))
    for record in result.results:
        values = record.to_dict()
        print("\t".join("" if values.get(f) is None else str(values[f]) for f in result.fields))
    print(f"{len(result.results)} records in {result.latency_ms} ms (* masked)")


if __name__ == "__main__":
    main()
