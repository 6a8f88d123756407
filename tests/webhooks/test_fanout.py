"""A task's batch of deliveries: claimed in one statement, sent at once, recorded together.

One refused target does not hold up the others; a delivery another worker claimed is not sent
twice; the statements per task do not grow with the batch; an egress check serves a task for
a few seconds only, then the allowlist is read and the name resolved again.
"""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from exchange.models import EgressNetwork
from tests import builders
from webhooks import services
from webhooks.models import Delivery, DeliveryAttempt, EventKind, Subscription

from .conftest import load_example, subscribe

verify = load_example().verify


def queue(subscription: Subscription, n: int) -> list[int]:
    """Make n events for the subscription, without sending them; return the deliveries' ids."""
    ids: list[int] = []
    for i in range(n):
        rows = services.deliveries_create(
            kind=EventKind.DATA_VERSION, payloads=[(subscription, {"version": i})]
        )
        ids += [d.pk for d in rows]
    return ids


@pytest.fixture
def subscription(hooks, city) -> tuple[Subscription, str]:
    return subscribe(city.admin, hooks.url(), [EventKind.DATA_VERSION])


def test_a_batch_is_sent_signed_and_recorded(hooks, subscription):
    sub, secret = subscription
    ids = queue(sub, 12)
    states = services.deliveries_send(delivery_ids=ids)
    assert states == [(i, "delivered") for i in ids]
    assert len(hooks.received) == 12
    for received in hooks.received:
        verify(secret, received.headers, received.body)
    assert {r.headers["X-Portal-Delivery"] for r in hooks.received} == {
        str(e) for e in Delivery.objects.values_list("event_id", flat=True)
    }
    for delivery in Delivery.objects.all():
        assert (delivery.state, delivery.attempts, delivery.last_status_code) == (
            "delivered",
            1,
            200,
        )
        (attempt,) = delivery.attempt_log.all()
        assert (attempt.status_code, attempt.at) == (200, delivery.delivered_at)
        assert delivery.next_attempt_at is None


def test_a_refused_target_fails_alone_and_the_others_are_delivered(hooks, city, subscription):
    sub, _secret = subscription
    other, _ = subscribe(city.other_admin, f"http://127.0.0.2:{hooks.port}/hook")
    # The allowlist shrinks after the events were queued: only the first target stays.
    ids = queue(sub, 3) + queue(other, 2) + queue(sub, 3)
    EgressNetwork.objects.all().delete()
    EgressNetwork.objects.create(cidr="127.0.0.1/32", note="tests")
    states = dict(services.deliveries_send(delivery_ids=ids))
    refused = set(Delivery.objects.filter(subscription=other).values_list("pk", flat=True))
    assert {i for i, s in states.items() if s == "failed"} == refused
    assert {i for i, s in states.items() if s == "delivered"} == set(ids) - refused
    assert len(hooks.received) == 6  # nothing went to 127.0.0.2
    for delivery in Delivery.objects.filter(subscription=other):
        assert (delivery.state, delivery.last_status_code) == ("failed", None)
        assert "127.0.0.2" in delivery.last_error
        assert "127.0.0.2" in delivery.attempt_log.get().error
    other.refresh_from_db()
    assert other.consecutive_failures == 2


def test_a_delivery_claimed_by_another_worker_is_not_sent_twice(hooks, subscription):
    sub, _secret = subscription
    ids = queue(sub, 4)
    taken = services._claim([ids[1]], timezone.now())  # another worker's claim
    assert [d.pk for d in taken] == [ids[1]]
    states = dict(services.deliveries_send(delivery_ids=ids))
    assert states[ids[1]] == "skipped"
    assert len(hooks.received) == 3
    assert not DeliveryAttempt.objects.filter(delivery_id=ids[1]).exists()
    # The same task again (queued twice): every delivery is done or taken, nothing is sent.
    assert {s for _i, s in services.deliveries_send(delivery_ids=ids)} == {"skipped"}
    assert len(hooks.received) == 3


def test_a_deleted_or_disabled_subscription_is_not_sent_to(hooks, city, subscription):
    sub, _secret = subscription
    ids = queue(sub, 2)
    Subscription.objects.filter(pk=sub.pk).update(active=False, disabled_reason="x")
    assert services._claim(ids, timezone.now()) == []
    sub.delete()
    assert services.deliveries_send(delivery_ids=ids) == [(i, "skipped") for i in ids]
    assert hooks.received == []


def test_statements_per_task_do_not_grow_with_the_batch(hooks, subscription):
    sub, _secret = subscription
    counts = []
    for n in (2, 40):
        ids = queue(sub, n)
        with CaptureQueriesContext(connection) as queries:
            states = services.deliveries_send(delivery_ids=ids)
        assert {s for _i, s in states} == {"delivered"}
        counts.append(len(queries))
    # claim, load, allowlist; savepoint, record, attempts, failure count, release
    assert counts == [8, 8]


def test_an_egress_check_serves_a_task_for_a_few_seconds_only(hooks, subscription, settings):
    sub, _secret = subscription
    clock = [100.0]
    checks = services._TargetChecks(clock=lambda: clock[0])
    assert [str(a) for a in checks(sub.target_url)] == ["127.0.0.1"]
    EgressNetwork.objects.all().delete()
    clock[0] += services.CHECK_SECONDS - 0.5
    with CaptureQueriesContext(connection) as queries:
        assert checks(sub.target_url)  # the check made 4.5 s ago
    assert len(queries) == 0
    clock[0] += 0.5
    with pytest.raises(ValidationError, match=r"127\.0\.0\.1"):
        checks(sub.target_url)
    # A refusal is not kept longer either.
    EgressNetwork.objects.create(cidr="127.0.0.0/8", note="tests")
    clock[0] += services.CHECK_SECONDS
    assert checks(sub.target_url)


def test_a_broken_send_leaves_the_delivery_to_the_sweep(hooks, subscription, monkeypatch):
    sub, _secret = subscription
    ids = queue(sub, 3)
    real = services._post

    def post(attempt, *args):
        if attempt.delivery.pk == ids[0]:
            raise RuntimeError("broken")
        real(attempt, *args)

    monkeypatch.setattr(services, "_post", post)
    states = dict(services.deliveries_send(delivery_ids=ids))
    assert states == {ids[0]: "error", ids[1]: "delivered", ids[2]: "delivered"}
    broken = Delivery.objects.get(pk=ids[0])
    assert (broken.state, broken.attempts) == ("pending", 0)
    # Claimed until CLAIM_SECONDS have passed, then the sweep takes it up again.
    later = timezone.now() + timedelta(seconds=services.CLAIM_SECONDS + 1)
    assert services._claim([ids[0]], timezone.now()) == []
    assert [d.pk for d in services._claim([ids[0]], later)] == [ids[0]]


def test_a_task_sends_nothing_once_its_claim_runs_short(hooks, subscription, monkeypatch):
    sub, _secret = subscription
    ids = queue(sub, 3)
    timeout = services.settings.PORTAL_WEBHOOK_TIMEOUT_SECONDS
    monkeypatch.setattr(services, "CLAIM_SECONDS", 2 * timeout)  # no time left for an attempt
    assert services.deliveries_send(delivery_ids=ids) == [(i, "skipped") for i in ids]
    assert hooks.received == []
    assert not DeliveryAttempt.objects.exists()
    # Still claimed: the sweep takes them up once the claim has lapsed.
    assert services._claim(ids, timezone.now()) == []


@pytest.mark.django_db(transaction=True)
def test_two_workers_claiming_the_same_batch_share_it_out(settings):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent claims need a server database")
    consumer = builders.department("订阅部门")
    admin = builders.user(consumer, roles=("department_admin",))
    EgressNetwork.objects.create(cidr="127.0.0.0/8", note="tests")
    sub, _secret = subscribe(admin, "http://127.0.0.1:9/hook", [EventKind.DATA_VERSION])
    ids = queue(sub, 200)
    now = timezone.now()
    start = threading.Barrier(4)
    taken: list[list[int]] = []

    def worker() -> None:
        try:
            start.wait()
            taken.append([d.pk for d in services._claim(ids, now)])
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    claimed = [i for batch in taken for i in batch]
    assert sorted(claimed) == sorted(ids)  # each once, by one of them
