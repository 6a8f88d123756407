"""The data-need figures of a scorecard: routed to the department, answered in time, answered
by a new resource, counted by routing date within the period."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from accountability.periods import parse_period
from accountability.selectors.scorecards import scorecards_compute
from needs import services
from needs.models import Need
from tests.needs.helpers import file

from .conftest import NOW, PERIOD, at


@pytest.fixture
def city(city_once, db):
    return city_once


def _need(city, *, routed, due, answer=None, answered=None):
    """File a need of 乙 routed to 甲, answered as told, then put it at the given dates."""
    u = city.users
    need = services.need_route(
        actor=u["coordinator"], need=file(u["b_staff"]), provider_id=city.a.pk
    )
    if answer == "link":
        services.need_link(
            actor=u["a_approver"], need=need, resource_id=city.resources["res_r1"].pk
        )
    elif answer == "new":
        services.need_register(actor=u["a_approver"], need=need)
        services.need_link(actor=u["a_admin"], need=need, resource_id=city.resources["res_r1"].pk)
    elif answer == "refuse":
        services.need_refuse(actor=u["a_approver"], need=need, reason="《保密法》第三十一条")
    Need.objects.filter(pk=need.pk).update(routed_at=routed, due_date=due, answered_at=answered)
    return need


def test_needs_routed_answered_in_time_and_by_a_new_resource(city, client):
    _need(
        city,
        routed=at(2026, 3, 2, 10),
        due=date(2026, 3, 16),
        answer="link",
        answered=at(2026, 3, 10, 10),
    )
    _need(
        city,
        routed=at(2026, 5, 4, 10),
        due=date(2026, 5, 18),
        answer="refuse",
        answered=at(2026, 5, 25, 10),
    )  # late
    _need(
        city,
        routed=at(2026, 6, 1, 10),
        due=date(2026, 6, 15),
        answer="new",
        answered=at(2026, 6, 15, 18),
    )  # on the due day: in time
    _need(city, routed=at(2026, 11, 2, 10), due=date(2026, 11, 16))  # unanswered
    _need(
        city,
        routed=at(2025, 12, 1, 10),
        due=date(2025, 12, 15),
        answer="link",
        answered=at(2025, 12, 2, 10),
    )  # another period
    cards = scorecards_compute(max_level=4, period=parse_period(PERIOD), now=NOW)
    a = next(c for c in cards if c.department == city.a)
    assert (a.needs_routed, a.needs_answered_in_time, a.needs_new_resource) == (4, 2, 1)
    b = next(c for c in cards if c.department == city.b)  # the requester is not measured
    assert (b.needs_routed, b.needs_answered_in_time, b.needs_new_resource) == (0, 0, 0)
    client.force_login(city.users["a_admin"])
    page = client.get(reverse("accountability:scorecard", args=[city.a.pk]), {"period": PERIOD})
    assert page.context["card"].needs_answered_in_time == 2
    assert 'id="needs_new_resource">1<' in page.content.decode()
