"""Signed anchors of the audit chain: audit_verify shows a removed tail, a rewritten chain and
a forged or altered anchor, none of which the hash chain alone can show."""

from __future__ import annotations

import base64
import json
import stat
from datetime import UTC, timedelta
from io import StringIO
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from audit.anchors import (
    anchor_line,
    anchors_verify,
    configured_public_keys,
    key_id,
    public_key_text,
)
from audit.models import AuditCheckpoint, AuditEvent
from audit.services import audit_purge, record
from audit.verify import chain_verify

pytestmark = pytest.mark.django_db


def _write_key(path: Path, key: Ed25519PrivateKey) -> Path:
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return path


@pytest.fixture(scope="module")
def keys() -> tuple[Ed25519PrivateKey, Ed25519PrivateKey]:
    return Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()


@pytest.fixture
def anchored(settings, tmp_path, keys):
    """Anchors configured with the first key; the sink's path."""
    settings.PORTAL_AUDIT_ANCHOR_KEY = str(_write_key(tmp_path / "anchor.pem", keys[0]))
    settings.PORTAL_AUDIT_ANCHOR_FILE = str(tmp_path / "anchors.jsonl")
    settings.PORTAL_AUDIT_ANCHOR_PUBLIC_KEYS = [public_key_text(keys[0].public_key())]
    return Path(settings.PORTAL_AUDIT_ANCHOR_FILE)


def _events(count: int, prefix: str = "test.step") -> list[AuditEvent]:
    return [record(actor=None, action=f"{prefix}{n}", details={"n": n}) for n in range(count)]


def _tamper() -> None:
    # On PostgreSQL tampering needs the trigger off (a superuser); anchors catch it even then.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")


def _sql(statement: str, params: list | None = None) -> None:
    _tamper()
    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])


def _verify() -> str:
    out = StringIO()
    call_command("audit_verify", stdout=out)
    return out.getvalue()


def _verify_problems() -> str:
    with pytest.raises(CommandError) as excinfo:
        call_command("audit_verify")
    return str(excinfo.value)


def _lines(sink: Path) -> list[dict]:
    return [json.loads(line) for line in sink.read_text().splitlines()]


def test_keygen_writes_a_usable_private_key_readable_by_its_owner_only(tmp_path):
    path = tmp_path / "anchor.pem"
    out = StringIO()
    call_command("audit_anchor_keygen", str(path), stdout=out)

    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    assert isinstance(key, Ed25519PrivateKey)
    printed = out.getvalue()
    assert public_key_text(key.public_key()) in printed
    assert key_id(key.public_key()) in printed
    assert "PRIVATE" not in printed
    # A key in use is never overwritten.
    before = path.read_bytes()
    with pytest.raises(CommandError, match="exists"):
        call_command("audit_anchor_keygen", str(path))
    assert path.read_bytes() == before


def test_anchor_refuses_clearly_without_a_key(settings, tmp_path):
    settings.PORTAL_AUDIT_ANCHOR_FILE = str(tmp_path / "anchors.jsonl")
    settings.PORTAL_AUDIT_ANCHOR_KEY = ""
    with pytest.raises(CommandError, match="PORTAL_AUDIT_ANCHOR_KEY is not set"):
        call_command("audit_anchor")
    settings.PORTAL_AUDIT_ANCHOR_KEY = str(tmp_path / "absent.pem")
    with pytest.raises(CommandError, match="cannot read the anchor key"):
        call_command("audit_anchor")
    assert not (tmp_path / "anchors.jsonl").exists()
    assert not AuditEvent.objects.filter(action="audit.anchor").exists()


def test_anchor_appends_a_signed_statement_of_the_head_and_records_it(anchored, keys):
    events = _events(3)
    call_command("audit_anchor", stdout=StringIO())
    call_command("audit_anchor", stdout=StringIO())

    first, second = _lines(anchored)
    assert first["sequence"] == events[-1].sequence and first["hash"] == events[-1].hash
    assert first["count"] == 3 and first["key"] == key_id(keys[0].public_key())
    fields = ("sequence", "hash", "count", "at", "key", "head_at")
    statement = {name: first[name] for name in fields}
    signed = json.dumps(statement, sort_keys=True, separators=(",", ":")).encode()
    keys[0].public_key().verify(base64.b64decode(first["signature"]), signed)  # raises if bad
    # The second anchor covers the first one's own audit event.
    event = AuditEvent.objects.get(action="audit.anchor", sequence=first["sequence"] + 1)
    assert event.details["hash"] == first["hash"] and event.details["key"] == first["key"]
    assert second["sequence"] == event.sequence and second["count"] == 4


def test_verify_passes_on_an_intact_chain_with_anchors(anchored):
    _events(2)
    call_command("audit_anchor", stdout=StringIO())
    _events(2, "test.later")
    call_command("audit_anchor", stdout=StringIO())

    output = _verify()
    assert "Audit trail intact" in output and "2 signed anchors checked" in output


def test_checking_anchors_takes_the_same_few_queries_however_many_lines(
    anchored, django_assert_num_queries
):
    for _ in range(6):
        _events(1)
        call_command("audit_anchor", stdout=StringIO())
    keys = configured_public_keys()
    # The checkpoints, the anchored events' hashes, and the head with its count.
    with django_assert_num_queries(4):
        report = anchors_verify(str(anchored), keys)
    assert report.ok and report.checked == 6


def test_verify_names_the_removed_tail(anchored):
    events = _events(5)
    call_command("audit_anchor", stdout=StringIO())
    # The database role deletes the tail, bypassing the services: the chain itself still holds.
    _tamper()
    AuditEvent.objects.filter(sequence__gt=events[2].sequence)._raw_delete(connection.alias)
    assert chain_verify().ok

    problems = _verify_problems()
    assert f"events after #{events[2].sequence} were removed" in problems
    assert f"up to #{events[-1].sequence}" in problems


def test_verify_names_a_truncated_table(anchored):
    _events(3)
    call_command("audit_anchor", stdout=StringIO())
    _sql("DELETE FROM audit_auditevent")
    assert chain_verify().ok

    assert "events after #0 were removed" in _verify_problems()


def test_verify_catches_a_chain_rewritten_with_recomputed_hashes(anchored):
    events = _events(4)
    call_command("audit_anchor", stdout=StringIO())
    # An attacker who knows the hash function edits event 2 and rehashes everything after it.
    rows = list(AuditEvent.objects.filter(sequence__gte=events[1].sequence).order_by("sequence"))
    previous = rows[0].prev_hash
    rows[0].object_repr = "rewritten"
    for row in rows:
        row.prev_hash = previous
        row.hash = row.computed_hash()
        _sql(
            "UPDATE audit_auditevent SET object_repr = %s, prev_hash = %s, hash = %s WHERE id = %s",
            [row.object_repr, row.prev_hash, row.hash, row.pk],
        )
        previous = row.hash
    assert chain_verify().ok  # the chain alone cannot tell

    problems = _verify_problems()
    assert f"event #{rows[-2].sequence} no longer has the hash anchored" in problems
    assert "the chain was rewritten" in problems


def test_verify_reports_an_anchor_signed_by_another_key_as_forged(anchored, keys):
    events = _events(3)
    call_command("audit_anchor", stdout=StringIO())
    # A line claiming the real key's id but signed by a key the attacker made, anchoring a
    # head far beyond the chain: it is reported as forged, not trusted as a removed tail.
    forged = json.loads(anchor_line(keys[1], sequence=99, head_hash="0" * 64, count=99))
    forged["key"] = key_id(keys[0].public_key())
    with anchored.open("a") as sink:
        sink.write(json.dumps(forged) + "\n")

    problems = _verify_problems()
    assert "anchor line 2 (#99) is forged" in problems
    assert "removed" not in problems and "line 1" not in problems
    assert f"#{events[-1].sequence}" not in problems


def test_verify_reports_an_altered_anchor_statement(anchored):
    events = _events(3)
    call_command("audit_anchor", stdout=StringIO())
    call_command("audit_anchor", stdout=StringIO())
    first, second = anchored.read_text().splitlines()
    # Whoever can write the sink lowers the second anchor to hide a tail deletion.
    altered = json.loads(second)
    altered["sequence"], altered["hash"] = events[0].sequence, events[0].hash
    anchored.write_text(first + "\n" + json.dumps(altered) + "\n")

    problems = _verify_problems()
    assert f"anchor line 2 (#{events[0].sequence}) is forged" in problems
    assert "line 1" not in problems


def test_rotation_old_anchors_verify_while_the_old_public_key_is_kept(
    anchored, keys, settings, tmp_path
):
    _events(2)
    call_command("audit_anchor", stdout=StringIO())
    # Rotation: the new private key signs from now on; both public keys are configured.
    settings.PORTAL_AUDIT_ANCHOR_KEY = str(_write_key(tmp_path / "new.pem", keys[1]))
    old, new = (public_key_text(key.public_key()) for key in keys)
    settings.PORTAL_AUDIT_ANCHOR_PUBLIC_KEYS = [old, new]
    _events(1, "test.later")
    call_command("audit_anchor", stdout=StringIO())

    assert [line["key"] for line in _lines(anchored)] == [key_id(k.public_key()) for k in keys]
    assert "2 signed anchors checked" in _verify()
    # Dropping the old public key leaves its anchors unverifiable.
    settings.PORTAL_AUDIT_ANCHOR_PUBLIC_KEYS = [new]
    assert "anchor line 1 (#" in _verify_problems()


def test_anchors_of_purged_events_pass_but_a_forged_checkpoint_does_not(
    anchored, monkeypatch, settings
):
    settings.PORTAL_AUDIT_RETENTION_DAYS = 180
    real_now = timezone.now()
    monkeypatch.setattr("django.utils.timezone.now", lambda: real_now - timedelta(days=400))
    _events(2, "test.old")
    call_command("audit_anchor", stdout=StringIO())  # anchors an event the purge will take
    monkeypatch.setattr("django.utils.timezone.now", lambda: real_now - timedelta(days=10))
    recent = _events(2, "test.recent")
    call_command("audit_anchor", stdout=StringIO())
    monkeypatch.undo()

    assert audit_purge() is not None
    assert "1 of purged events" in _verify()

    # The database owner hides the removal of recent events behind a forged checkpoint.
    _sql("DELETE FROM audit_auditevent")
    AuditCheckpoint(
        sequence=recent[-1].sequence + 5,
        hash="f" * 64,
        purged_count=9,
        cutoff=real_now - timedelta(days=200),
    ).save()
    problems = _verify_problems()
    assert f"anchored event #{recent[-1].sequence} " in problems
    assert "the checkpoint is forged" in problems


def test_a_checkpoint_ending_at_a_recent_anchored_event_is_forged(anchored, settings):
    """The owner removes every event up to an anchored one and writes a checkpoint carrying
    its hash with a cutoff that looks legal: the anchor signed the event's own time, which is
    after the cutoff, so no purge can have taken it."""
    settings.PORTAL_AUDIT_RETENTION_DAYS = 180
    events = _events(3)
    call_command("audit_anchor", stdout=StringIO())
    line = _lines(anchored)[0]
    assert line["sequence"] == events[-1].sequence
    assert line["head_at"] == events[-1].created_at.astimezone(UTC).isoformat(timespec="seconds")
    _sql("DELETE FROM audit_auditevent WHERE sequence <= %s", [events[-1].sequence])
    AuditCheckpoint(
        sequence=events[-1].sequence,
        hash=events[-1].hash,
        purged_count=3,
        cutoff=timezone.now() - timedelta(days=200),
    ).save()
    problems = _verify_problems()
    assert f"anchored event #{events[-1].sequence} " in problems
    assert "the checkpoint is forged" in problems


def test_an_anchor_cannot_lose_its_head_time(anchored):
    _events(1)
    call_command("audit_anchor", stdout=StringIO())
    line = _lines(anchored)[0]
    del line["head_at"]
    anchored.write_text(json.dumps(line) + "\n", encoding="utf-8")
    assert "is forged: its signature does not verify" in _verify_problems()


def test_verify_refuses_a_missing_sink_a_damaged_line_and_a_half_configuration(anchored, settings):
    _events(1)
    assert "cannot be read" in _verify_problems()  # the sink was deleted (or never written)
    call_command("audit_anchor", stdout=StringIO())
    with anchored.open("a") as sink:
        sink.write("{not json\n")
    assert "anchor line 2 is not a valid anchor" in _verify_problems()
    settings.PORTAL_AUDIT_ANCHOR_PUBLIC_KEYS = []
    with pytest.raises(CommandError, match="PORTAL_AUDIT_ANCHOR_PUBLIC_KEYS is not set"):
        call_command("audit_verify")
    # Without anchors configured at all, the chain alone is checked as before.
    settings.PORTAL_AUDIT_ANCHOR_FILE = ""
    assert "Anchors" not in _verify()
