"""The webhooks API: who sees and changes a subscription, the secret shown once, bad input
refused with nothing changed, replays, and a fixed number of queries per call."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from audit.models import AuditEvent
from tests import builders
from webhooks.models import Delivery, EventKind, Subscription

from .conftest import subscribe

API = "/api/v1/webhooks/"


def client_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {builders.api_key(user)}")
    return client


@pytest.fixture
def admin(city, hooks):
    return client_for(city.admin)


def test_create_shows_the_secret_once(admin, city, hooks):
    created = admin.post(
        API, {"target_url": hooks.url(), "kinds": ["grant.created", "data.version"]}, format="json"
    )
    assert created.status_code == 201, created.content
    body = created.json()
    secret = body["secret"]
    assert secret.startswith("whsec_")
    assert body["kinds"] == ["grant.created", "data.version"]
    assert body["department"] == city.consumer.pk
    pk = body["id"]
    for path in (API, f"{API}{pk}/", f"{API}{pk}/deliveries/"):
        answer = admin.get(path)
        assert answer.status_code == 200
        assert secret not in answer.content.decode() and 'secret"' not in answer.content.decode()
    rotated = admin.post(f"{API}{pk}/rotate-secret/", format="json")
    assert rotated.status_code == 200
    assert rotated.json()["secret"] not in (secret, "")
    assert secret not in str(list(AuditEvent.objects.values_list("details", flat=True)))


@pytest.mark.parametrize(
    ("data", "status", "field"),
    [
        ({"target_url": "http://127.0.0.1/h", "kinds": ["nope"]}, 400, "kinds"),
        ({"target_url": "http://127.0.0.1/h", "kinds": []}, 400, "kinds"),
        ({"target_url": "not a url", "kinds": ["grant.created"]}, 422, "target_url"),
        ({"target_url": "sharing:grant_detail", "kinds": ["grant.created"]}, 422, "target_url"),
        ({"target_url": "HTTP://127.0.0.1/h", "kinds": ["grant.created"]}, 422, "target_url"),
        ({"kinds": ["grant.created"]}, 400, "target_url"),
        ({"target_url": "http://10.0.0.8/h", "kinds": ["grant.created"]}, 422, "target_url"),
        ({"target_url": "http://169.254.169.254/", "kinds": ["grant.created"]}, 422, "target_url"),
    ],
)
def test_bad_input_is_refused_and_nothing_changes(admin, data, status, field):
    answer = admin.post(API, data, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == status, answer.content
    assert field in answer.content.decode()
    assert not Subscription.objects.exists()


def test_refusals_speak_the_callers_language(admin):
    answer = admin.post(
        API,
        {"target_url": "http://10.0.0.8/h", "kinds": ["grant.created"]},
        format="json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert answer.status_code == 422
    assert "不在数据主管部门允许门户调用的网段内" in answer.content.decode()


def test_other_departments_and_roles_see_nothing(city, hooks, django_capture_on_commit_callbacks):
    subscription, _secret = subscribe(city.admin, hooks.url(), [EventKind.GRANT_CREATED])
    with django_capture_on_commit_callbacks(execute=True):
        builders.grant(city.public, city.consumer)
    delivery = Delivery.objects.get()
    pk = subscription.pk
    coordinator = builders.user(None, roles=("coordinator",), clearance=4)
    for outsider in (city.other_admin, city.provider_admin, city.staff, coordinator):
        client = client_for(outsider)
        assert client.get(API).json()["results"] == []
        for method, path in (
            ("get", f"{API}{pk}/"),
            ("get", f"{API}{pk}/deliveries/"),
            ("post", f"{API}{pk}/rotate-secret/"),
            ("post", f"{API}{pk}/enable/"),
            ("post", f"{API}{pk}/deliveries/{delivery.pk}/replay/"),
            ("delete", f"{API}{pk}/"),
        ):
            answer = getattr(client, method)(path, format="json")
            assert answer.status_code == 404, (outsider, path, answer.status_code)
    assert (
        client_for(city.staff)
        .post(API, {"target_url": hooks.url(), "kinds": ["grant.created"]}, format="json")
        .status_code
        == 403
    )
    assert Subscription.objects.count() == 1
    assert len(hooks.received) == 1
    assert not AuditEvent.objects.filter(
        action__in=["webhook.delete", "webhook.rotate_secret", "webhook.replay"]
    ).exists()


def test_a_read_token_cannot_write(city, hooks):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {builders.api_key(city.admin, scopes=('read',))}")
    answer = client.post(
        API, {"target_url": hooks.url(), "kinds": ["grant.created"]}, format="json"
    )
    assert answer.status_code == 403
    assert not Subscription.objects.exists()


def test_deliveries_replay_enable_and_delete(
    admin, city, hooks, django_capture_on_commit_callbacks
):
    subscription, _secret = subscribe(city.admin, hooks.url(), [EventKind.GRANT_CREATED])
    with django_capture_on_commit_callbacks(execute=True):
        builders.grant(city.public, city.consumer)
    pk = subscription.pk
    (row,) = admin.get(f"{API}{pk}/deliveries/").json()["results"]
    assert (row["kind"], row["state"], row["last_status_code"]) == (
        "grant.created",
        "delivered",
        200,
    )
    with django_capture_on_commit_callbacks(execute=True):
        replayed = admin.post(f"{API}{pk}/deliveries/{row['id']}/replay/", format="json")
    assert replayed.status_code == 202
    assert len(hooks.received) == 2
    assert admin.post(f"{API}{pk}/deliveries/999999/replay/", format="json").status_code == 404
    assert admin.post(f"{API}{pk}/enable/", format="json").status_code == 409
    Subscription.objects.filter(pk=pk).update(active=False, disabled_reason="test")
    assert admin.post(f"{API}{pk}/deliveries/{row['id']}/replay/", format="json").status_code == 409
    enabled = admin.post(f"{API}{pk}/enable/", format="json")
    assert enabled.status_code == 200 and enabled.json()["active"] is True
    assert admin.delete(f"{API}{pk}/").status_code == 204
    assert not Subscription.objects.exists() and not Delivery.objects.exists()


# Every call: the token with its user, the user's roles (the policy); then the subscriptions
# (a page of them, or the one), and for the deliveries their page: whatever the numbers.
@pytest.mark.parametrize(
    ("path", "queries"),
    [("", 3), ("{pk}/", 3), ("{pk}/deliveries/", 4)],
)
def test_reads_run_a_fixed_number_of_queries(
    admin, city, hooks, django_assert_num_queries, django_capture_on_commit_callbacks, path, queries
):
    for _ in range(3):
        subscription, _secret = subscribe(city.admin, hooks.url(), [EventKind.GRANT_CREATED])
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            builders.grant(builders.resource(city.provider), city.consumer)
    admin.get(API)  # the token's last use is recorded once a minute, not on every call
    with django_assert_num_queries(queries):
        answer = admin.get(API + path.format(pk=subscription.pk))
    assert answer.status_code == 200
