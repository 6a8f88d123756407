"""Approvers need two-factor on the web; their API tokens keep working without a session."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from .conftest import MODEL_BACKEND

pytestmark = [pytest.mark.django_db, pytest.mark.two_factor]


def test_token_request_of_an_approver_passes_the_two_factor_gate(matrix, keys):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {keys['prov_approver_4']}")
    response = client.get("/api/v1/share-requests/")
    assert response.status_code == 200


def test_unverified_session_of_an_approver_is_refused_in_the_error_shape(matrix):
    client = APIClient()
    client.force_login(matrix.users["prov_approver_4"], backend=MODEL_BACKEND)
    response = client.get("/api/v1/share-requests/")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert set(response.json()["error"]) == {"code", "message", "fields"}


def test_a_bad_token_with_an_unverified_session_is_still_refused(matrix):
    client = APIClient()
    client.force_login(matrix.users["prov_approver_4"], backend=MODEL_BACKEND)
    client.credentials(HTTP_AUTHORIZATION="Bearer gdp_not-a-real-key")
    response = client.get("/api/v1/share-requests/")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"


def test_staff_session_needs_no_second_factor(matrix):
    client = APIClient()
    client.force_login(matrix.users["cons_staff_3"], backend=MODEL_BACKEND)
    assert client.get("/api/v1/share-requests/").status_code == 200
