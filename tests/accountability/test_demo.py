"""The demo extension loads once on top of the catalog demo and the dashboard shows it."""

from __future__ import annotations

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accountability.models import ServiceItem
from accounts.models import User
from demo.accountability import load_accountability_demo


def test_demo_extension_loads_once_and_fills_the_dashboard(client, db, mailoutbox):
    # load_demo runs the extension itself; running it again changes nothing.
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert load_accountability_demo() is False
    assert ServiceItem.objects.filter(code__startswith="DEMO-").count() == 3
    client.force_login(User.objects.get(username="coordinator"))
    url = reverse("accountability:dashboard")
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert len(queries) < 30
    totals = response.context["totals"]
    assert totals["resources_published"] > 0
    assert totals["requests_received"] > 0
