"""The webhook pages: only the department's administrators reach them, the secret is shown
once, bad input changes nothing, and each page runs a fixed number of queries."""

from __future__ import annotations

import pytest
from django.test import Client

from tests import builders
from tests.catalog.helpers import login
from webhooks.models import Delivery, EventKind, Subscription

from .conftest import subscribe


@pytest.fixture
def browser(city, hooks) -> Client:
    return login(Client(), city.admin)


def test_subscribing_shows_the_secret_once(browser, hooks):
    answer = browser.post(
        "/webhooks/", {"target_url": hooks.url(), "kinds": ["grant.created", "grant.revoked"]}
    )
    assert answer.status_code == 200
    secret = answer.context["secret"]
    assert secret.startswith("whsec_") and secret in answer.content.decode()
    subscription = Subscription.objects.get()
    assert subscription.kinds == ["grant.created", "grant.revoked"]
    for path in ("/webhooks/", f"/webhooks/{subscription.pk}/"):
        page = browser.get(path)
        assert page.status_code == 200 and secret not in page.content.decode()
    rotated = browser.post(f"/webhooks/{subscription.pk}/rotate/")
    assert rotated.status_code == 200 and rotated.context["secret"] != secret


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"target_url": "http://10.9.9.9/h", "kinds": ["grant.created"]}, "target_url"),
        ({"target_url": "nonsense", "kinds": ["grant.created"]}, "target_url"),
        ({"target_url": "http://127.0.0.1:9/h"}, "kinds"),
        ({"target_url": "http://127.0.0.1:9/h", "kinds": ["nope"]}, "kinds"),
    ],
)
def test_bad_input_is_shown_and_nothing_is_created(browser, data, field):
    answer = browser.post("/webhooks/", data, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert answer.status_code == 400
    assert answer.context["form"].errors[field]
    assert not Subscription.objects.exists()


def test_only_the_departments_administrators_reach_the_pages(
    city, hooks, django_capture_on_commit_callbacks
):
    subscription, _secret = subscribe(city.admin, hooks.url(), [EventKind.GRANT_CREATED])
    with django_capture_on_commit_callbacks(execute=True):
        builders.grant(city.public, city.consumer)
    delivery = Delivery.objects.get()
    pk = subscription.pk
    for outsider in (city.other_admin, city.provider_admin):
        client = login(Client(), outsider)
        assert client.get("/webhooks/").status_code == 200
        assert hooks.url() not in client.get("/webhooks/").content.decode()
        assert client.get(f"/webhooks/{pk}/").status_code == 404
        for action in ("rotate", "enable", "delete", f"deliveries/{delivery.pk}/replay"):
            assert client.post(f"/webhooks/{pk}/{action}/").status_code == 404
    staff = login(Client(), city.staff)
    assert staff.get("/webhooks/").status_code == 403
    assert staff.get(f"/webhooks/{pk}/").status_code == 404
    assert Client().get("/webhooks/").status_code == 302
    assert Subscription.objects.filter(pk=pk, active=True).exists()
    assert len(hooks.received) == 1


def test_replay_enable_and_delete_from_the_page(
    browser, city, hooks, django_capture_on_commit_callbacks
):
    subscription, _secret = subscribe(city.admin, hooks.url(), [EventKind.GRANT_CREATED])
    with django_capture_on_commit_callbacks(execute=True):
        builders.grant(city.public, city.consumer)
    delivery = Delivery.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        replay = browser.post(f"/webhooks/{subscription.pk}/deliveries/{delivery.pk}/replay/")
    assert replay.status_code == 302 and len(hooks.received) == 2
    refused = browser.post(f"/webhooks/{subscription.pk}/enable/", follow=True)
    assert refused.status_code == 200
    assert browser.post(f"/webhooks/{subscription.pk}/delete/").status_code == 302
    assert not Subscription.objects.exists()


# Every page: session, user, roles, department (header), unread notifications (navigation);
# then the list: the subscriptions; the detail: the subscription, its latest deliveries and
# their attempts, whatever their numbers.
@pytest.mark.parametrize(("path", "queries"), [("/webhooks/", 6), ("/webhooks/{pk}/", 8)])
def test_pages_run_a_fixed_number_of_queries(
    browser,
    city,
    hooks,
    django_assert_num_queries,
    django_capture_on_commit_callbacks,
    path,
    queries,
):
    for _ in range(3):
        subscription, _secret = subscribe(city.admin, hooks.url(), [EventKind.GRANT_CREATED])
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            builders.grant(builders.resource(city.provider), city.consumer)
    with django_assert_num_queries(queries):
        answer = browser.get(path.format(pk=subscription.pk))
    assert answer.status_code == 200
