"""Signed anchors of the audit chain: the head's sequence and hash, signed outside the database.

Whoever holds the database role can delete the chain's tail, truncate the table, or recompute
every hash after an edit: the chain alone cannot show that. ``manage.py audit_anchor`` (hourly)
signs a statement of the chain head with an Ed25519 key the web process need not read, and
appends it as one JSON line to an append-only sink. ``manage.py audit_verify`` checks every
line against the configured public keys and the database: a line whose signature fails was
forged or altered; an anchored event whose hash differs was rewritten; a head below the last
anchor lost its tail.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import AuditCheckpoint, AuditEvent
from .services import MINIMUM_RETENTION_DAYS, _chain_lock, record

STATEMENT_FIELDS = ("sequence", "hash", "count", "at", "key")
# Signed when present: the anchored head event's own time. Anchors written before it was added
# lack it and verify as they did; a line cannot lose it without failing its signature.
OPTIONAL_FIELDS = ("head_at",)


class AnchorRefused(Exception):
    """The anchor cannot be written (no key, no sink, an unreadable key)."""


# --- Keys ----------------------------------------------------------------------------------


def public_key_text(public_key: Ed25519PublicKey) -> str:
    """Return the raw 32-byte public key in base64: one short line for an environment list."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


def key_id(public_key: Ed25519PublicKey) -> str:
    """Return a short stable name of a public key (first 16 hex digits of its SHA-256)."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def parse_public_key(text: str) -> Ed25519PublicKey:
    """Read a public key given as base64 of its 32 raw bytes, or as PEM."""
    text = text.strip()
    if text.startswith("-----BEGIN"):
        key = serialization.load_pem_public_key(text.encode("ascii"))
        if not isinstance(key, Ed25519PublicKey):
            raise ValueError("not an Ed25519 public key")
        return key
    try:
        raw = base64.b64decode(text, validate=True)
    except binascii.Error as exc:
        raise ValueError("not base64") from exc
    return Ed25519PublicKey.from_public_bytes(raw)


def configured_public_keys() -> dict[str, Ed25519PublicKey]:
    """Return the public keys of ``PORTAL_AUDIT_ANCHOR_PUBLIC_KEYS`` by key id."""
    keys: dict[str, Ed25519PublicKey] = {}
    for text in getattr(settings, "PORTAL_AUDIT_ANCHOR_PUBLIC_KEYS", []):
        try:
            key = parse_public_key(text)
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"PORTAL_AUDIT_ANCHOR_PUBLIC_KEYS holds a value that is not an Ed25519 public "
                f"key ({exc})"
            ) from exc
        keys[key_id(key)] = key
    return keys


def keygen(path: Path) -> Ed25519PrivateKey:
    """Write a new Ed25519 private key (PKCS#8 PEM) to ``path``, readable by its owner only.

    Refuses to overwrite an existing file: losing a key in use loses nothing already signed,
    but replacing it by mistake would make the next anchors unverifiable until configured.
    """
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.fchmod(descriptor, 0o600)  # whatever the umask
        os.write(descriptor, pem)
    finally:
        os.close(descriptor)
    return key


def load_private_key() -> Ed25519PrivateKey:
    """Read the signing key at ``PORTAL_AUDIT_ANCHOR_KEY``; refuse clearly when it is absent."""
    path = getattr(settings, "PORTAL_AUDIT_ANCHOR_KEY", "")
    if not path:
        raise AnchorRefused(
            "PORTAL_AUDIT_ANCHOR_KEY is not set: name the file of the anchor's private key "
            "(manage.py audit_anchor_keygen PATH writes one)"
        )
    try:
        pem = Path(path).read_bytes()
    except OSError as exc:
        raise AnchorRefused(f"cannot read the anchor key {path}: {exc.strerror}") from exc
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except (ValueError, TypeError) as exc:
        raise AnchorRefused(f"{path} is not an unencrypted PEM private key") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise AnchorRefused(f"{path} is not an Ed25519 private key")
    return key


# --- Statements ----------------------------------------------------------------------------


def canonical(statement: dict[str, Any]) -> bytes:
    """Return the bytes that are signed: the statement's fields as sorted, compact JSON."""
    document = {name: statement.get(name) for name in STATEMENT_FIELDS}
    document.update({name: statement[name] for name in OPTIONAL_FIELDS if name in statement})
    return json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8"
    )


def _utc_text(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).isoformat(timespec="seconds")


def chain_head() -> tuple[int, str, int]:
    """Return the chain head's sequence and hash (after any purge checkpoint) and event count."""
    sequence, head_hash, _at, count = chain_head_with_time()
    return sequence, head_hash, count


def chain_head_with_time() -> tuple[int, str, str | None, int]:
    """``chain_head`` with the head event's time (UTC text; None for a checkpoint or nothing)."""
    last = (
        AuditEvent.objects.order_by("-sequence")
        .values_list("sequence", "hash", "created_at")
        .first()
    )
    if last is not None:
        return last[0], last[1], _utc_text(last[2]), AuditEvent.objects.count()
    checkpoint = (
        AuditCheckpoint.objects.order_by("-sequence").values_list("sequence", "hash").first()
    )
    sequence, head_hash = checkpoint if checkpoint is not None else (0, "")
    return sequence, head_hash, None, 0


def anchor_line(
    key: Ed25519PrivateKey,
    *,
    sequence: int,
    head_hash: str,
    count: int,
    head_at: str | None = None,
) -> str:
    """Return one sink line: the statement and its signature (base64), as JSON."""
    statement: dict[str, Any] = {
        "sequence": sequence,
        "hash": head_hash,
        "count": count,
        "at": _utc_text(timezone.now()),
        "key": key_id(key.public_key()),
    }
    if head_at is not None:
        statement["head_at"] = head_at
    signature = base64.b64encode(key.sign(canonical(statement))).decode("ascii")
    line = {**statement, "signature": signature}
    return json.dumps(line, sort_keys=True, separators=(",", ":")) + "\n"


def append_line(path: str, line: str) -> None:
    """Append one line to the sink with O_APPEND, in one write, and flush it to disk."""
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(descriptor, line.encode("utf-8"))
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def audit_anchor() -> dict[str, Any]:
    """Sign the chain head, append the anchor to the sink and record ``audit.anchor``.

    The head is read under the chain's lock, so no event slips in between reading and
    recording; the ``audit.anchor`` event itself follows the anchored head and is covered by
    the next anchor.
    """
    key = load_private_key()
    sink = getattr(settings, "PORTAL_AUDIT_ANCHOR_FILE", "")
    if not sink:
        raise AnchorRefused(
            "PORTAL_AUDIT_ANCHOR_FILE is not set: name the append-only file the anchors go to"
        )
    with transaction.atomic():
        _chain_lock()
        sequence, head_hash, head_at, count = chain_head_with_time()
        line = anchor_line(
            key, sequence=sequence, head_hash=head_hash, count=count, head_at=head_at
        )
        try:
            append_line(sink, line)
        except OSError as exc:
            raise AnchorRefused(f"cannot append to {sink}: {exc.strerror}") from exc
        statement = json.loads(line)
        record(
            actor=None,
            action="audit.anchor",
            details={
                "sequence": sequence,
                "hash": head_hash,
                "count": count,
                "key": statement["key"],
            },
        )
    return statement


# --- Verification --------------------------------------------------------------------------


@dataclass
class AnchorReport:
    checked: int = 0
    purged: int = 0  # anchors of events since purged below the checkpoint (expected)
    last_sequence: int | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _signature_valid(
    line: dict[str, Any], keys: dict[str, Ed25519PublicKey]
) -> Ed25519PublicKey | None:
    try:
        signature = base64.b64decode(str(line.get("signature", "")), validate=True)
    except binascii.Error:
        return None
    message = canonical(line)
    named = keys.get(str(line.get("key")))
    # The key the line names first; then every other key (a key id is not trusted).
    for key in ([named] if named else []) + [k for k in keys.values() if k is not named]:
        try:
            key.verify(signature, message)
        except InvalidSignature:
            continue
        return key
    return None


def _purge_problem(line: dict[str, Any], checkpoints: list[AuditCheckpoint]) -> str:
    """Return why an anchored event cannot have gone in a purge ("" when it can).

    The purge removes only events older than its cutoff, itself at least the legal minimum
    before the purge. The anchored event's successor (the anchor's own ``audit.anchor`` event)
    was written after the anchor's time, so a purge that took it had a cutoff after that time.
    A checkpoint that ends exactly at the anchored event must carry its hash and, where the
    anchor signed the event's own time (``head_at``), a cutoff after that time. A checkpoint
    forged to hide the removal of recent events fails one of these.
    """
    sequence = line["sequence"]
    checkpoint = next(c for c in checkpoints if c.sequence >= sequence)
    latest_cutoff = timezone.now() - datetime.timedelta(days=MINIMUM_RETENTION_DAYS)
    if checkpoint.sequence == sequence:
        if checkpoint.hash == line["hash"]:
            if "head_at" not in line:
                return ""  # an anchor from before head times were signed
            head_at = _moment(line.get("head_at"))
            if head_at is not None and head_at < checkpoint.cutoff <= latest_cutoff:
                return ""
    else:
        at = _moment(line.get("at"))
        if at is not None and at < checkpoint.cutoff <= latest_cutoff:
            return ""
    return _(
        "anchored event #%(sequence)s (line %(line)s) is gone below a purge checkpoint that "
        "cannot have purged it: the checkpoint is forged"
    )


def _moment(value: Any) -> datetime.datetime | None:
    """Return a signed time of an anchor line, or None when it is not an aware ISO time."""
    try:
        moment = datetime.datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def _event_hashes(sequences: set[int], *, chunk_size: int = 1000) -> dict[int, str]:
    """Return the current hash of each anchored event that still exists, in few queries."""
    ordered = sorted(sequences)
    hashes: dict[int, str] = {}
    for start in range(0, len(ordered), chunk_size):
        chunk = ordered[start : start + chunk_size]
        hashes.update(AuditEvent.objects.filter(sequence__in=chunk).values_list("sequence", "hash"))
    return hashes


def anchors_verify(path: str, keys: dict[str, Ed25519PublicKey]) -> AnchorReport:
    """Check every anchor line of ``path`` against the public keys and the database."""
    report = AnchorReport()
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        report.problems.append(
            _("the anchor file %(path)s cannot be read: %(error)s")
            % {"path": path, "error": exc.strerror}
        )
        return report
    checkpoints = list(AuditCheckpoint.objects.order_by("sequence"))
    purged_through = checkpoints[-1].sequence if checkpoints else 0
    last_valid: dict[str, Any] | None = None
    valid: list[tuple[int, dict[str, Any]]] = []  # (line number, line) of good signatures
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            line = json.loads(raw)
            sequence = line["sequence"]
            anchored_hash = line["hash"]
            if not isinstance(sequence, int) or not isinstance(anchored_hash, str):
                raise TypeError
        except (ValueError, KeyError, TypeError):
            report.problems.append(
                _("anchor line %(line)s is not a valid anchor: it was damaged or forged")
                % {"line": number}
            )
            continue
        if _signature_valid(line, keys) is None:
            report.problems.append(
                _(
                    "anchor line %(line)s (#%(sequence)s) is forged: its signature does not "
                    "verify under any configured public key"
                )
                % {"line": number, "sequence": sequence}
            )
            continue
        report.checked += 1
        if last_valid is None or sequence >= last_valid["sequence"]:
            last_valid = line
        if sequence > 0:
            valid.append((number, line))
    hashes = _event_hashes({line["sequence"] for _number, line in valid})
    for number, line in valid:
        sequence = line["sequence"]
        event_hash = hashes.get(sequence)
        if event_hash is None:
            if sequence <= purged_through:
                problem = _purge_problem(line, checkpoints)
                if problem:
                    report.problems.append(problem % {"line": number, "sequence": sequence})
                else:
                    report.purged += 1  # purged with a checkpoint: expected
            # A missing event above the checkpoint is a gap the chain check names, or part of
            # the removed tail reported below.
            continue
        if event_hash != line["hash"]:
            report.problems.append(
                _(
                    "event #%(sequence)s no longer has the hash anchored at %(at)s (line "
                    "%(line)s): the chain was rewritten"
                )
                % {"sequence": sequence, "at": line.get("at"), "line": number}
            )
    if last_valid is not None:
        report.last_sequence = last_valid["sequence"]
        head, _head_hash, _count = chain_head()
        if head < last_valid["sequence"]:
            report.problems.append(
                _(
                    "events after #%(head)s were removed: the anchor of %(at)s covers the chain "
                    "up to #%(sequence)s"
                )
                % {"head": head, "at": last_valid.get("at"), "sequence": last_valid["sequence"]}
            )
    return report
