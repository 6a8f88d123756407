"""The browsable API renders for a signed-in person on every kind of endpoint."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from .conftest import MODEL_BACKEND

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("user_key", ["prov_editor_4", "coordinator_4", "cons_staff_1"])
def test_pages_render_as_html(matrix, user_key):
    client = APIClient()
    client.force_login(matrix.users[user_key], backend=MODEL_BACKEND)
    resource = matrix.resources["pub_cond_1"].pk
    paths = [
        "/api/v1/",
        "/api/v1/me/",
        "/api/v1/resources/",
        f"/api/v1/resources/{resource}/",
        f"/api/v1/resources/{resource}/retire/",
        "/api/v1/grants/",
        "/api/v1/departments/",
    ]
    for path in paths:
        response = client.get(path, HTTP_ACCEPT="text/html")
        if path == "/api/v1/":
            assert response.status_code == 404  # no root listing; the docs are at /api/v1/docs/
            continue
        expected = 405 if path.endswith("retire/") else 200
        assert response.status_code == expected, (path, response.content[:300])
        assert response["Content-Type"].startswith("text/html")
