"""The hash chain of the audit trail: canonical content and SHA-256.

Pure functions with no model imports, so migrations and the verifier compute hashes exactly
as ``audit.services.record()`` does.
"""

from __future__ import annotations

import datetime
import hashlib
import ipaddress
import json
from collections.abc import Mapping
from typing import Any

# The fields whose values the hash covers, in a fixed order. Changing this list changes every
# hash: it is a format version, recorded as ``HASH_VERSION`` in each canonical document.
HASH_VERSION = 1
HASHED_FIELDS = (
    "sequence",
    "created_at",
    "actor_id",
    "actor_username",
    "department_id",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "level",
    "result",
    "client_address",
    "details",
    "prev_hash",
)


def normalise_address(address: str | None) -> str | None:
    """Return an IP address in the compressed form both databases give back."""
    if not address:
        return None
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def timestamp(value: datetime.datetime) -> str:
    """Return a UTC timestamp with microseconds, the precision both databases keep."""
    return value.astimezone(datetime.UTC).isoformat(timespec="microseconds")


def canonical(values: Mapping[str, Any]) -> str:
    """Return the canonical JSON document of an event's content and its predecessor's hash."""
    document: dict[str, Any] = {"v": HASH_VERSION}
    for name in HASHED_FIELDS:
        value = values.get(name)
        if name == "created_at" and value is not None:
            value = timestamp(value)
        elif name == "client_address":
            value = normalise_address(value)
        elif name == "details":
            value = value or {}
        document[name] = value
    return json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def compute_hash(values: Mapping[str, Any]) -> str:
    """Return the SHA-256 (hex) of an event's canonical document."""
    return hashlib.sha256(canonical(values).encode("utf-8")).hexdigest()
