"""The audit trail on PostgreSQL as the portal's own runtime role sees it.

The roles are created in the test database by ``db_roles`` (the test runner is a superuser)
inside each test's transaction, so they vanish with it. ``SET LOCAL ROLE`` then makes the
connection the runtime role: every attempt to rewrite the trail is refused, and what the
owner can still do with its triggers off is caught by audit_verify (the chain or the anchors).
"""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from audit.anchors import public_key_text
from audit.chain import canonical_v2, compute_hash_v2
from audit.context import audit_context
from audit.models import AuditEvent
from audit.roles import RolesRefused, db_roles_apply
from audit.services import record
from audit.verify import chain_verify

from .. import builders

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="database roles: PostgreSQL"),
    pytest.mark.django_db,
]


def _names() -> tuple[str, str]:
    # Roles belong to the cluster: one pair per test database (xdist workers share a cluster).
    base = connection.settings_dict["NAME"][:50]
    return f"{base}_rt", f"{base}_ro"


@pytest.fixture
def roles() -> tuple[str, str]:
    runtime, readonly = _names()
    db_roles_apply(runtime=runtime, readonly=readonly)
    return runtime, readonly


def _sql(statement: str, params: list | None = None) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])
        return cursor.fetchall() if cursor.description else []


def _as(role: str) -> None:
    _sql(f"SET LOCAL ROLE {connection.ops.quote_name(role)}")


def _refused(statement: str, params: list | None = None) -> str:
    """Run ``statement`` in a savepoint; return the database's refusal."""
    with pytest.raises(DatabaseError) as excinfo, transaction.atomic():
        _sql(statement, params)
    return str(excinfo.value)


def _events(count: int) -> list[AuditEvent]:
    return [record(actor=None, action=f"test.step{n}", details={"n": n}) for n in range(count)]


def _forged_values(head: AuditEvent) -> dict:
    return {
        "sequence": head.sequence + 1,
        "created_at": timezone.now(),
        "actor_id": None,
        "actor_username": "forger",
        "department_id": None,
        "action": "test.forged",
        "object_type": "",
        "object_id": "",
        "object_repr": "",
        "level": 1,
        "result": "success",
        "client_address": None,
        "details": {},
        "prev_hash": head.hash,
    }


INSERT = (
    "INSERT INTO audit_auditevent (sequence, created_at, actor_username, action, object_type,"
    " object_id, object_repr, level, result, details, prev_hash, hash, hash_version) VALUES"
    " (%s, %s, %s, %s, '', '', '', 1, 'success', '{}', %s, %s, 2)"
)


def _insert_params(values: dict, event_hash: str) -> list:
    return [
        values["sequence"],
        values["created_at"],
        values["actor_username"],
        values["action"],
        values["prev_hash"],
        event_hash,
    ]


AWKWARD = [
    # (username, client address, details)
    ('o\'brien "q" \\', None, {"名称": '测试"引号"', "path": "C:\\dir\\new"}),
    (
        "张三",
        "2001:DB8:0:0:0:0:0:1",
        {"nested": {"b": [1, 2.5, None, True, {"深": "值"}], "a": ""}, "k": -3},
    ),
    ("", "::ffff:10.0.0.1", {"ctrl": "line\nbreak\ttab\u0001\u007f", "emoji": "😀\u2028"}),
    ("x", "192.0.2.7", {"big": 2**53, "long_key_first": 1, "z": 2, "aa": {"": []}}),
]


def test_record_works_as_the_runtime_role_with_awkward_content_and_after_old_events(
    roles, django_assert_num_queries
):
    # Events of the Python format (1), written before the database appended events itself.
    _sql("SET LOCAL session_replication_role = replica")
    legacy = None
    for n, (username, address) in enumerate([("旧", "2001:db8::2"), ("old", None)], start=1):
        legacy = AuditEvent(
            sequence=n,
            created_at=timezone.now(),
            action="test.legacy",
            actor_username=username,
            client_address=address,
            details={"名": "旧格式", "q": '"\\'},
            prev_hash=legacy.hash if legacy else "",
        )
        legacy.hash = legacy.computed_hash()
        legacy.save()
    assert legacy is not None and legacy.hash_version == 1
    _sql("SET LOCAL session_replication_role = origin")

    _as(roles[0])
    recorded = []
    for username, address, details in AWKWARD:
        # One round trip: the function locks, chains, hashes and inserts.
        with audit_context(client_address=address, channel="api"), django_assert_num_queries(1):
            event = record(actor=None, action="test.awkward", details=details, username=username)
        recorded.append(event)
        assert event.hash_version == 2
        assert event.computed_hash() == event.hash  # Python renders the details as jsonb does
    assert recorded[0].prev_hash == legacy.hash
    assert recorded[1].client_address == "2001:db8::1"
    assert recorded[2].details["ctrl"] == "line\nbreak\ttab\u0001\u007f"
    # A float PostgreSQL writes out in full: the verifier hashes the database's rendering.
    record(actor=None, action="test.float", details={"f": 1e20})
    report = chain_verify()
    assert report.ok, report.problem
    assert report.checked == 2 + len(AWKWARD) + 1

    # Python builds the very text PostgreSQL hashed.
    stored = AuditEvent.objects.get(pk=recorded[1].pk)
    text = _sql("SELECT details::text FROM audit_auditevent WHERE id = %s", [stored.pk])[0][0]
    assert compute_hash_v2(stored.chain_values(), text) == stored.hash
    assert canonical_v2(stored.chain_values(), text).startswith("[2, ")
    call_command("audit_verify", stdout=StringIO())


def test_runtime_role_cannot_insert_update_delete_or_truncate(roles):
    events = _events(5)
    _as(roles[0])
    values = _forged_values(events[-1])
    # A forged event with a correctly computed hash: refused, not merely detectable.
    message = _refused(INSERT, _insert_params(values, compute_hash_v2(values)))
    assert "permission denied for table audit_auditevent" in message
    assert "permission denied" in _refused(
        "UPDATE audit_auditevent SET action = 'x' WHERE id = %s", [events[2].pk]
    )
    # Delete the first events and leave a checkpoint that matches: both refused.
    assert "permission denied" in _refused(
        "DELETE FROM audit_auditevent WHERE sequence <= %s", [events[2].sequence]
    )
    assert "permission denied for table audit_auditcheckpoint" in _refused(
        "INSERT INTO audit_auditcheckpoint (created_at, sequence, hash, purged_count, cutoff)"
        " VALUES (now(), %s, %s, 3, now() - interval '200 days')",
        [events[2].sequence, events[2].hash],
    )
    assert "permission denied" in _refused("TRUNCATE audit_auditevent")
    assert "permission denied" in _refused("TRUNCATE audit_auditcheckpoint")
    # Nor can it switch the triggers off, or take the owner's rights.
    assert "permission denied" in _refused("SET session_replication_role = replica")
    assert "must be owner" in _refused("ALTER TABLE audit_auditevent DISABLE TRIGGER ALL")
    # (SET ROLE is checked against the session's login, here the test runner: not tried.)
    assert "permission denied" in _refused(
        "CREATE FUNCTION public.sha256(text) RETURNS bytea LANGUAGE sql AS 'SELECT NULL::bytea'"
    )
    # Everything is as it was, and it still appends through the function.
    assert AuditEvent.objects.count() == 5
    record(actor=None, action="test.after")
    assert chain_verify().ok


def test_the_readonly_role_reads_the_trail_and_nothing_else(roles):
    _events(2)
    _as(roles[1])
    assert _sql("SELECT count(*) FROM audit_auditevent") == [(2,)]
    assert "permission denied for function audit_append" in _refused(
        "SELECT audit_append(now(), NULL, '', NULL, 'x', '', '', '', 1, 'success', NULL, '{}')"
    )
    assert "permission denied for table django_session" in _refused(
        "SELECT count(*) FROM django_session"
    )
    assert "permission denied" in _refused("DELETE FROM accounts_department")


def test_the_triggers_stop_even_a_role_with_the_privileges(roles):
    # The test runner is a superuser: it holds every privilege, as the owner does.
    _events(3)
    _sql("SET LOCAL audit.truncate = 'off'")  # the test database turns it on for the flush
    _sql("SET CONSTRAINTS ALL IMMEDIATE")  # TRUNCATE waits for no deferred foreign-key check
    assert "TRUNCATE of audit_auditevent refused" in _refused("TRUNCATE audit_auditevent")
    assert "TRUNCATE of audit_auditcheckpoint refused" in _refused("TRUNCATE audit_auditcheckpoint")
    # Right after audit_append() ran in this very transaction, a direct INSERT is still refused.
    record(actor=None, action="test.by_owner")
    values = _forged_values(AuditEvent.objects.order_by("-sequence").first())
    assert "appended only by audit_append()" in _refused(
        INSERT, _insert_params(values, compute_hash_v2(values))
    )
    assert "append-only" in _refused("DELETE FROM audit_auditevent")
    assert AuditEvent.objects.count() == 4


@pytest.fixture
def anchored(settings, tmp_path: Path) -> Path:
    key = Ed25519PrivateKey.generate()
    path = tmp_path / "anchor.pem"
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    settings.PORTAL_AUDIT_ANCHOR_KEY = str(path)
    settings.PORTAL_AUDIT_ANCHOR_FILE = str(tmp_path / "anchors.jsonl")
    settings.PORTAL_AUDIT_ANCHOR_PUBLIC_KEYS = [public_key_text(key.public_key())]
    return Path(settings.PORTAL_AUDIT_ANCHOR_FILE)


def _verify_problems() -> str:
    with pytest.raises(CommandError) as excinfo:
        call_command("audit_verify", stdout=StringIO())
    return str(excinfo.value)


def test_what_the_owner_can_still_do_is_detected(roles, anchored):
    """With its triggers off (a superuser), the owner can write anything: verify shows it."""
    events = _events(3)
    call_command("audit_anchor", stdout=StringIO())  # anchors #3; its own event is #4
    events += _events(3)
    call_command("audit_anchor", stdout=StringIO())
    _sql("SET LOCAL session_replication_role = replica")

    # A forged event at the head with a made-up hash: the chain shows it.
    values = _forged_values(AuditEvent.objects.order_by("-sequence").first())
    with transaction.atomic():
        _sql(INSERT, _insert_params(values, "0" * 64))
        assert "was altered" in _verify_problems()
        transaction.set_rollback(True)

    # A forged event with its hash correctly computed the Python way (format 1, the public
    # audit.chain.compute_hash): the database never writes that format any more.
    values = _forged_values(AuditEvent.objects.order_by("-sequence").first())
    with transaction.atomic():
        forged = AuditEvent(
            **{k: v for k, v in values.items() if k not in ("actor_id", "department_id")}
        )
        forged.hash = forged.computed_hash()
        forged.save()
        assert forged.hash_version == 1
        problems = _verify_problems()
        assert f"event #{forged.sequence} " in problems
        assert "inserted outside audit_append()" in problems
        transaction.set_rollback(True)

    # The first five events deleted behind a checkpoint that matches the chain: the anchor of
    # #3 shows no purge can have taken it.
    with transaction.atomic():
        _sql("DELETE FROM audit_auditevent WHERE sequence <= %s", [events[3].sequence])
        _sql(
            "INSERT INTO audit_auditcheckpoint (created_at, sequence, hash, purged_count, cutoff)"
            " VALUES (now(), %s, %s, 5, now() - interval '200 days')",
            [events[3].sequence, events[3].hash],
        )
        assert chain_verify().ok  # the chain alone cannot tell
        problems = _verify_problems()
        assert f"anchored event #{events[2].sequence} " in problems
        assert "the checkpoint is forged" in problems
        transaction.set_rollback(True)

    # The whole trail truncated: "Audit trail intact: 0 events" but for the anchors.
    _sql("SET CONSTRAINTS ALL IMMEDIATE")  # TRUNCATE waits for no deferred foreign-key check
    _sql("TRUNCATE audit_auditevent")
    assert chain_verify().ok
    assert "events after #0 were removed" in _verify_problems()


ACLS = (
    "SELECT c.relname, (SELECT array_agg(a::text ORDER BY a::text) FROM unnest(c.relacl) a)"
    " FROM pg_class c WHERE c.relname LIKE 'audit%%' ORDER BY 1"
)


def test_db_roles_is_idempotent_and_refuses_dangerous_roles():
    runtime, readonly = _names()
    out = StringIO()
    call_command("db_roles", runtime=runtime, readonly=readonly, stdout=out)
    assert f"Created role {runtime}." in out.getvalue()
    before = _sql(ACLS)
    out = StringIO()
    call_command("db_roles", runtime=runtime, readonly=readonly, stdout=out)
    assert f"Updated role {runtime}." in out.getvalue()
    assert _sql(ACLS) == before
    # A table a later migration creates gets the runtime role's grants by default.
    _sql("CREATE TABLE later_table (id int)")
    _as(runtime)
    _sql("INSERT INTO later_table VALUES (1)")
    _sql("RESET ROLE")

    _sql(f"CREATE ROLE {connection.ops.quote_name(runtime + '_su')} SUPERUSER")
    with pytest.raises(CommandError, match="is a superuser"):
        call_command("db_roles", runtime=runtime + "_su")
    with pytest.raises(CommandError, match="owns the tables"):
        call_command("db_roles", runtime=_sql("SELECT current_user")[0][0])
    with pytest.raises(RolesRefused, match="plain role name"):
        db_roles_apply(runtime="bad name; DROP TABLE x")
    with pytest.raises(RolesRefused, match="must differ"):
        db_roles_apply(runtime=runtime, readonly=runtime)
    # A read-only role that is a member of the runtime role could write: refused.
    rt, ro = connection.ops.quote_name(runtime), connection.ops.quote_name(readonly)
    _sql(f"REVOKE {ro} FROM {rt}")
    _sql(f"GRANT {rt} TO {ro}")
    with pytest.raises(RolesRefused, match="member of the runtime role"):
        db_roles_apply(runtime=runtime, readonly=readonly)
    _sql(f"CREATE ROLE {connection.ops.quote_name(runtime + '_owner')}")
    _sql(
        f"GRANT {connection.ops.quote_name(runtime + '_owner')} TO "
        f"{connection.ops.quote_name(runtime)}"
    )
    with pytest.raises(RolesRefused, match="member of the owner"):
        db_roles_apply(runtime=runtime, owner=runtime + "_owner")


def _export_rows(client) -> list[str]:
    response = client.get(reverse("audit:event_export"), {"action": "test."})
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode("utf-8").splitlines()[1:]


def test_the_audit_export_reads_as_the_readonly_role(roles, client, settings):
    runtime, readonly = roles
    auditor = builders.user(None, clearance=4, roles=(Role.AUDIT_ADMIN,))
    _events(3)
    settings.DATABASE_READONLY_ROLE = readonly
    client.force_login(auditor)
    # The portal runs as the runtime role; the export switches to the read-only one.
    _as(runtime)
    assert len(_export_rows(client)) == 3
    assert _sql("SELECT current_user, current_setting('transaction_read_only')") == [
        (runtime, "off")
    ]
    # Proof that the rows were read with the read-only role's privileges, not the runtime's.
    _sql("RESET ROLE")
    ro = connection.ops.quote_name(readonly)  # a quoted identifier, not a value
    _sql(f"REVOKE SELECT ON audit_auditevent FROM {ro}")  # noqa: S608
    _as(runtime)
    with pytest.raises(DatabaseError, match="permission denied for table audit_auditevent"):
        _export_rows(client)
