"""Numbers in query strings and forms are ASCII digits: "²" passes str.isdigit() but not int()."""

from __future__ import annotations

import pytest
from django.urls import reverse

from . import builders

pytestmark = pytest.mark.django_db

UNICODE_DIGITS = ("²", "١٢", "５０")


def test_a_unicode_page_size_gives_the_default_page_not_a_server_error(client):
    client.force_login(builders.user(builders.department()))
    for raw in UNICODE_DIGITS:
        response = client.get(reverse("catalog:resource_list"), {"per_page": raw})
        assert response.status_code == 200, raw


def test_a_unicode_notification_id_is_not_a_server_error(client):
    client.force_login(builders.user(builders.department()))
    for raw in UNICODE_DIGITS:
        response = client.post(reverse("sharing:notifications_read"), {"notification_id": raw})
        assert response.status_code == 302, raw
