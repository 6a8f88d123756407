"""The hash chain of the audit trail: canonical content and SHA-256.

Pure functions with no model imports, so migrations and the verifier compute hashes exactly
as ``audit.services.record()`` does.

Two formats, recorded per event in ``hash_version``:

* **1**: sorted, compact JSON built here (``canonical``). SQLite, and PostgreSQL events
  recorded before the database appended events itself.
* **2**: built by PostgreSQL's ``audit_append()`` (migration audit/0002): the text of
  ``jsonb_build_array(2, sequence, created_at, ..., details, prev_hash)``. The verifier rebuilds
  that text here (``canonical_v2``) from the row, with the ``details`` value as PostgreSQL
  renders it (``details::text``), so the one thing taken from the database is the rendering of a
  stored value, never a hash or a function the database's owner could replace.
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
# The format PostgreSQL's audit_append() computes (see the module's docstring).
HASH_VERSION_DATABASE = 2
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


def jsonb_text(value: Any) -> str:
    """Return ``value`` as PostgreSQL renders a jsonb value as text.

    Object keys ordered by their UTF-8 length, then bytes; ``", "`` and ``": "`` between items;
    strings escaped as ``json.dumps(ensure_ascii=False)`` does (PostgreSQL's ``escape_json``
    escapes the same characters the same way). Used when the database's own rendering of
    ``details`` is not at hand; floats written in exponent form are the one case it can miss.
    """
    if isinstance(value, Mapping):
        keys = sorted(value, key=lambda key: (len(key.encode("utf-8")), key.encode("utf-8")))
        inner = ", ".join(f"{jsonb_text(key)}: {jsonb_text(value[key])}" for key in keys)
        return "{" + inner + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(jsonb_text(item) for item in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def canonical_v2(values: Mapping[str, Any], details_text: str | None = None) -> str:
    """Return the text audit_append() hashes: a jsonb array of the hashed fields.

    ``details_text`` is ``details::text`` as the database gives it back; without it the
    details are rendered here (``jsonb_text``).
    """
    created_at = values.get("created_at")
    parts: list[str] = [str(HASH_VERSION_DATABASE)]
    for name in HASHED_FIELDS:
        value = values.get(name)
        if name == "created_at":
            parts.append(jsonb_text(timestamp(created_at) if created_at is not None else None))
        elif name == "client_address":
            # As the database renders the inet value (host()), which the row gives back.
            parts.append(jsonb_text(value or None))
        elif name == "details":
            parts.append(details_text if details_text is not None else jsonb_text(value or {}))
        else:
            parts.append(jsonb_text(value))
    return "[" + ", ".join(parts) + "]"


def compute_hash_v2(values: Mapping[str, Any], details_text: str | None = None) -> str:
    """Return the SHA-256 (hex) of an event's version-2 canonical text."""
    return hashlib.sha256(canonical_v2(values, details_text).encode("utf-8")).hexdigest()
