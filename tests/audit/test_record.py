"""Services write audit events with the actor, object and client address."""

from __future__ import annotations

import pytest

from accounts.models import Role
from audit.context import audit_context
from audit.models import AuditEvent
from catalog import services

from .. import builders

pytestmark = pytest.mark.django_db


def test_services_record_actor_object_and_address():
    dept = builders.department()
    editor = builders.user(dept, clearance=4, roles=(Role.EDITOR,))
    resource = builders.resource(dept, status="draft")
    with audit_context(client_address="10.1.2.3", channel="web"):
        services.resource_submit(actor=editor, resource=resource)
    event = AuditEvent.objects.filter(action="resource.submit").get()
    assert (event.actor, event.actor_username, event.department) == (editor, editor.username, dept)
    assert (event.object_type, event.object_id) == ("catalog.resource", str(resource.pk))
    assert event.client_address == "10.1.2.3"
    assert event.details["channel"] == "web"
    assert event.result == "success"


def test_a_refused_action_leaves_no_success_event():
    dept = builders.department()
    staff = builders.user(dept, clearance=4)
    resource = builders.resource(dept, status="draft")
    before = AuditEvent.objects.count()
    with pytest.raises(Exception):  # noqa: B017 - PermissionDenied; the point is what is not written
        services.resource_submit(actor=staff, resource=resource)
    assert AuditEvent.objects.count() == before


def test_client_address_ignores_forwarded_headers_unless_behind_a_trusted_proxy(rf, settings):
    from audit.middleware import client_address

    request = rf.get("/", REMOTE_ADDR="192.0.2.7", HTTP_X_FORWARDED_FOR="203.0.113.9, 10.0.0.1")
    settings.PORTAL_TRUST_X_FORWARDED_FOR = False
    assert client_address(request) == "192.0.2.7"
    settings.PORTAL_TRUST_X_FORWARDED_FOR = True
    assert client_address(request) == "203.0.113.9"


def test_the_context_does_not_outlive_its_block():
    from audit.context import current

    with audit_context(client_address="10.0.0.5", channel="api"):
        assert current().client_address == "10.0.0.5"
    assert current().client_address is None and current().channel == "system"
