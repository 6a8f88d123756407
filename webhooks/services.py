"""Every write of the webhooks app: subscriptions, the deliveries of events, and their attempts.

A subscription's target must pass the egress allowlist (``exchange.egress.check_target``) when
it is created or enabled again, and at every attempt, which connects to the address the check
returned, never to the name again. The task worker sends each delivery
(``tasks.deliveries_send_task``, a batch per task); a failed one is retried after the delays of
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
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
from cryptography.fernet import InvalidToken
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.services import record
from exchange import transport
from exchange.egress import check_target
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
# Most deliveries one task sends, one after the other.
TASK_BATCH = 100


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


def _claim(delivery_id: int, now: datetime) -> Delivery | None:
    """Take a due delivery of an active subscription for one attempt, or return None."""
    claimed = Delivery.objects.filter(
        Q(next_attempt_at__lte=now) | Q(next_attempt_at__isnull=True),
        pk=delivery_id,
        state__in=OPEN_STATES,
        subscription__active=True,
    ).update(next_attempt_at=now + timedelta(seconds=CLAIM_SECONDS))
    if not claimed:
        return None
    return Delivery.objects.select_related("subscription").get(pk=delivery_id)


def _pinned(url: str, address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> tuple[str, str]:
    """Return the URL with its host replaced by the checked address, and the original host."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    literal = f"[{address}]" if address.version == 6 else str(address)
    netloc = literal if parts.port is None else f"{literal}:{parts.port}"
    host_header = host if parts.port is None else f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, "")), host_header


def _post(delivery: Delivery, now: datetime) -> tuple[int | None, str]:
    """POST the delivery once; return the status code (None if no answer) and an error."""
    subscription = delivery.subscription
    try:
        addresses = check_target(subscription.target_url)
    except ValidationError as refusal:
        return None, _("Target refused: %(reason)s") % {"reason": " ".join(refusal.messages)}
    try:
        secret = secret_open(subscription.secret_encrypted)
    except InvalidToken:  # the key it was sealed under changed (PORTAL_WEBHOOK_KEY, SECRET_KEY)
        return None, _("The signing secret cannot be read: rotate it.")
    body = json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":")).encode()
    timestamp = str(int(now.timestamp()))
    url, host = _pinned(subscription.target_url, addresses[0])
    headers = {
        "Host": host,
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-Portal-Event": delivery.kind,
        "X-Portal-Delivery": str(delivery.event_id),
        "X-Portal-Timestamp": timestamp,
        "X-Portal-Signature": signature(secret, timestamp, body),
    }
    extensions = {"sni_hostname": urlsplit(subscription.target_url).hostname or ""}
    try:
        response = http_client().post(url, content=body, headers=headers, extensions=extensions)
    except httpx.HTTPError as error:
        return None, f"{type(error).__name__}: {error}"[:300]
    if 200 <= response.status_code < 300:
        return response.status_code, ""
    if 300 <= response.status_code < 400:
        return response.status_code, _("Redirects are not followed.")
    return response.status_code, ""


def delivery_send(*, delivery_id: int, as_of: datetime | None = None) -> Delivery | None:
    """Make one attempt of a due delivery and record it; return the delivery (None: not taken).

    ``as_of`` is when the sweep found it due (its clock, if ahead of this one, counts).
    """
    now = max(timezone.now(), as_of) if as_of is not None else timezone.now()
    delivery = _claim(delivery_id, now)
    if delivery is None:
        return None
    started = time.monotonic()
    status_code, error = _post(delivery, now)
    duration_ms = int((time.monotonic() - started) * 1000)
    if status_code is not None and 200 <= status_code < 300:
        return _record_success(delivery, now=now, status_code=status_code, duration_ms=duration_ms)
    return _record_attempt(
        delivery_id, now=now, status_code=status_code, error=error, duration_ms=duration_ms
    )


@transaction.atomic
def _record_success(
    delivery: Delivery, *, now: datetime, status_code: int, duration_ms: int
) -> Delivery | None:
    """Record a delivered attempt: three statements, no row lock held beyond them."""
    if not Delivery.objects.filter(pk=delivery.pk).update(
        state=DeliveryState.DELIVERED,
        delivered_at=now,
        next_attempt_at=None,
        attempts=F("attempts") + 1,
        last_status_code=status_code,
        last_error="",
    ):
        return None  # its subscription was deleted during the attempt
    DeliveryAttempt.objects.create(
        delivery_id=delivery.pk, at=now, status_code=status_code, duration_ms=duration_ms
    )
    Subscription.objects.filter(pk=delivery.subscription_id, consecutive_failures__gt=0).update(
        consecutive_failures=0
    )
    delivery.state, delivery.delivered_at, delivery.next_attempt_at = (
        DeliveryState.DELIVERED,
        now,
        None,
    )
    delivery.attempts += 1
    delivery.last_status_code, delivery.last_error = status_code, ""
    return delivery


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
