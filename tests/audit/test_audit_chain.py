"""The audit trail is a hash chain: tampering through the database is detected or refused."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from audit.models import AuditCheckpoint, AuditEvent, AuditTrailImmutable
from audit.services import audit_purge, record
from audit.verify import chain_verify

from .. import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def events():
    dept = builders.department()
    user = builders.user(dept)
    return [
        record(actor=user, action=f"test.step{n}", obj=dept, details={"n": n, "名": "测试"})
        for n in range(5)
    ]


def _sql(statement: str, params: list | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])


def _verify_message() -> str:
    with pytest.raises(CommandError) as excinfo:
        call_command("audit_verify")
    return str(excinfo.value)


def test_events_are_chained_and_verify(events):
    for previous, event in itertools.pairwise(events):
        assert event.prev_hash == previous.hash
        assert event.sequence == previous.sequence + 1
    report = chain_verify()
    assert report.ok, report.problem
    assert report.head_hash == events[-1].hash
    call_command("audit_verify")  # exits 0


def test_orm_refuses_changes_and_deletes(events):
    event = AuditEvent.objects.get(pk=events[1].pk)
    event.action = "forged"
    with pytest.raises(AuditTrailImmutable):
        event.save()
    with pytest.raises(AuditTrailImmutable):
        event.delete()
    with pytest.raises(AuditTrailImmutable):
        AuditEvent.objects.filter(pk=event.pk).update(action="forged")
    with pytest.raises(AuditTrailImmutable):
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "test.step1"


def _disable_trigger() -> None:
    # Tampering needs a database superuser on PostgreSQL; the chain must catch it even then.
    if connection.vendor == "postgresql":
        _sql("SET LOCAL session_replication_role = replica")


def test_edit_in_the_database_is_detected(events):
    _disable_trigger()
    _sql("UPDATE audit_auditevent SET object_repr = 'edited' WHERE id = %s", [events[2].pk])
    message = _verify_message()
    assert f"#{events[2].sequence}" in message and "altered" in message


def test_delete_in_the_database_is_detected(events):
    _disable_trigger()
    _sql("DELETE FROM audit_auditevent WHERE id = %s", [events[2].pk])
    message = _verify_message()
    assert f"#{events[2].sequence} is missing" in message


def test_insert_out_of_order_is_detected(events):
    # A well-formed row at the head, but chained to an older event than the head.
    _disable_trigger()
    forged = AuditEvent(
        sequence=events[-1].sequence + 1,
        created_at=timezone.now(),
        action="test.forged",
        prev_hash=events[1].hash,
    )
    forged.hash = forged.computed_hash()
    forged.save()
    message = _verify_message()
    assert f"#{forged.sequence}" in message and "out of order" in message


def test_insert_with_a_made_up_hash_is_detected(events):
    _disable_trigger()
    _sql(
        "INSERT INTO audit_auditevent (sequence, created_at, actor_username, action, object_type,"
        " object_id, object_repr, level, result, details, prev_hash, hash) VALUES"
        " (%s, %s, '', 'test.forged', '', '', '', 1, 'success', '{}', %s, %s)",
        [events[-1].sequence + 1, timezone.now(), events[-1].hash, "0" * 64],
    )
    assert "altered" in _verify_message()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL")
def test_postgresql_trigger_refuses_update_and_delete(events):
    for statement in (
        "UPDATE audit_auditevent SET action = 'x' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            _sql(statement, [events[0].pk])
    assert AuditEvent.objects.get(pk=events[0].pk).action == "test.step0"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL")
def test_postgresql_trigger_refuses_a_forged_purge_of_recent_rows(events):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        _sql("SELECT set_config('audit.purge', 'on', true)")
        _sql("SELECT set_config('audit.purge_before', %s, true)", [timezone.now().isoformat()])
        _sql("DELETE FROM audit_auditevent WHERE id = %s", [events[0].pk])


def test_purge_removes_only_old_events_and_keeps_the_chain_verifiable(monkeypatch, settings):
    settings.PORTAL_AUDIT_RETENTION_DAYS = 180
    real_now = timezone.now()
    monkeypatch.setattr("django.utils.timezone.now", lambda: real_now - timedelta(days=400))
    old = [record(actor=None, action="test.old") for _ in range(3)]
    monkeypatch.setattr("django.utils.timezone.now", lambda: real_now - timedelta(days=10))
    recent = [record(actor=None, action="test.recent") for _ in range(2)]
    monkeypatch.undo()

    checkpoint = audit_purge()

    assert checkpoint is not None
    assert checkpoint.sequence == old[-1].sequence and checkpoint.hash == old[-1].hash
    remaining = set(AuditEvent.objects.values_list("action", flat=True))
    assert "test.old" not in remaining and "test.recent" in remaining
    assert AuditEvent.objects.filter(pk__in=[e.pk for e in recent]).count() == 2
    assert AuditEvent.objects.filter(action="audit.purge").exists()
    assert chain_verify().ok
    call_command("audit_verify")
    with pytest.raises(AuditTrailImmutable):
        AuditCheckpoint.objects.all().delete()


def test_purge_refuses_a_retention_below_180_days(settings):
    settings.PORTAL_AUDIT_RETENTION_DAYS = 90
    with pytest.raises(ImproperlyConfigured):
        audit_purge()
    with pytest.raises(CommandError, match="180"):
        call_command("audit_purge")


def test_purge_refuses_when_the_chain_is_broken(events, settings):
    _disable_trigger()
    _sql("DELETE FROM audit_auditevent WHERE id = %s", [events[1].pk])
    with pytest.raises(CommandError, match="missing"):
        call_command("audit_purge")


def test_record_holds_level_and_address(events):
    from audit.context import audit_context

    dept = builders.department()
    res = builders.resource(dept, level=3, status="draft")
    with audit_context(client_address="::ffff:10.0.0.1", channel="web"):
        event = record(actor=None, action="data.read", obj=res)
    assert event.level == 3
    # SQLite keeps Python's compressed form; PostgreSQL gives back (and hashes) its own.
    expected = "::ffff:10.0.0.1" if connection.vendor == "postgresql" else "::ffff:a00:1"
    assert event.client_address == expected
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.computed_hash() == stored.hash
