"""The one entry point that writes the audit trail, and the retention purge.

Conventions for events other engineers record
---------------------------------------------
``record(actor=, action=, obj=, result=, details=)`` is called inside the service's
transaction, so an action and its record commit together (or neither does).

* ``action`` is ``<noun>.<verb>``: ``resource.publish``, ``grant.revoke``, ``login.failure``.
* ``obj`` is the model the action concerns; the event keeps its type, id and ``str()``. The
  event's ``level`` is the object's sensitivity level (``obj.level``, else ``obj.resource.level``,
  else ``details["level"]``, else 1): auditors see only events up to their clearance.
* Reads of data (the provider's "who read our data" page relies on this):

      record(
          actor=user,
          action="data.read",          # "data.download" for a file, "data.verify" for a check
          obj=resource,                # always the catalog.Resource whose data was read
          details={
              "provider": resource.provider_id,
              "items": ["姓名", "身份证号"],   # names of the data items returned
              "rows": 120,                 # number of rows returned
              "grant": grant.pk,           # the grant used, or None (unconditional / own data)
          },
      )

  ``audit.actions.DATA_READ_ACTIONS`` lists the actions shown to providers; the page finds a
  department's reads by ``details["provider"]`` (index ``audit_data_reads``), so it is never
  left out.
* ``details`` must be JSON-serialisable (dates, decimals and UUIDs are converted to text).
* Never put what a caller searched for or sent in ``details`` (an ID number given as a filter
  or an interface parameter is personal data): record the names and
  ``parameters_digest(values)``, which an operator holding the key can check a claim against
  (``manage.py audit_digest``) and nobody else can reverse by trying every ID number.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from kernel.compiled import CompiledQuery

from .chain import normalise_address
from .context import current
from .hooks import event_recorded
from .models import AuditCheckpoint, AuditEvent
from .verify import ChainReport, chain_verify

if TYPE_CHECKING:  # the trail sits below the accounts app: no import of it at run time
    from accounts.models import User

# An arbitrary but fixed key for the PostgreSQL advisory lock that serialises chain writers.
CHAIN_LOCK_KEY = 0x41554449  # "AUDI"
MINIMUM_RETENTION_DAYS = 180


# The salt that separates the parameters' digest from every other HMAC under the same key.
DIGEST_SALT = "audit.parameters"


def parameters_canonical(values: Mapping[str, Any]) -> str:
    """Return the values as canonical JSON: sorted keys, no spaces, anything else as text."""
    named = {str(name): value for name, value in values.items()}
    return json.dumps(named, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def parameters_digest(values: Mapping[str, Any], *, secret: str | bytes | None = None) -> str:
    """Return the keyed digest (HMAC-SHA256 under ``SECRET_KEY``) of a call's or a filter's values.

    A plain hash of an ID number can be reversed by hashing the few hundred million that exist;
    without the key this cannot. ``secret`` names an earlier key (``SECRET_KEY_FALLBACKS``) to
    check an event written before a rotation.
    """
    mac = salted_hmac(DIGEST_SALT, parameters_canonical(values), secret=secret, algorithm="sha256")
    return mac.hexdigest()


def _chain_lock() -> None:
    """Serialise writers of the chain until the transaction ends.

    PostgreSQL: a transaction-scoped advisory lock. SQLite: the settings open every transaction
    with BEGIN IMMEDIATE, so the database's single write lock already serialises writers.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])


# Every audited request reads the head of the chain: compiled once (kernel.compiled).
_LAST_EVENT = CompiledQuery(
    lambda: AuditEvent.objects.only("sequence", "hash").order_by("-sequence")[:1]
)


def _chain_head() -> tuple[int, str]:
    """Return the last sequence number and hash of the chain (after any purge checkpoint)."""
    last = _LAST_EVENT()
    if last:
        return last[0].sequence, last[0].hash
    checkpoint = (
        AuditCheckpoint.objects.order_by("-sequence").values_list("sequence", "hash").first()
    )
    return checkpoint if checkpoint is not None else (0, "")


# One statement, one round trip: the function locks, chains, hashes and inserts (audit/0002).
_APPEND_SQL = (
    "SELECT id, sequence, prev_hash, hash, hash_version, client_address::text "
    "FROM audit_append(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s::inet, %s::jsonb)"
)


def _append_in_database(event: AuditEvent) -> None:
    """Append ``event`` through PostgreSQL's audit_append() and fill in what it computed.

    The runtime role may not insert into the audit table: the database, running the function
    as the tables' owner, decides the sequence, the predecessor and the hash (format 2).
    """
    with connection.cursor() as cursor:
        cursor.execute(
            _APPEND_SQL,
            [
                event.created_at,
                event.actor_id,
                event.actor_username,
                event.department_id,
                event.action,
                event.object_type,
                event.object_id,
                event.object_repr,
                event.level,
                event.result,
                event.client_address,
                json.dumps(event.details),
            ],
        )
        row = cursor.fetchone()
    event.pk, event.sequence, event.prev_hash, event.hash, event.hash_version = row[:5]
    event.client_address = row[5].split("/")[0] if row[5] else None
    event._state.adding = False
    event._state.db = connection.alias


def _level_of(obj: models.Model | None, details: dict[str, Any]) -> int:
    for candidate in (obj, getattr(obj, "resource", None)):
        level = getattr(candidate, "level", None)
        if isinstance(level, int):
            return level
    level = details.get("level")
    return level if isinstance(level, int) else 1


def record(
    *,
    actor: User | None,
    action: str,
    obj: models.Model | None = None,
    result: str = AuditEvent.Result.SUCCESS,
    details: dict[str, Any] | None = None,
    username: str = "",
) -> AuditEvent:
    """Append one event to the audit trail, chained to the previous one.

    Call it inside the service's transaction, so an action and its record commit together.
    ``username`` names the account concerned when there is no signed-in actor (a failed login).
    """
    context = current()
    actor = actor if actor is not None and actor.is_authenticated else None
    event_details = dict(details or {})
    event_details.setdefault("channel", context.channel)
    # Round-trip through JSON so the hashed content is exactly what the database gives back.
    event_details = json.loads(json.dumps(event_details, cls=DjangoJSONEncoder))
    event = AuditEvent(
        created_at=timezone.now(),
        actor=actor,
        actor_username=(actor.username if actor else username)[:150],
        department_id=actor.department_id if actor else None,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        level=_level_of(obj, event_details),
        result=result,
        client_address=normalise_address(context.client_address),
        details=event_details,
    )
    if connection.vendor == "postgresql":
        _append_in_database(event)
    else:
        with transaction.atomic():
            _chain_lock()
            sequence, prev_hash = _chain_head()
            event.sequence = sequence + 1
            event.prev_hash = prev_hash
            event.hash = event.computed_hash()
            event.save()
    event_recorded.send(sender=AuditEvent, action=action)
    return event


def retention_days() -> int:
    """Return the configured retention, refusing one shorter than the legal minimum."""
    days = int(getattr(settings, "PORTAL_AUDIT_RETENTION_DAYS", MINIMUM_RETENTION_DAYS))
    if days < MINIMUM_RETENTION_DAYS:
        raise ImproperlyConfigured(
            f"PORTAL_AUDIT_RETENTION_DAYS is {days}; audit records must be kept at least "
            f"{MINIMUM_RETENTION_DAYS} days (网络安全法 Art. 21)."
        )
    return days


class PurgeRefused(Exception):
    """The purge did not run: the chain is broken, so nothing may be thrown away."""


@transaction.atomic
def audit_purge(*, now: datetime | None = None) -> AuditCheckpoint | None:
    """Remove the oldest events past the retention and leave a checkpoint for verification.

    Only a prefix of the chain goes: events up to (not including) the first one still inside
    the retention, so the remaining chain stays contiguous from the checkpoint.
    """
    cutoff = (now or timezone.now()) - timedelta(days=retention_days())
    _chain_lock()
    report: ChainReport = chain_verify()
    if not report.ok:
        raise PurgeRefused(report.problem)
    keep_from = (
        AuditEvent.objects.filter(created_at__gte=cutoff)
        .order_by("sequence")
        .values_list("sequence", flat=True)
        .first()
    )
    doomed = AuditEvent.objects.filter(created_at__lt=cutoff)
    if keep_from is not None:
        doomed = doomed.filter(sequence__lt=keep_from)
    last = doomed.order_by("-sequence").values_list("sequence", "hash").first()
    if last is None:
        return None
    count = doomed.count()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # The trigger (migration 0003) lets DELETE through only with these set, only in
            # this transaction (is_local), and only for rows older than the cutoff.
            cursor.execute("SELECT set_config('audit.purge', 'on', true)")
            cursor.execute(
                "SELECT set_config('audit.purge_before', %s, true)", [cutoff.isoformat()]
            )
    doomed._raw_delete(doomed.db)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('audit.purge', 'off', true)")
    checkpoint = AuditCheckpoint(sequence=last[0], hash=last[1], purged_count=count, cutoff=cutoff)
    checkpoint.save()
    record(
        actor=None,
        action="audit.purge",
        details={"through_sequence": last[0], "hash": last[1], "count": count},
    )
    return checkpoint
