"""The validity date (有效期) through the API: read, written, refused when it is not a date."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from catalog.models import Resource

pytestmark = pytest.mark.django_db


def test_valid_until_is_read_and_written_and_a_bad_date_is_400(matrix, call):
    resource = matrix.resources["pub_unc_1"]
    path = f"resources/{resource.pk}/"
    read = call("cons_staff_1", "get", path).json()
    assert read["valid_until"] is None and read["expired"] is False

    past = timezone.localdate() - timedelta(days=3)
    response = call("prov_editor_4", "patch", path, {"valid_until": past.isoformat()})
    assert response.status_code == 200, response.content
    resource.refresh_from_db()
    assert resource.valid_until == past and resource.version == 2
    assert AuditEvent.objects.filter(action="resource.update", object_id=str(resource.pk)).exists()
    read = call("cons_staff_1", "get", path).json()
    assert read["valid_until"] == past.isoformat() and read["expired"] is True
    listed = call("cons_staff_1", "get", "resources/", {"page_size": 200}).json()["results"]
    flags = {row["id"]: row["expired"] for row in listed}
    assert flags[resource.pk] is True
    assert [pk for pk, expired in flags.items() if expired] == [resource.pk]

    # Renewed: no longer flagged; cleared (null): no date at all.
    later = timezone.localdate() + timedelta(days=30)
    call("prov_editor_4", "patch", path, {"valid_until": later.isoformat()})
    assert call("cons_staff_1", "get", path).json()["expired"] is False
    call("prov_editor_4", "patch", path, {"valid_until": None})
    assert Resource.objects.get(pk=resource.pk).valid_until is None

    for bad in ("明年", "2026-02-30", 20261231):
        response = call("prov_editor_4", "patch", path, {"valid_until": bad})
        assert response.status_code == 400, bad
        assert list(response.json()["error"]["fields"]) == ["valid_until"]
    assert Resource.objects.get(pk=resource.pk).valid_until is None
    # A consumer may not set it.
    response = call("cons_staff_4", "patch", path, {"valid_until": later.isoformat()})
    assert response.status_code in (403, 404)
    assert Resource.objects.get(pk=resource.pk).valid_until is None
