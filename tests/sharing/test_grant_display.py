"""A grant reads as people entered it: the last day inclusive, and one state at a time."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sharing import services
from sharing.models import Grant
from tests import builders

pytestmark = pytest.mark.django_db


def _local(*args: int) -> datetime:
    return timezone.make_aware(datetime(*args))


@pytest.fixture
def parties():
    provider = builders.department()
    consumer = builders.department()
    resource = builders.resource(provider)
    return resource, consumer, builders.user(consumer)


def _grant(resource, consumer, start: datetime, end: datetime) -> Grant:
    return services.grant_create(
        actor=None,
        resource=resource,
        department=consumer,
        items=list(resource.items.all()),
        valid_from=start,
        valid_until=end,
    )


def test_the_exclusive_end_instant_reads_as_the_last_day():
    grant = Grant(valid_from=_local(2027, 1, 1), valid_until=_local(2027, 7, 1))
    assert grant.first_day.isoformat() == "2027-01-01"
    assert grant.last_day.isoformat() == "2027-06-30"
    # An end inside a day leaves that day in force.
    grant.valid_until = _local(2027, 7, 1, 15, 30)
    assert grant.last_day.isoformat() == "2027-07-01"


def test_a_grant_approved_for_later_shows_one_state_and_its_last_day(client, parties):
    resource, consumer, user = parties
    grant = _grant(resource, consumer, _local(2027, 1, 1), _local(2027, 7, 1))
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    page = client.get(reverse("sharing:grant_detail", args=[grant.pk])).content.decode()
    assert "已批准，2027-01-01 起生效" in page
    assert "2027-01-01 – 2027-06-30" in page
    assert "2027-07-01" not in page
    assert "生效中" not in page and "未生效" not in page and "启用" not in page
    listing = client.get(reverse("sharing:grant_list")).content.decode()
    assert "2027-06-30" in listing and "2027-07-01" not in listing
    assert "已批准，2027-01-01 起生效" in listing


def test_a_grant_in_force_and_one_past_its_end_read_apart(client, parties):
    resource, consumer, user = parties
    now = timezone.now()
    grant = _grant(resource, consumer, now - timedelta(days=1), now + timedelta(days=3))
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    page = client.get(reverse("sharing:grant_detail", args=[grant.pk])).content.decode()
    assert "生效中" in page
    # Past its end before the nightly job marks it expired: it reads as expired, not in force.
    assert grant.state_display(at=now + timedelta(days=4)) == "已过期"


def test_the_grant_list_narrows_by_state_and_shows_no_other_departments_grants(client, parties):
    resource, consumer, user = parties
    now = timezone.now()
    active = _grant(resource, consumer, now - timedelta(days=1), now + timedelta(days=30))
    other = builders.resource(resource.provider, name="另一资源")
    revoked = _grant(other, consumer, now - timedelta(days=1), now + timedelta(days=30))
    Grant.objects.filter(pk=revoked.pk).update(status=Grant.Status.REVOKED, revoked_at=now)
    stranger = builders.department()
    foreign = _grant(other, stranger, now - timedelta(days=1), now + timedelta(days=30))
    client.force_login(user)
    url = reverse("sharing:grant_list")

    def listed(**params) -> set[int]:
        response = client.get(url, params)
        assert response.status_code == 200
        return {g.pk for g in response.context["page_obj"]}

    assert listed() == {active.pk, revoked.pk}
    assert listed(status="active") == {active.pk}
    assert listed(status="revoked") == {revoked.pk}
    assert listed(status="expired") == set()
    # An unknown state is ignored, and no state shows another department's grant.
    assert listed(status="bogus") == {active.pk, revoked.pk}
    for status in ("", "active", "revoked"):
        assert foreign.pk not in listed(side="all", status=status)
    body = client.get(url, {"status": "revoked"}).content.decode()
    assert 'aria-current="page">' in body and "另一资源" in body


def test_the_grant_list_counts_up_to_its_cap_newest_first(client, parties, monkeypatch):
    from sharing.views import grants as grant_views

    resource, consumer, user = parties
    now = timezone.now()
    made = []
    for n in range(3):
        other = builders.resource(resource.provider, name=f"上限资源{n}")
        made.append(_grant(other, consumer, now - timedelta(days=1), now + timedelta(days=30)))
    client.force_login(user)
    url = reverse("sharing:grant_list")
    page = client.get(url).context["page_obj"]
    assert (page.paginator.count, page.paginator.capped) == (3, False)
    monkeypatch.setattr(grant_views, "GRANT_COUNT_CAP", 2)
    response = client.get(url)
    page = response.context["page_obj"]
    assert (page.paginator.count, page.paginator.capped) == (2, True)
    assert [g.pk for g in page] == [g.pk for g in reversed(made)][:2]  # the newest first


def test_the_grant_list_shows_how_many_items_each_grant_covers(client, parties):
    import re

    resource, consumer, user = parties
    now = timezone.now()
    other = builders.resource(resource.provider)
    _grant(resource, consumer, now - timedelta(days=1), now + timedelta(days=3))
    services.grant_create(
        actor=None,
        resource=other,
        department=consumer,
        items=list(other.items.all())[:1],
        valid_from=now - timedelta(days=1),
        valid_until=now + timedelta(days=3),
    )
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    listing = client.get(reverse("sharing:grant_list")).content.decode()
    rows = re.findall(
        r"<tr>\s*<td><a[^>]*>([^<]+)</a></td>(?:\s*<td>[^<]*</td>){2}\s*<td>(\d+)</td>", listing
    )
    assert sorted(rows) == sorted([(resource.name, "2"), (other.name, "1")])


def test_a_grant_names_its_resources_provider(parties):
    resource, consumer, _user = parties
    now = timezone.now()
    grant = _grant(resource, consumer, now - timedelta(days=1), now + timedelta(days=3))
    grant.refresh_from_db()
    assert grant.provider_id == resource.provider_id != consumer.pk
