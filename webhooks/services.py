"""Every write of the webhooks app: subscriptions, the deliveries of events, and their attempts.

A subscription's target must pass the egress allowlist (``exchange.egress.check_target``) when
it is created or enabled again, and at every attempt, which connects to the address the check
returned, never to the name again. The task worker sends the deliveries a batch at a time
(``tasks.deliveries_send_task``, ``deliveries_send``: one claim, up to ``SEND_THREADS`` POSTs
at once, the delivered ones recorded together); a failed one is retried after the delays of
``PORTAL_WEBHOOK_RETRY_MINUTES``, by the sweep (``manage.py webhooks_sweep``), and after
``PORTAL_WEBHOOK_DISABLE_AFTER`` failures in a row the subscription is disabled and its
department's administrators are told.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import time
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
from cryptography.fernet import InvalidToken
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.services import record
from exchange import transport
from exchange.egress import IPAddress, IPNetwork, allowed_networks, check_target, parse_target
from kernel.errors import RuleViolation, StateConflict
from kernel.policies import require
from sharing.models import Notification
from sharing.services.notifications import notify

from . import policies, selectors
from .models import Delivery, DeliveryAttempt, DeliveryState, EventKind, Subscription
from .signing import secret_new, secret_open, secret_seal, signature

logger = logging.getLogger(__name__)

USER_AGENT = "portal-webhooks/1"
# A claimed delivery is not taken again before this many seconds (a worker that died while
# sending leaves it to the sweep after that).
CLAIM_SECONDS = 300
# Deliveries a department administrator's page and the API list at most.
OPEN_STATES = (DeliveryState.PENDING, DeliveryState.FAILED)
# Most deliveries one task sends.
TASK_BATCH = 100
# Deliveries one task sends at once, each from a thread that signs and POSTs (no database).
SEND_THREADS = 8
# Seconds one task relies on an egress check of a target (host and port) before checking again.
CHECK_SECONDS = 5.0


def retry_delays() -> list[timedelta]:
    """Return the waits before the second, third, ... attempt of a delivery."""
    return [timedelta(minutes=m) for m in settings.PORTAL_WEBHOOK_RETRY_MINUTES]


def _target_refusal(url: str) -> RuleViolation | None:
    if not url.startswith(("http://", "https://")):
        return RuleViolation(
            {"target_url": [_("The address must start with http:// or https://.")]}
        )
    try:
        check_target(url)
    except ValidationError as refusal:
        return RuleViolation({"target_url": refusal.messages})
    return None


def _kinds(kinds: Sequence[str]) -> list[str]:
    chosen = list(dict.fromkeys(kinds))
    if not chosen:
        raise RuleViolation({"kinds": [_("Choose at least one event.")]})
    unknown = [k for k in chosen if k not in EventKind.values]
    if unknown:
        raise ValidationError(
            {"kinds": [_("Unknown event: %(kind)s.") % {"kind": ", ".join(unknown)}]}
        )
    return [k for k in EventKind.values if k in chosen]


# --- subscriptions ------------------------------------------------------------------------


@transaction.atomic
def subscription_create(
    *, actor: User, target_url: str, kinds: Sequence[str]
) -> tuple[Subscription, str]:
    """Subscribe the actor's department's endpoint; return it and its secret (shown once)."""
    require(
        actor,
        policies.can_manage_webhooks,
        message=_("Only a department administrator manages webhooks."),
    )
    target_url = target_url.strip()
    chosen = _kinds(kinds)
    refusal = _target_refusal(target_url)
    if refusal is not None:
        raise refusal
    department_id = actor.department_id
    assert department_id is not None
    if (
        Subscription.objects.filter(department_id=department_id).count()
        >= settings.PORTAL_WEBHOOK_MAX_PER_DEPARTMENT
    ):
        raise StateConflict(
            _("A department may have at most %(n)s webhook subscriptions.")
            % {"n": settings.PORTAL_WEBHOOK_MAX_PER_DEPARTMENT}
        )
    secret = secret_new()
    subscription = Subscription.objects.create(
        department_id=department_id,
        target_url=target_url,
        kinds=chosen,
        secret_encrypted=secret_seal(secret),
        created_by=actor,
    )
    record(
        actor=actor,
        action="webhook.create",
        obj=subscription,
        details={"target_url": target_url, "kinds": chosen},
    )
    return subscription, secret


def _lock(subscription: Subscription) -> Subscription:
    return Subscription.objects.select_for_update().get(pk=subscription.pk)


def _require_manager(actor: User, subscription: Subscription) -> None:
    require(
        actor,
        policies.can_manage_subscription,
        subscription,
        message=_("You may not manage this subscription."),
    )


@transaction.atomic
def subscription_rotate_secret(
    *, actor: User, subscription: Subscription
) -> tuple[Subscription, str]:
    """Give the subscription a new secret; return it (shown once). The old one stops at once."""
    _require_manager(actor, subscription)
    subscription = _lock(subscription)
    secret = secret_new()
    subscription.secret_encrypted = secret_seal(secret)
    subscription.secret_rotated_at = timezone.now()
    subscription.save(update_fields=["secret_encrypted", "secret_rotated_at"])
    record(actor=actor, action="webhook.rotate_secret", obj=subscription)
    return subscription, secret


@transaction.atomic
def subscription_delete(*, actor: User, subscription: Subscription) -> None:
    """Delete a subscription with its deliveries; nothing more is sent to it."""
    _require_manager(actor, subscription)
    subscription = _lock(subscription)
    record(
        actor=actor,
        action="webhook.delete",
        obj=subscription,
        details={"target_url": subscription.target_url},
    )
    subscription.delete()


@transaction.atomic
def subscription_enable(*, actor: User, subscription: Subscription) -> Subscription:
    """Enable a disabled subscription again; its waiting deliveries are retried by the sweep."""
    _require_manager(actor, subscription)
    subscription = _lock(subscription)
    if subscription.active:
        raise StateConflict(_("This subscription is already active."))
    refusal = _target_refusal(subscription.target_url)
    if refusal is not None:
        raise refusal
    subscription.active = True
    subscription.disabled_reason = ""
    subscription.consecutive_failures = 0
    subscription.save(update_fields=["active", "disabled_reason", "consecutive_failures"])
    now = timezone.now()
    Delivery.objects.filter(subscription=subscription, state__in=OPEN_STATES).update(
        next_attempt_at=now
    )
    record(actor=actor, action="webhook.enable", obj=subscription)
    return subscription


@transaction.atomic
def delivery_replay(*, actor: User, delivery: Delivery) -> Delivery:
    """Make a new attempt of a delivery, whatever its state: the same event id and body."""
    _require_manager(actor, delivery.subscription)
    delivery = (
        Delivery.objects.select_for_update().select_related("subscription").get(pk=delivery.pk)
    )
    if not delivery.subscription.active:
        raise StateConflict(_("Enable the subscription before replaying its deliveries."))
    delivery.state = DeliveryState.PENDING
    delivery.next_attempt_at = timezone.now()
    delivery.save(update_fields=["state", "next_attempt_at"])
    record(
        actor=actor,
        action="webhook.replay",
        obj=delivery.subscription,
        details={"delivery": delivery.pk, "event_id": str(delivery.event_id)},
    )
    _enqueue_on_commit([delivery.pk])
    return delivery


# --- events -------------------------------------------------------------------------------


def api_url(name: str, pk: int) -> str:
    """Return the API path where a subscriber fetches an object's details (with its token)."""
    return reverse(name, args=[pk])


@transaction.atomic
def deliveries_create(
    *, kind: str, payloads: Sequence[tuple[Subscription, dict[str, Any]]]
) -> list[Delivery]:
    """Queue one event for each subscription with the payload its department may see.

    The body is fixed here, once: every attempt sends the same bytes, with the same event id.
    """
    if not payloads:
        return []
    event_id = uuid.uuid4()
    now = timezone.now()
    rows = Delivery.objects.bulk_create(
        [
            Delivery(
                subscription=subscription,
                event_id=event_id,
                kind=kind,
                payload=json.loads(
                    json.dumps(
                        {
                            "id": str(event_id),
                            "kind": kind,
                            "occurred_at": now.isoformat(),
                            "data": data,
                        },
                        cls=DjangoJSONEncoder,
                    )
                ),
                next_attempt_at=now,
            )
            for subscription, data in payloads
        ]
    )
    _enqueue_on_commit([d.pk for d in rows])
    return rows


class _Queue:
    """The deliveries one transaction made, queued together once it commits.

    One callback per transaction and moment (``as_of``), however many events it sent: a burst
    of events (a sweep, a bulk change) becomes tasks of ``TASK_BATCH`` deliveries, not one task
    each. An id from a savepoint that rolled back stays in the list; its task finds no such
    delivery and does nothing.
    """

    def __init__(self, stamp: str) -> None:
        self.stamp = stamp
        self.ids: list[int] = []
        self.sent = False

    def __call__(self) -> None:
        from .tasks import deliveries_send_task

        self.sent = True
        for start in range(0, len(self.ids), TASK_BATCH):
            deliveries_send_task.enqueue(
                delivery_ids=self.ids[start : start + TASK_BATCH], as_of=self.stamp
            )


def _enqueue_on_commit(delivery_ids: list[int], as_of: datetime | None = None) -> None:
    stamp = as_of.isoformat() if as_of is not None else ""
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        for _sids, func, _robust in connection.run_on_commit:
            if isinstance(func, _Queue) and func.stamp == stamp and not func.sent:
                func.ids.extend(delivery_ids)
                return
    queue = _Queue(stamp)
    queue.ids.extend(delivery_ids)
    # After commit: the worker must find the delivery rows.
    transaction.on_commit(queue)


def deliveries_sweep(*, now: datetime | None = None) -> int:
    """Queue every delivery whose (re)try is due, of an active subscription; return how many.

    Also takes up a delivery whose worker claimed it and stopped before recording an answer.
    """
    now = now or timezone.now()
    due = list(
        Delivery.objects.filter(
            state__in=OPEN_STATES, next_attempt_at__lte=now, subscription__active=True
        )
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)
    )
    if due:
        _enqueue_on_commit(due, as_of=now)
    return len(due)


# --- sending ------------------------------------------------------------------------------


_client: httpx.Client | None = None


def http_client() -> httpx.Client:
    """Return the worker's HTTP client: pooled connections, timeouts, no redirects, no proxies.

    Certificates are verified for the target's host name against ``PORTAL_EGRESS_CA_BUNDLE``
    (else the public authorities); a connection is reused only for the name it was verified
    for (``exchange.transport``).
    """
    global _client
    if _client is None:
        seconds = settings.PORTAL_WEBHOOK_TIMEOUT_SECONDS
        _client = transport.client(
            timeout=httpx.Timeout(seconds, connect=min(seconds, 5.0)),
            limits=httpx.Limits(max_connections=20, max_keepalive_connections=10),
        )
    return _client


def _claim(delivery_ids: Sequence[int], now: datetime) -> list[Delivery]:
    """Take the due deliveries of active subscriptions among the ids, one attempt each.

    One statement for the whole batch. Its conditions are on the delivery's own row, so a
    delivery another worker claims at the same moment goes to one of them only: PostgreSQL
    checks them again on the row's newest version after waiting for the other claim, and
    SQLite runs one write at a time. The claimed deliveries come back with their
    subscriptions, in the order of the ids.
    """
    if not delivery_ids:
        return []
    connection = transaction.get_connection()
    quote = connection.ops.quote_name
    at = connection.ops.adapt_datetimefield_value
    ids = list(dict.fromkeys(int(i) for i in delivery_ids))
    table, subscriptions = quote(Delivery._meta.db_table), quote(Subscription._meta.db_table)
    sql = (
        f"UPDATE {table} SET next_attempt_at = %s"  # noqa: S608 - model names, values as parameters
        f" WHERE id IN ({', '.join(['%s'] * len(ids))}) AND state IN (%s, %s)"
        " AND (next_attempt_at IS NULL OR next_attempt_at <= %s)"
        f" AND subscription_id IN (SELECT id FROM {subscriptions} WHERE active) RETURNING id"
    )
    params = [at(now + timedelta(seconds=CLAIM_SECONDS)), *ids, *OPEN_STATES, at(now)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        claimed = {row[0] for row in cursor.fetchall()}
    if not claimed:
        return []
    rows = Delivery.objects.select_related("subscription").in_bulk(claimed)
    return [rows[i] for i in ids if i in rows]


def _pinned(url: str, address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> tuple[str, str]:
    """Return the URL with its host replaced by the checked address, and the original host."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    literal = f"[{address}]" if address.version == 6 else str(address)
    netloc = literal if parts.port is None else f"{literal}:{parts.port}"
    host_header = host if parts.port is None else f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, "")), host_header


class _TargetChecks:
    """The egress checks of one task's targets, each made again once CHECK_SECONDS old.

    A task's deliveries often share a target: one check (the allowlist read, the name
    resolved) serves them for a few seconds, then the next delivery to it checks again. Used
    by the task's own thread only (the check reads the database).
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.networks: tuple[float, list[IPNetwork]] | None = None
        self.made: dict[tuple[str, int], tuple[float, list[IPAddress] | list[str]]] = {}

    def __call__(self, url: str) -> list[IPAddress]:
        """Return the addresses to connect to, or raise ``ValidationError`` (the refusal)."""
        _scheme, host, port = parse_target(url)
        moment = self.clock()
        made = self.made.get((host, port))
        if made is None or moment - made[0] >= CHECK_SECONDS:
            if self.networks is None or moment - self.networks[0] >= CHECK_SECONDS:
                self.networks = (moment, allowed_networks())
            outcome: list[IPAddress] | list[str]
            try:
                outcome = check_target(url, networks=self.networks[1])
            except ValidationError as refusal:
                outcome = [str(m) for m in refusal.messages]
            made = (moment, outcome)
            self.made[(host, port)] = made
        outcome = made[1]
        if outcome and isinstance(outcome[0], str):
            raise ValidationError(outcome)
        return outcome  # type: ignore[return-value]


@dataclass
class _Attempt:
    """One delivery's attempt: what to send, then what came back (filled in by the sender)."""

    delivery: Delivery
    at: datetime  # when it was sent (the task's moment until then)
    url: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    extensions: dict[str, Any] = field(default_factory=dict)
    body: bytes = b""
    status_code: int | None = None
    error: str = ""
    duration_ms: int = 0
    broken: bool = False  # an unexpected exception: the claim lapses and the sweep retries
    late: bool = False  # not sent before the claim ran short: left to the sweep

    @property
    def delivered(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def _prepare(attempt: _Attempt, checks: _TargetChecks, secrets: dict[int, str | None]) -> bool:
    """Check the target and open the secret for an attempt (the task's thread); False: refused."""
    subscription = attempt.delivery.subscription
    try:
        addresses = checks(subscription.target_url)
    except ValidationError as refusal:
        attempt.error = _("Target refused: %(reason)s") % {"reason": " ".join(refusal.messages)}
        return False
    if subscription.pk not in secrets:
        try:
            secrets[subscription.pk] = secret_open(subscription.secret_encrypted)
        except InvalidToken:  # the key it was sealed under changed (PORTAL_WEBHOOK_KEY, SECRET_KEY)
            secrets[subscription.pk] = None
    if secrets[subscription.pk] is None:
        attempt.error = _("The signing secret cannot be read: rotate it.")
        return False
    attempt.url, host = _pinned(subscription.target_url, addresses[0])
    attempt.body = json.dumps(
        attempt.delivery.payload, ensure_ascii=False, separators=(",", ":")
    ).encode()
    attempt.headers = {
        "Host": host,
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-Portal-Event": attempt.delivery.kind,
        "X-Portal-Delivery": str(attempt.delivery.event_id),
    }
    attempt.extensions = {"sni_hostname": urlsplit(subscription.target_url).hostname or ""}
    return True


def _post(attempt: _Attempt, secret: str, as_of: datetime | None, client: httpx.Client) -> None:
    """POST one prepared attempt, signed at the moment it leaves (a sender thread: no database)."""
    now = timezone.now()
    attempt.at = max(now, as_of) if as_of is not None else now
    timestamp = str(int(attempt.at.timestamp()))
    headers = {
        **attempt.headers,
        "X-Portal-Timestamp": timestamp,
        "X-Portal-Signature": signature(secret, timestamp, attempt.body),
    }
    started = time.monotonic()
    try:
        response = client.post(
            attempt.url, content=attempt.body, headers=headers, extensions=attempt.extensions
        )
    except httpx.HTTPError as error:
        attempt.error = f"{type(error).__name__}: {error}"[:300]
    else:
        attempt.status_code = response.status_code
    attempt.duration_ms = int((time.monotonic() - started) * 1000)


def _send_safely(
    attempt: _Attempt, secret: str, as_of: datetime | None, client: httpx.Client
) -> None:
    try:
        _post(attempt, secret, as_of, client)
    except Exception:  # one broken delivery must not hold up the others; the sweep retries it
        logger.exception("Webhook delivery %s failed unexpectedly", attempt.delivery.pk)
        attempt.broken = True


def deliveries_send(
    *, delivery_ids: Sequence[int], as_of: datetime | None = None
) -> list[tuple[int, str]]:
    """Make one attempt of each due delivery and record them; return (id, state) of each.

    The deliveries are claimed in one statement; a target is checked against the allowlist
    when its delivery is about to be sent (a check serves the task's deliveries to the same
    host and port for CHECK_SECONDS); up to SEND_THREADS are sent at once, by threads that
    only sign and POST (the database stays with the task's thread); delivered attempts are
    recorded together, failed ones each as before. A delivery not due, taken by another
    worker, gone, or not started while its claim had time left is ``skipped``; one whose sending broke unexpectedly is ``error`` (its
    claim lapses and the sweep retries it). ``as_of`` is when the sweep found them due (its
    clock, if ahead of this one, counts).
    """
    now = max(timezone.now(), as_of) if as_of is not None else timezone.now()
    claimed = _claim(delivery_ids, now)
    # An attempt starts while the claim has time for it to end: a slower task (a receiver
    # timing out, names that take long to resolve) leaves the rest to the sweep rather than
    # sending one a sweep may have given to another worker.
    send_by = time.monotonic() + CLAIM_SECONDS - 2 * settings.PORTAL_WEBHOOK_TIMEOUT_SECONDS
    claimed_ids = {d.pk for d in claimed}
    states = {i: "skipped" for i in delivery_ids if i not in claimed_ids}
    attempts = [_Attempt(delivery, now) for delivery in claimed]
    checks = _TargetChecks()
    secrets: dict[int, str | None] = {}
    client = http_client()
    with ThreadPoolExecutor(max_workers=SEND_THREADS, thread_name_prefix="webhook") as pool:
        sending: set[Future[None]] = set()
        for attempt in attempts:
            if len(sending) >= SEND_THREADS:
                _done, sending = wait(sending, return_when=FIRST_COMPLETED)
            if time.monotonic() >= send_by:
                attempt.late = True
                continue
            try:
                prepared = _prepare(attempt, checks, secrets)
            except Exception:  # as a broken send: the others go on, the sweep retries this one
                logger.exception("Webhook delivery %s failed unexpectedly", attempt.delivery.pk)
                attempt.broken = True
                continue
            if not prepared:
                continue
            secret = secrets[attempt.delivery.subscription_id]
            assert secret is not None
            sending.add(pool.submit(_send_safely, attempt, secret, as_of, client))
    delivered = [a for a in attempts if a.delivered and not a.broken and not a.late]
    for delivery_id in _record_successes(delivered):
        states[delivery_id] = DeliveryState.DELIVERED
    for attempt in attempts:
        if attempt.late:
            states[attempt.delivery.pk] = "skipped"
        elif attempt.broken:
            states[attempt.delivery.pk] = "error"
        elif not attempt.delivered:
            if attempt.status_code is not None and 300 <= attempt.status_code < 400:
                attempt.error = _("Redirects are not followed.")
            states[attempt.delivery.pk] = _record_failure(attempt)
    return [(i, states.get(i, "skipped")) for i in delivery_ids]


@transaction.atomic
def _record_successes(attempts: list[_Attempt]) -> list[int]:
    """Record delivered attempts in three statements, whatever their number; return their ids.

    A delivery deleted during its attempt (with its subscription) is left out; the update
    holds the recorded deliveries' rows until the attempts are written.
    """
    if not attempts:
        return []
    connection = transaction.get_connection()
    at = connection.ops.adapt_datetimefield_value
    rows = ", ".join(["(%s, %s, %s)"] * len(attempts))
    table = connection.ops.quote_name(Delivery._meta.db_table)
    sql = (
        f"UPDATE {table} SET state = %s,"  # noqa: S608 - model names, values as parameters
        " delivered_at = answer.column2, next_attempt_at = NULL, attempts = attempts + 1,"
        f" last_status_code = answer.column3, last_error = '' FROM (VALUES {rows}) AS answer"
        " WHERE id = answer.column1 RETURNING id"
    )
    params: list[Any] = [DeliveryState.DELIVERED]
    for attempt in attempts:
        params += [attempt.delivery.pk, at(attempt.at), attempt.status_code]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        updated = {row[0] for row in cursor.fetchall()}
    recorded = [a for a in attempts if a.delivery.pk in updated]
    DeliveryAttempt.objects.bulk_create(
        DeliveryAttempt(
            delivery_id=a.delivery.pk,
            at=a.at,
            status_code=a.status_code,
            duration_ms=a.duration_ms,
        )
        for a in recorded
    )
    Subscription.objects.filter(
        pk__in={a.delivery.subscription_id for a in recorded}, consecutive_failures__gt=0
    ).update(consecutive_failures=0)
    return [a.delivery.pk for a in recorded]


def _record_failure(attempt: _Attempt) -> str:
    try:
        delivery = _record_attempt(
            attempt.delivery.pk,
            now=attempt.at,
            status_code=attempt.status_code,
            error=attempt.error,
            duration_ms=attempt.duration_ms,
        )
    except Exception:  # the others are recorded; this one's claim lapses and the sweep retries
        logger.exception("Webhook delivery %s failed unexpectedly", attempt.delivery.pk)
        return "error"
    return delivery.state if delivery is not None else "skipped"


@transaction.atomic
def _record_attempt(
    delivery_id: int, *, now: datetime, status_code: int | None, error: str, duration_ms: int
) -> Delivery | None:
    """Record a failed attempt: schedule the retry or give up, and count the failure."""
    delivery = Delivery.objects.select_for_update().filter(pk=delivery_id).first()
    if delivery is None:  # its subscription was deleted during the attempt
        return None
    subscription = Subscription.objects.select_for_update().get(pk=delivery.subscription_id)
    DeliveryAttempt.objects.create(
        delivery=delivery, at=now, status_code=status_code, error=error, duration_ms=duration_ms
    )
    delivery.attempts += 1
    delivery.last_status_code = status_code
    delivery.last_error = error
    delays = retry_delays()
    if delivery.attempts > len(delays):
        delivery.state = DeliveryState.GAVE_UP
        delivery.next_attempt_at = None
    else:
        delivery.state = DeliveryState.FAILED
        delivery.next_attempt_at = now + delays[delivery.attempts - 1]
    subscription.consecutive_failures += 1
    delivery.save()
    subscription.save(update_fields=["consecutive_failures"])
    if (
        subscription.active
        and subscription.consecutive_failures >= settings.PORTAL_WEBHOOK_DISABLE_AFTER
    ):
        _disable(subscription)
    return delivery


def _disable(subscription: Subscription) -> None:
    subscription.active = False
    subscription.disabled_reason = (
        _("%(n)s deliveries in a row failed.") % {"n": subscription.consecutive_failures}
    )[:200]
    subscription.save(update_fields=["active", "disabled_reason"])
    record(
        actor=None,
        action="webhook.disable",
        obj=subscription,
        details={"failures": subscription.consecutive_failures},
    )
    notify(
        selectors.department_admins(department_id=subscription.department_id),
        kind=Notification.Kind.WEBHOOK_DISABLED,
        url=reverse("webhooks:subscription_detail", args=[subscription.pk]),
        target=subscription.target_url,
        failures=subscription.consecutive_failures,
    )
