"""Availability: every call counted per interface, consumer department and day (F() updates,
a latency histogram), a periodic probe, pages for the provider and the coordinator, and a notice
to the provider's editors when an interface fails repeatedly."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from audit.models import AuditEvent
from exchange.broker import Kind, Outcome
from exchange.models import InterfaceDailyStat, InterfaceProbe
from exchange.selectors import figures_of
from exchange.services.availability import (
    PROBES_DOWN,
    call_counted,
    interface_probe,
    interfaces_probe,
)
from exchange.signals import interface_down, interface_up
from sharing.models import Notification
from tests import builders
from tests.catalog.maintenance_helpers import login

from .test_broker import call

pytestmark = pytest.mark.django_db


def test_each_call_adds_to_one_row_of_its_day_and_department(world):
    for latency in (5, 40, 40, 300):
        call_counted(
            interface=world.interface,
            department_id=world.consumer.pk,
            outcome=Outcome(Kind.OK, 200, latency_ms=latency),
        )
    call_counted(
        interface=world.interface,
        department_id=world.consumer.pk,
        outcome=Outcome(Kind.TIMEOUT, latency_ms=3000),
    )
    yesterday = timezone.now() - timedelta(days=1)
    call_counted(
        interface=world.interface,
        department_id=world.consumer.pk,
        outcome=Outcome(Kind.OK, 200, latency_ms=5),
        now=yesterday,
    )
    today = InterfaceDailyStat.objects.get(
        interface=world.interface, department=world.consumer, day=timezone.localdate()
    )
    assert today.calls == 5 and today.timeouts == 1
    assert [today.lat_0, today.lat_2, today.lat_5, today.lat_8] == [1, 2, 1, 1]
    figures = figures_of(vars(today))
    assert figures.availability == 80.0
    assert figures.p50 == 50 and figures.p95 == 5000
    assert InterfaceDailyStat.objects.filter(interface=world.interface).count() == 2


def test_the_provider_sees_its_interfaces_availability_page(world, client):
    call(world.reader, world, {"编号": "A001"})
    world.upstream.status = 500
    call(world.reader, world)
    world.upstream.status = 200
    interface_probe(interface=world.interface)
    url = reverse("exchange:interface_detail", args=[world.interface.pk])
    page = login(client, world.editor).get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert world.consumer.name in text
    assert "50.0%" in text  # one call of two answered
    assert 'id="probes"' in text
    # The resource page links to it for the editor.
    resource_page = client.get(reverse("catalog:resource_detail", args=[world.resource.pk]))
    assert url in resource_page.content.decode()


def test_who_sees_an_interfaces_availability(world, client):
    url = reverse("exchange:interface_detail", args=[world.interface.pk])
    staff = builders.user(world.provider, clearance=4)
    low_editor = builders.user(world.provider, clearance=2, roles=(Role.STAFF, Role.EDITOR))
    other_editor = builders.user(world.consumer, clearance=4, roles=(Role.STAFF, Role.EDITOR))
    for user in (world.reader, world.stranger, staff, low_editor, other_editor):
        assert login(client, user).get(url).status_code == 404
    assert login(client, world.coordinator).get(url).status_code == 200
    client.logout()
    assert client.get(url).status_code == 302  # to the sign-in page
    # The resource page shows the interface to a consumer without the availability link.
    page = login(client, world.reader).get(
        reverse("catalog:resource_detail", args=[world.resource.pk])
    )
    assert "people" in page.content.decode() and url not in page.content.decode()


def test_the_city_view_is_the_coordinators_and_paginated(world, client):
    call(world.reader, world)
    url = reverse("exchange:city_availability")
    page = login(client, world.coordinator).get(url)
    assert page.status_code == 200
    assert reverse("exchange:interface_detail", args=[world.interface.pk]) in page.content.decode()
    assert page.context["page_obj"].paginator.per_page == 25
    for user in (world.editor, world.reader):
        assert login(client, user).get(url).status_code == 403
    # A page number that is not one shows the last page.
    assert login(client, world.coordinator).get(url + "?page=oops").status_code == 200


def test_pages_cost_a_fixed_number_of_queries(world, client):
    def count(url: str) -> int:
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured.captured_queries)

    login(client, world.coordinator)
    detail = reverse("exchange:interface_detail", args=[world.interface.pk])
    city = reverse("exchange:city_availability")
    call(world.reader, world)
    before = (count(detail), count(city))
    for n in range(8):
        department = builders.department(f"更多使用部门{n}")
        call_counted(
            interface=world.interface,
            department_id=department.pk,
            outcome=Outcome(Kind.OK, 200, latency_ms=20),
        )
        interface_probe(interface=world.interface)
    assert (count(detail), count(city)) == before


def test_repeated_probe_failures_tell_the_providers_editors_once(world):
    downs: list[int] = []
    ups: list[int] = []

    def on_down(sender, interface, **kwargs):
        downs.append(interface.pk)

    def on_up(sender, interface, **kwargs):
        ups.append(interface.pk)

    interface_down.connect(on_down)
    interface_up.connect(on_up)
    try:
        world.upstream.status = 500
        for _ in range(PROBES_DOWN + 2):
            interfaces_probe()
        assert downs == [world.interface.pk]
        world.upstream.status = 200
        call_command("interfaces_probe", stdout=open("/dev/null", "w"))  # noqa: SIM115
        assert ups == [world.interface.pk]
    finally:
        interface_down.disconnect(on_down)
        interface_up.disconnect(on_up)
    assert InterfaceProbe.objects.filter(interface=world.interface, up=False).count() == 5
    told = Notification.objects.filter(kind=Notification.Kind.INTERFACE_DOWN)
    assert list(told.values_list("recipient_id", flat=True)) == [world.editor.pk]
    assert "people" in told.get().text
    assert AuditEvent.objects.filter(action="interface.down").count() == 1
    assert AuditEvent.objects.filter(action="interface.up").count() == 1


def test_an_opening_circuit_tells_the_providers_editors(world, settings):
    settings.PORTAL_EXCHANGE_BREAKER_FAILURES = 2
    world.upstream.status = 500
    for _ in range(3):
        call(world.reader, world)
    told = Notification.objects.filter(kind=Notification.Kind.INTERFACE_DOWN)
    assert list(told.values_list("recipient_id", flat=True)) == [world.editor.pk]
    # Shown on the availability page as refused calls.
    stats = InterfaceDailyStat.objects.get(interface=world.interface)
    assert stats.status_errors == 2 and stats.circuit_open == 1
