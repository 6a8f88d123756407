"""The resource page's data section: a masked, audited preview, downloads, and editors' links."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from tests.datasets.conftest import citizen_id, matrix_data  # noqa: F401 - fixture
from tests.datasets.test_access import expected_columns, expected_first_row

pytestmark = pytest.mark.django_db

USERS = ["prov_staff_4", "prov_editor_4", "cons_staff_1", "cons_staff_3", "other_staff_3"]


def test_preview_follows_the_matrix(client, matrix_data):  # noqa: F811
    m = matrix_data
    for user_key in USERS:
        client.force_login(m.users[user_key])
        for resource_key, resource in m.resources.items():
            reads = AuditEvent.objects.filter(action="data.read").count()
            response = client.get(reverse("catalog:resource_detail", args=[resource.pk]))
            if not m.expect_view(user_key, resource_key):
                assert response.status_code == 404
                continue
            html = response.content.decode()
            preview = response.context["preview"]
            download = reverse("datasets:data_download", args=[resource.pk, "csv"])
            if not m.expect_read(user_key, resource_key):
                assert preview is None and download not in html
                assert AuditEvent.objects.filter(action="data.read").count() == reads
                continue
            case = (user_key, resource_key)
            assert preview.columns == expected_columns(m, user_key, resource_key), case
            assert preview.rows[0] == expected_first_row(m, user_key, resource_key), case
            assert download in html
            own = m.resource_specs[resource_key].provider == m.user_specs[user_key].department
            if "敏感项" in preview.columns and not own:
                assert citizen_id(1) not in html  # masked in the page too
            assert AuditEvent.objects.filter(action="data.read").count() == reads + 1


def test_editor_links_only_for_the_providers_editors(client, matrix_data):  # noqa: F811
    m = matrix_data
    resource = m.resources["pub_cond_3"]
    upload = reverse("datasets:data_upload", args=[resource.pk])
    reads = reverse("datasets:data_reads", args=[resource.pk])
    for user_key, upload_shown, reads_shown in [
        ("prov_editor_4", True, False),
        ("prov_approver_4", False, True),
        ("prov_admin_3", False, True),
        ("prov_staff_4", False, False),
        ("cons_staff_3", False, False),
    ]:
        client.force_login(m.users[user_key])
        html = client.get(reverse("catalog:resource_detail", args=[resource.pk])).content.decode()
        assert (upload in html, reads in html) == (upload_shown, reads_shown), user_key


def test_freshness_and_versions_are_shown(client, matrix_data):  # noqa: F811
    m = matrix_data
    client.force_login(m.users["cons_staff_3"])
    response = client.get(reverse("catalog:resource_detail", args=[m.resources["pub_cond_3"].pk]))
    assert response.context["freshness"].updated_at is not None
    html = response.content.decode()
    assert 'data-freshness="current"' in html or 'data-freshness="late"' in html
    assert 'id="versions-title"' in html
