"""A data download is never stored by a cache (kernel.security_headers.PrivateCacheMiddleware)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ..test_private_caching import _not_stored

pytestmark = pytest.mark.django_db


def test_a_data_download_is_not_stored(client, matrix_data):
    client.force_login(matrix_data.users["prov_staff_4"])
    resource = matrix_data.resources["pub_cond_1"]
    response = client.get(reverse("datasets:data_download", args=[resource.pk, "csv"]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert _not_stored(response)
