"""Deliveries to a real receiver on 127.0.0.1: every event kind, signed and verified with the
client's example; retries after a failure; giving up and disabling; never an event about
something the subscribing department may not see; the allowlist at creation and delivery."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Role
from audit.models import AuditEvent
from catalog import services as catalog_services
from catalog.models import Resource
from datasets import services as dataset_services
from exchange.models import EgressNetwork
from exchange.signals import interface_down, interface_up
from kernel.errors import RuleViolation
from sharing import services as sharing_services
from sharing.models import Notification
from tests import builders
from tests.sharing.conftest import submit
from webhooks import services
from webhooks.models import Delivery, DeliveryState, EventKind, Subscription

from .conftest import interface_of, load_example, subscribe

verify = load_example().verify


def add_item(editor, resource: Resource, name: str) -> None:
    """Edit a published resource through the catalog's service: one more data item."""
    items = [catalog_services.item_spec(i) for i in resource.items.order_by("position", "id")]
    catalog_services.resource_update(
        actor=editor,
        resource=resource,
        items=[*items, builders.item(name, level=1, length=100)],
        change_note="增加数据项",
    )


def kinds_of(received) -> list[str]:
    return [r.headers["X-Portal-Event"] for r in received]


def test_every_event_kind_arrives_signed_and_verifies(
    hooks, city, django_capture_on_commit_callbacks
):
    _sub, secret = subscribe(city.admin, hooks.url())
    editor = builders.user(city.provider, roles=(Role.EDITOR,), clearance=4)
    with django_capture_on_commit_callbacks(execute=True):
        (returned,) = submit(city.staff, city.public)
        sharing_services.share_request_decide(
            actor=city.approver, request=returned, decision="changes", reason="请补充依据"
        )
        (rejected,) = submit(city.staff, builders.resource(city.provider))
        sharing_services.share_request_decide(
            actor=city.approver, request=rejected, decision="reject", reason="不符合条件"
        )
        grant = builders.grant(city.public, city.consumer, days=3)
        sharing_services.sharing_sweep(now=timezone.now())
        correction = sharing_services.correction_file(
            actor=city.staff, resource=city.public, description="名称有误"
        )
        sharing_services.correction_answer(
            actor=editor, correction=correction, accepted=True, answer="已更正"
        )
        dataset_services.dataset_push(
            actor=None,
            resource=city.public,
            rows=[{"编号": "A1", "名称": "甲"}],
            mode="replace",
            batch_id="b1",
        )
        # A real edit of the published entry by its editor: a data item added.
        add_item(editor, city.public, "地址")
        interface = interface_of(city.public)
        interface_down.send(sender=None, interface=interface, reason="timeout")
        interface_up.send(sender=None, interface=interface)
        sharing_services.grant_revoke(actor=None, grant=grant, reason="期满前收回")
        catalog_services.resource_retire(actor=None, resource=city.public, reason="停止提供")

    assert sorted(set(kinds_of(hooks.received))) == sorted(EventKind.values)
    for received in hooks.received:
        event = verify(secret, received.headers, received.body)
        assert event["kind"] == received.headers["X-Portal-Event"]
        assert received.headers["Content-Type"] == "application/json"
    by_kind = {r.event["kind"]: r.event["data"] for r in hooks.received}
    assert by_kind["request.returned"]["share_request"]["status"] == "changes"
    assert by_kind["request.decided"]["share_request"]["url"] == (
        f"/api/v1/share-requests/{rejected.pk}/"
    )
    assert by_kind["grant.revoked"]["grant"]["status"] == "revoked"
    assert by_kind["data.version"]["resource"]["name"] == city.public.name
    assert by_kind["resource.retired"]["resource"]["status"] == "retired"
    # The edit made version 2; the retirement, the last event, names the resource as it is then.
    assert by_kind["resource.changed"]["change"] == "items"
    assert by_kind["resource.changed"]["resource"]["version"] == 2
    assert by_kind["correction.answered"]["correction"]["status"] == "accepted"
    assert set(Delivery.objects.values_list("state", flat=True)) == {DeliveryState.DELIVERED}


def test_a_signature_made_with_another_secret_or_body_is_refused(
    hooks, city, django_capture_on_commit_callbacks
):
    example = load_example()
    _sub, secret = subscribe(city.admin, hooks.url(), [EventKind.GRANT_CREATED])
    with django_capture_on_commit_callbacks(execute=True):
        builders.grant(city.public, city.consumer)
    (received,) = hooks.received
    with pytest.raises(example.InvalidDelivery):
        example.verify("whsec_other", received.headers, received.body)
    with pytest.raises(example.InvalidDelivery):
        example.verify(secret, received.headers, received.body.replace(b"grant", b"grunt"))
    stale = int(received.headers["X-Portal-Timestamp"]) + 3600
    with pytest.raises(example.InvalidDelivery):
        example.verify(secret, received.headers, received.body, now=stale)


def test_no_event_about_what_the_department_may_not_see(
    hooks, city, django_capture_on_commit_callbacks
):
    subscribe(city.admin, hooks.url("/consumer"))
    subscribe(city.provider_admin, hooks.url("/provider"))
    editor = builders.user(city.provider, roles=(Role.EDITOR,), clearance=4)
    with django_capture_on_commit_callbacks(execute=True):
        for hidden in (city.secret, city.own_only):
            add_item(editor, hidden, "地址")
            interface_down.send(
                sender=None,
                interface=interface_of(hidden),
                reason="timeout",
            )
        dataset_services.dataset_push(
            actor=None,
            resource=city.secret,
            rows=[{"编号": "A1", "名称": "甲", "地址": "蜀山区"}],
            mode="replace",
            batch_id="b1",
        )
        # A grant between two other departments is theirs alone.
        builders.grant(city.public, city.other)
        catalog_services.resource_retire(actor=None, resource=city.own_only, reason="停止")
    assert hooks.of("/consumer") == []
    provider_kinds = kinds_of(hooks.of("/provider"))
    assert sorted(provider_kinds) == sorted(
        ["resource.changed"] * 2
        + ["interface.down"] * 2
        + ["data.version", "grant.created", "resource.retired"]
    )
    # The consumer's clearance admits the L2 it holds, not the L4 entry scoped to the cleared.
    assert not any(city.secret.name in r.body.decode() for r in hooks.of("/consumer"))


def test_a_party_event_names_no_resource_the_department_cannot_see(
    hooks, city, django_capture_on_commit_callbacks
):
    subscribe(city.admin, hooks.url(), [EventKind.GRANT_CREATED])
    with django_capture_on_commit_callbacks(execute=True):
        builders.grant(city.secret, city.consumer)
    (received,) = hooks.received
    assert received.event["data"]["resource"] is None
    assert city.secret.name not in received.body.decode()


def test_a_failed_delivery_is_retried_with_backoff(hooks, city, django_capture_on_commit_callbacks):
    subscription, secret = subscribe(city.admin, hooks.url(), [EventKind.GRANT_CREATED])
    hooks.answers.extend([500])
    with django_capture_on_commit_callbacks(execute=True):
        builders.grant(city.public, city.consumer)
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.attempts, delivery.last_status_code) == ("failed", 1, 500)
    first_try = delivery.attempt_log.get().at
    assert delivery.next_attempt_at == first_try + timedelta(minutes=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.deliveries_sweep(now=first_try + timedelta(seconds=30)) == 0
    assert len(hooks.received) == 1
    later = first_try + timedelta(minutes=2)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.deliveries_sweep(now=later) == 1
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.last_status_code) == ("delivered", 2, 200)
    assert [a.status_code for a in delivery.attempt_log.order_by("at")] == [500, 200]
    first, second = hooks.received
    assert first.body == second.body
    assert first.headers["X-Portal-Delivery"] == second.headers["X-Portal-Delivery"]
    verify(secret, second.headers, second.body, now=later.timestamp())
    subscription.refresh_from_db()
    assert subscription.consecutive_failures == 0


def test_repeated_failures_give_up_disable_and_tell_the_administrators(
    hooks, city, django_capture_on_commit_callbacks
):
    subscription, _secret = subscribe(city.admin, hooks.url(), [EventKind.GRANT_CREATED])
    hooks.answers.extend([503] * 20)
    with django_capture_on_commit_callbacks(execute=True):
        builders.grant(city.public, city.consumer)
        builders.grant(builders.resource(city.provider), city.consumer)
    start = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        services.deliveries_sweep(now=start + timedelta(minutes=2))
    subscription.refresh_from_db()
    assert not subscription.active and subscription.consecutive_failures == 4
    assert subscription.disabled_reason
    told = Notification.objects.filter(kind=Notification.Kind.WEBHOOK_DISABLED)
    assert {n.recipient_id for n in told} == {city.admin.pk}
    assert AuditEvent.objects.filter(action="webhook.disable").count() == 1
    sent = len(hooks.received)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.deliveries_sweep(now=start + timedelta(hours=1)) == 0
    assert len(hooks.received) == sent == 4
    # Enabled again, the waiting deliveries go out; the last allowed attempt gives up.
    hooks.answers.clear()
    hooks.answers.extend([503, 200])
    with django_capture_on_commit_callbacks(execute=True):
        services.subscription_enable(actor=city.admin, subscription=subscription)
        services.deliveries_sweep(now=start + timedelta(hours=1))
    assert sorted(Delivery.objects.values_list("state", flat=True)) == ["delivered", "gave_up"]


def test_redirects_are_not_followed(hooks, city, django_capture_on_commit_callbacks):
    subscribe(city.admin, hooks.url(), [EventKind.GRANT_CREATED])
    hooks.answers.extend([302])
    with django_capture_on_commit_callbacks(execute=True):
        builders.grant(city.public, city.consumer)
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.last_status_code) == ("failed", 302)
    assert len(hooks.received) == 1


def test_a_replay_sends_the_same_event_again(hooks, city, django_capture_on_commit_callbacks):
    subscribe(city.admin, hooks.url(), [EventKind.GRANT_CREATED])
    with django_capture_on_commit_callbacks(execute=True):
        builders.grant(city.public, city.consumer)
    with django_capture_on_commit_callbacks(execute=True):
        delivery = services.delivery_replay(actor=city.admin, delivery=Delivery.objects.get())
    delivery.refresh_from_db()
    first, again = hooks.received
    assert first.body == again.body
    assert (delivery.state, delivery.attempts) == ("delivered", 2)


@pytest.mark.parametrize(
    "url",
    [
        "http://10.1.2.3/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]:8080/hook",
        "http://user:pw@127.0.0.1/hook",
        "ftp://127.0.0.1/hook",
    ],
)
def test_a_forbidden_target_is_refused_at_creation(hooks, city, url):
    with pytest.raises(RuleViolation) as refused:
        subscribe(city.admin, url)
    assert "target_url" in refused.value.error_dict
    assert not Subscription.objects.exists()
    assert not AuditEvent.objects.filter(action="webhook.create").exists()


def test_a_target_no_longer_allowed_is_not_called(hooks, city, django_capture_on_commit_callbacks):
    subscribe(city.admin, hooks.url(), [EventKind.GRANT_CREATED])
    EgressNetwork.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        builders.grant(city.public, city.consumer)
    delivery = Delivery.objects.get()
    assert hooks.received == []
    assert delivery.state == "failed" and delivery.last_status_code is None
    assert "127.0.0.1" in delivery.attempt_log.get().error


def test_the_secret_is_stored_encrypted_and_never_audited(hooks, city):
    subscription, secret = subscribe(city.admin, hooks.url())
    _same, rotated = services.subscription_rotate_secret(
        actor=city.admin, subscription=subscription
    )
    assert rotated != secret
    stored = Subscription.objects.get().secret_encrypted
    assert secret not in stored and rotated not in stored
    trail = json.dumps(list(AuditEvent.objects.values("details")), ensure_ascii=False)
    assert secret not in trail and rotated not in trail
    assert AuditEvent.objects.filter(action__startswith="webhook.").count() == 2


def test_only_a_department_administrator_manages_webhooks(hooks, city):
    from django.core.exceptions import PermissionDenied

    subscription, _secret = subscribe(city.admin, hooks.url())
    with pytest.raises(PermissionDenied):
        subscribe(city.staff, hooks.url())
    for outsider in (city.other_admin, city.provider_admin, city.staff):
        with pytest.raises(PermissionDenied):
            services.subscription_rotate_secret(actor=outsider, subscription=subscription)
        with pytest.raises(PermissionDenied):
            services.subscription_delete(actor=outsider, subscription=subscription)
    assert Subscription.objects.filter(pk=subscription.pk).exists()


def test_the_documented_check_is_the_tested_example():
    from django.conf import settings

    from .conftest import EXAMPLE

    example = EXAMPLE.read_text(encoding="utf-8")
    check = example[example.index("# A delivery older") : example.index("def main()")].rstrip()
    guide = (settings.BASE_DIR / "docs" / "api.md").read_text(encoding="utf-8")
    assert check in guide


def test_a_secret_sealed_under_another_key_is_not_used(
    hooks, city, settings, django_capture_on_commit_callbacks
):
    subscribe(city.admin, hooks.url(), [EventKind.GRANT_CREATED])
    settings.PORTAL_WEBHOOK_KEY = "a key the secret was not sealed under"
    with django_capture_on_commit_callbacks(execute=True):
        builders.grant(city.public, city.consumer)
    delivery = Delivery.objects.get()
    assert hooks.received == []
    assert delivery.state == "failed" and "更换密钥" in delivery.last_error
