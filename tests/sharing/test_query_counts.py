"""List pages cost the same number of queries whatever the number of rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from sharing import services
from tests import builders

from .conftest import submit


@pytest.fixture
def parties(db):
    prov, cons = builders.department("计数提供方"), builders.department("计数申请方")
    coord = builders.department("计数数据局")
    return {
        "prov": prov,
        "requester": builders.user(cons, clearance=4),
        "approver": builders.user(prov, clearance=4, roles=(Role.STAFF, Role.APPROVER)),
        "coordinator": builders.user(coord, clearance=4, roles=(Role.STAFF, Role.COORDINATOR)),
    }


def _add(parties, count):
    for _ in range(count):
        (request,) = submit(parties["requester"], builders.resource(parties["prov"]))
        services.share_request_decide(
            actor=parties["approver"], request=request, decision="approve"
        )
        submit(parties["requester"], builders.resource(parties["prov"]))  # one stays open
        (refused,) = submit(parties["requester"], builders.resource(parties["prov"]))
        services.share_request_decide(
            actor=parties["approver"], request=refused, decision="reject", reason="否"
        )
        services.share_request_escalate(actor=parties["requester"], request=refused, reason="协调")
        services.correction_file(
            actor=parties["requester"], resource=request.lines.get().resource, description="错"
        )


PAGES = [
    ("requester", "sharing:request_list", {}),
    ("approver", "sharing:request_list", {"side": "received"}),
    ("approver", "sharing:inbox", {}),
    ("requester", "sharing:grant_list", {}),
    ("approver", "sharing:grant_list", {"side": "provider"}),
    ("requester", "sharing:correction_list", {}),
    ("approver", "sharing:notification_list", {}),
    ("coordinator", "sharing:negotiation_list", {}),
]


def _count(client, user, url, params) -> int:
    client.force_login(user)
    client.get(url, params)  # warm per-process caches (content types, session) first
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params).status_code == 200
    return len(queries)


@pytest.mark.parametrize(("who", "name", "params"), PAGES)
def test_list_pages_do_not_grow(client, parties, who, name, params):
    _add(parties, 2)
    few = _count(client, parties[who], reverse(name), params)
    _add(parties, 6)
    many = _count(client, parties[who], reverse(name), params)
    assert few == many
    assert many <= 16
