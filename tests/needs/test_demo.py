"""The demo holds data needs in each stage, loaded once through the services."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from demo.needs import load_needs_demo
from needs.models import Need, NeedStatus

pytestmark = pytest.mark.django_db


def test_demo_needs_cover_the_stages_and_load_once(client):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert load_needs_demo() is False
    states = dict(Need.objects.values_list("title", "status"))
    assert states == {
        "住房公积金缴存信息": NeedStatus.OPEN,
        "企业职工参保人数": NeedStatus.ROUTED,
        "不动产权属信息": NeedStatus.LINKED,
    }
    linked = Need.objects.get(status=NeedStatus.LINKED)
    assert linked.resource is not None and linked.resource.name == "不动产登记信息"
    # The requester can take it on from the demo: the request button is on the page.
    client.force_login(User.objects.get(username="rs_staff"))
    page = client.get(reverse("needs:need_detail", args=[linked.pk])).content.decode()
    assert 'id="need-request"' in page
    # Every department sees the list, the district user too.
    client.force_login(User.objects.get(username="qx_staff"))
    listed = client.get(reverse("needs:need_list")).context["page_obj"]
    assert {n.title for n in listed} == set(states)
