"""Two approvers deciding one request at the same moment: exactly one decision is recorded."""

from __future__ import annotations

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from accounts.models import Role
from audit.models import AuditEvent
from sharing.models import Grant, RequestStatus, ShareRequest
from sharing.services import requests as request_services
from tests import builders

from .conftest import submit

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL (SQLite serialises)"
    ),
]


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_decisions_leave_exactly_one(monkeypatch):
    prov, cons = builders.department("并发提供方"), builders.department("并发申请方")
    first = builders.user(prov, clearance=4, roles=(Role.STAFF, Role.APPROVER))
    second = builders.user(prov, clearance=4, roles=(Role.STAFF, Role.APPROVER))
    requester = builders.user(cons, clearance=4)
    (request,) = submit(requester, builders.resource(prov))

    # Hold the row lock a little while the grant is written, so the two really overlap.
    original = request_services.grant_create

    def slow_grant_create(**kwargs):
        time.sleep(0.5)
        return original(**kwargs)

    monkeypatch.setattr(request_services, "grant_create", slow_grant_create)

    barrier = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def decide(name, actor, decision):
        barrier.wait()
        try:
            request_services.share_request_decide(
                actor=actor,
                request=ShareRequest.objects.get(pk=request.pk),
                decision=decision,
                reason="同时审核",
            )
            outcomes[name] = "ok"
        except ValidationError as exc:
            outcomes[name] = exc
        finally:
            connection.close()

    threads = [
        threading.Thread(target=decide, args=("approve", first, "approve")),
        threading.Thread(target=decide, args=("reject", second, "reject")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    # The later decision finds the request decided: a state conflict (409 through the API).
    assert sorted(str(type(v).__name__) for v in outcomes.values()) == ["StateConflict", "str"]
    loser = next(v for v in outcomes.values() if isinstance(v, ValidationError))
    assert "already decided" in str(loser) or "已" in str(loser)
    request.refresh_from_db()
    decisions = AuditEvent.objects.filter(
        object_type="sharing.sharerequest",
        object_id=str(request.pk),
        action__in=["share_request.approve", "share_request.reject"],
    )
    assert decisions.count() == 1
    if request.status == RequestStatus.APPROVED:
        assert Grant.objects.filter(request=request).count() == 1
    else:
        assert request.status == RequestStatus.REJECTED
        assert not Grant.objects.filter(request=request).exists()
