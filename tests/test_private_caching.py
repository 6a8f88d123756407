"""No private answer is stored by a cache: signed-in pages, API answers and downloads.

The data download is tested with the data delivery tests (tests/datasets/test_download_caching.py).
"""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.services.tokens import token_create
from kernel.security_headers import PrivateCacheMiddleware

from . import builders

pytestmark = pytest.mark.django_db


def _not_stored(response) -> bool:
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= directives


def test_a_signed_in_page_is_not_stored(client):
    client.force_login(builders.user(builders.department()))
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert _not_stored(response)


def test_an_api_answer_is_not_stored():
    user = builders.user(builders.department())
    _token, key = token_create(actor=None, user=user, name="system", scopes=("read",), days=1)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = client.get("/api/v1/me/")
    assert response.status_code == 200
    assert _not_stored(response)
    # A refusal to an anonymous caller is an API answer too.
    assert _not_stored(APIClient().get("/api/v1/me/"))


def test_an_attachment_is_private_even_without_a_session():
    def view(request):
        response = HttpResponse("a,b\n", content_type="text/csv")
        response["Content-Disposition"] = 'attachment; filename="x.csv"'
        return response

    request = RequestFactory().get("/somewhere/")
    assert _not_stored(PrivateCacheMiddleware(view)(request))


def test_public_answers_keep_their_caching(client):
    # An anonymous visitor's public answer is left alone.
    assert "no-store" not in client.get(reverse("healthz")).get("Cache-Control", "")
    # Static files are answered by WhiteNoise before this middleware sees the request.
    middleware = django_settings.MIDDLEWARE
    assert middleware.index("whitenoise.middleware.WhiteNoiseMiddleware") < middleware.index(
        "kernel.security_headers.PrivateCacheMiddleware"
    )
