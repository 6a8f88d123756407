"""The coordination queue counts its requests up to a cap, and never lists one above clearance."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import Level, Role
from sharing import services
from sharing.views import requests as request_views
from tests import builders

pytestmark = pytest.mark.django_db


def _escalate(world, key: str, approver: str, requester: str) -> None:
    request = world.requests[key]
    services.share_request_decide(
        actor=world.user(approver), request=request, decision="reject", reason="否"
    )
    services.share_request_escalate(actor=world.user(requester), request=request, reason="请协调")


@pytest.fixture
def escalated(world):
    _escalate(world, "r_cons_1", "prov_approver_4", "cons_staff_3")
    _escalate(world, "r_cons_4", "prov_approver_4", "cons_staff_4")
    _escalate(world, "r_other_2", "prov_approver_4", "other_staff_3")
    return world


def _page(client, user):
    client.force_login(user)
    return client.get(reverse("sharing:negotiation_list")).context["page_obj"]


def test_the_count_stops_at_the_cap(client, escalated, monkeypatch):
    coordinator = escalated.user("coordinator_4")
    page = _page(client, coordinator)
    assert (page.paginator.count, page.paginator.capped) == (3, False)
    monkeypatch.setattr(request_views, "NEGOTIATION_COUNT_CAP", 2)
    page = _page(client, coordinator)
    assert (page.paginator.count, page.paginator.capped) == (2, True)
    # The oldest first, as before: the queue is worked from its oldest end.
    oldest = [escalated.requests[k].pk for k in ("r_cons_1", "r_cons_4")]
    assert [r.pk for r in page] == oldest


def test_a_coordinator_below_a_requests_level_neither_sees_nor_counts_it(client, escalated):
    low = builders.user(
        escalated.matrix.departments["coord"],
        clearance=Level.L2,
        roles=(Role.STAFF, Role.COORDINATOR),
        username="coordinator_2",
    )
    page = _page(client, low)
    listed = {r.pk for r in page}
    assert escalated.requests["r_cons_4"].pk not in listed  # names an L4 resource
    assert page.paginator.count == len(listed)
    # Nobody but a coordinator sees the queue.
    assert list(_page(client, escalated.user("prov_approver_4"))) == []
