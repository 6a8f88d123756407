"""Verification of the audit trail's hash chain."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import TextField
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from .models import AuditCheckpoint, AuditEvent


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    head_sequence: int
    head_hash: str
    problem: str = ""
    sequence: int | None = None  # the first event found wrong (or the first missing one)


def chain_verify(*, chunk_size: int = 2000) -> ChainReport:
    """Walk the chain from the latest purge checkpoint and report the first broken link.

    An altered event no longer matches its own hash; a removed event leaves a gap in the
    sequence; an event inserted out of order does not carry its predecessor's hash; an event of
    the Python hash format after one the database hashed (audit/0002) was inserted by hand.
    """
    checkpoint = AuditCheckpoint.objects.order_by("-sequence").first()
    expected_sequence = checkpoint.sequence + 1 if checkpoint else 1
    expected_prev = checkpoint.hash if checkpoint else ""
    checked = 0
    events = AuditEvent.objects.filter(sequence__gte=expected_sequence).order_by("sequence")
    if connection.vendor == "postgresql":
        # Format 2 hashes cover details as PostgreSQL renders them (audit.chain.canonical_v2).
        events = events.annotate(details_text=Cast("details", output_field=TextField()))
    if (
        checkpoint is not None
        and AuditEvent.objects.filter(sequence__lt=expected_sequence).exists()
    ):
        first = (
            AuditEvent.objects.filter(sequence__lt=expected_sequence).order_by("sequence").first()
        )
        assert first is not None
        return ChainReport(
            False,
            0,
            expected_sequence - 1,
            expected_prev,
            _(
                "event #%(sequence)s (id %(id)s) lies before the purge checkpoint "
                "#%(checkpoint)s: inserted out of order"
            )
            % {"sequence": first.sequence, "id": first.pk, "checkpoint": checkpoint.sequence},
            first.sequence,
        )
    database_format = 0  # the newest hash format met so far
    for event in events.iterator(chunk_size=chunk_size):
        if event.sequence != expected_sequence:
            return ChainReport(
                False,
                checked,
                expected_sequence - 1,
                expected_prev,
                _(
                    "event #%(missing)s is missing (removed); the chain resumes at "
                    "#%(sequence)s (id %(id)s)"
                )
                % {"missing": expected_sequence, "sequence": event.sequence, "id": event.pk},
                expected_sequence,
            )
        if event.computed_hash() != event.hash:
            return ChainReport(
                False,
                checked,
                expected_sequence - 1,
                expected_prev,
                _(
                    "event #%(sequence)s (id %(id)s, %(action)s) was altered: its content no "
                    "longer matches its hash"
                )
                % {"sequence": event.sequence, "id": event.pk, "action": event.action},
                event.sequence,
            )
        if event.prev_hash != expected_prev:
            return ChainReport(
                False,
                checked,
                expected_sequence - 1,
                expected_prev,
                _(
                    "event #%(sequence)s (id %(id)s, %(action)s) does not follow #%(previous)s: "
                    "inserted out of order or its predecessor was replaced"
                )
                % {
                    "sequence": event.sequence,
                    "id": event.pk,
                    "action": event.action,
                    "previous": expected_sequence - 1,
                },
                event.sequence,
            )
        if event.hash_version < database_format:
            # Once PostgreSQL appends (audit/0002), every event is of its format: an older one
            # after it was written by hand, outside audit_append(), with the Python hash.
            return ChainReport(
                False,
                checked,
                expected_sequence - 1,
                expected_prev,
                _(
                    "event #%(sequence)s (id %(id)s, %(action)s) was not appended by the "
                    "database: it has the hash format %(format)s after events of format "
                    "%(newer)s, so it was inserted outside audit_append()"
                )
                % {
                    "sequence": event.sequence,
                    "id": event.pk,
                    "action": event.action,
                    "format": event.hash_version,
                    "newer": database_format,
                },
                event.sequence,
            )
        database_format = max(database_format, event.hash_version)
        checked += 1
        expected_prev = event.hash
        expected_sequence += 1
    return ChainReport(True, checked, expected_sequence - 1, expected_prev)
