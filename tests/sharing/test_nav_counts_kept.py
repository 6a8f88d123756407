"""The navigation's badges are kept a few seconds per user, and the user's own changes clear them.

What others do shows once the seconds have passed; what the user does shows on the next page;
one user's kept badges are never another's; the pages behind the badges are always live.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from portal.context_processors import navigation
from sharing.models import BasketEntry, Notification

pytestmark = pytest.mark.django_db

NOTIFICATIONS = reverse("sharing:notification_list")
BASKET = reverse("sharing:basket")


@pytest.fixture
def kept(settings):
    settings.PORTAL_WORK_KEPT_SECONDS = 20
    cache.clear()


def _badges(client) -> dict[str, int | None]:
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return {item.url: item.count for item in response.context["nav_items"]}


def _notify(user, n: int = 1) -> None:
    kind = Notification.Kind.choices[0][0]
    Notification.objects.bulk_create(Notification(recipient=user, kind=kind) for _ in range(n))


def test_badges_are_kept_and_what_others_do_shows_after_the_seconds(client, world, kept):
    user = world.user("prov_approver_4")
    client.force_login(user)
    before = _badges(client)[NOTIFICATIONS] or 0
    _notify(user, 2)  # done by someone else (the portal notifying)
    assert (_badges(client)[NOTIFICATIONS] or 0) == before  # kept
    # The page behind the badge is live.
    assert client.get(NOTIFICATIONS).context["page_obj"].paginator.count == before + 2
    cache.clear()  # the seconds have passed
    assert _badges(client)[NOTIFICATIONS] == before + 2


def test_the_users_own_change_clears_their_badges(client, world, kept):
    user = world.user("cons_staff_3")
    resource = world.matrix.resources["pub_cond_2"]
    client.force_login(user)
    assert not _badges(client)[BASKET]
    response = client.post(reverse("sharing:basket_add"), {"resource_id": resource.pk})
    assert response.status_code == 302
    assert BasketEntry.objects.filter(user=user, resource=resource).exists()
    assert _badges(client)[BASKET] == 1  # counted afresh after the user's POST


def test_kept_badges_are_per_user(client, world, kept):
    first, second = world.user("prov_approver_4"), world.user("cons_staff_3")
    _notify(first, 3)
    client.force_login(first)
    assert (_badges(client)[NOTIFICATIONS] or 0) >= 3
    client.force_login(second)
    mine = Notification.objects.filter(recipient=second, read_at__isnull=True).count()
    assert (_badges(client)[NOTIFICATIONS] or 0) == mine
    assert BASKET in _badges(client)


def test_a_kept_page_asks_the_database_nothing_for_its_badges(world, rf, kept):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user = world.user("prov_approver_4")
    user.roles  # noqa: B018 -- loaded with the user on a page
    request = rf.get("/")
    request.user = user
    with CaptureQueriesContext(connection) as first:
        counted = navigation(request)
    with CaptureQueriesContext(connection) as second:
        again = navigation(request)
    assert len(first.captured_queries) >= 1
    assert len(second.captured_queries) == 0
    assert [i.count for i in again["nav_items"]] == [i.count for i in counted["nav_items"]]


def test_off_counts_on_every_page(client, world, settings):
    settings.PORTAL_WORK_KEPT_SECONDS = 0
    user = world.user("prov_approver_4")
    client.force_login(user)
    before = _badges(client)[NOTIFICATIONS] or 0
    _notify(user)
    assert _badges(client)[NOTIFICATIONS] == before + 1


def test_my_work_is_kept_with_the_badges_and_cleared_with_them(client, world, kept):
    user = world.user("prov_approver_4")
    client.force_login(user)

    def notifications_in_my_work() -> int:
        work = {s.queue.key: s for s in client.get(reverse("home")).context["busy_queues"]}
        return work["notifications"].count if "notifications" in work else 0

    before = notifications_in_my_work()
    _notify(user, 2)
    assert notifications_in_my_work() == before  # kept
    # Reading a notification is the user's own change: the next page is afresh.
    first = Notification.objects.filter(recipient=user, read_at__isnull=True).first()
    client.post(reverse("sharing:notifications_read"), {"notification_id": first.pk})
    assert notifications_in_my_work() == before + 1


def test_my_work_is_kept_per_language(client, world, kept):
    from django.utils import translation

    user = world.user("prov_approver_4")
    kind = Notification.Kind.choices[0][0]
    Notification.objects.filter(recipient=user).delete()
    _notify(user, 1)
    labels = {}
    for language in ("zh-hans", "en"):
        with translation.override(language):
            labels[language] = str(Notification.Kind(kind).label)
    assert labels["zh-hans"] != labels["en"]
    client.force_login(user)
    for language in ("zh-hans", "en", "zh-hans"):
        response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE=language)
        work = {s.queue.key: s for s in response.context["busy_queues"]}
        (item,) = work["notifications"].items
        assert item.detail == labels[language], language
