"""The scorecards' interface figures (接口可用率): from the broker's daily rows, one query."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from accountability.periods import parse_period
from accountability.selectors.scorecards import scorecards_compute
from exchange.broker import Kind, Outcome
from exchange.models import EgressNetwork
from exchange.services.availability import call_counted
from exchange.services.interfaces import ParameterSpec, interface_register
from tests import builders

pytestmark = pytest.mark.django_db


def test_a_providers_interface_availability_is_a_scorecard_figure(client):
    EgressNetwork.objects.create(cidr="10.0.0.0/8")
    provider = builders.department("接口考核提供部门")
    consumer = builders.department("接口考核使用部门")
    resource = builders.resource(provider)
    interface = interface_register(
        actor=None,
        resource=resource,
        name="lookup",
        base_url="http://10.1.2.3/lookup",
        method="GET",
        parameters=[ParameterSpec(resource.items.first().pk, "output", "a")],
    )
    for kind, latency in ((Kind.OK, 30), (Kind.OK, 30), (Kind.OK, 200), (Kind.TIMEOUT, 3000)):
        call_counted(
            interface=interface,
            department_id=consumer.pk,
            outcome=Outcome(kind, 200 if kind == Kind.OK else None, latency_ms=latency),
        )
    period = parse_period(str(timezone.localdate().year))
    cards = {c.department.pk: c for c in scorecards_compute(max_level=4, period=period)}
    card = cards[provider.pk]
    assert card.interface_calls == 4 and card.interface_failed == 1
    assert card.interface_availability == 75.0
    assert card.interface_p95 == 5000
    assert cards[consumer.pk].interface_availability is None
    # Below the resource's level, the figure is not counted.
    hidden = {c.department.pk: c for c in scorecards_compute(max_level=0, period=period)}
    assert hidden[provider.pk].interface_calls == 0
    coordinator = builders.user(
        builders.department("接口考核数据局"), clearance=4, roles=("staff", "coordinator")
    )
    client.force_login(coordinator, backend="django.contrib.auth.backends.ModelBackend")
    page = client.get(
        reverse("accountability:scorecard", args=[provider.pk]) + f"?period={period.key}"
    )
    assert 'id="interface_availability">75.0%' in page.content.decode()
