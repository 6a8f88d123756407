"""The account page lists the holder's own sign-ins, successful and failed, and nobody else's."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from accounts import selectors
from audit.models import AuditEvent

from .. import builders

pytestmark = pytest.mark.django_db


def _login(username: str, password: str, address: str) -> None:
    Client().post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_the_account_page_shows_ones_own_sign_ins(client):
    dept = builders.department()
    alice = builders.user(dept, username="alice")
    builders.user(dept, username="bob")
    _login("alice", builders.PASSWORD, "10.0.0.1")
    _login("alice", "wrong-password-123", "10.0.0.2")
    _login("bob", builders.PASSWORD, "10.0.0.99")
    _login("bob", "wrong-password-123", "10.0.0.98")

    history = selectors.sign_in_history_for(user=alice)
    assert [(e.client_address, e.result) for e in history] == [
        ("10.0.0.2", AuditEvent.Result.FAILURE),
        ("10.0.0.1", AuditEvent.Result.SUCCESS),
    ]
    client.force_login(alice)
    content = client.get(reverse("accounts:account")).content.decode()
    assert "10.0.0.1" in content and "10.0.0.2" in content
    assert "10.0.0.99" not in content and "10.0.0.98" not in content
    assert "登录成功" in content and "失败" in content


def test_anonymous_visitors_have_no_history():
    from django.contrib.auth.models import AnonymousUser

    assert selectors.sign_in_history_for(user=AnonymousUser()) == []


def test_the_page_takes_a_fixed_number_of_queries(client, django_assert_num_queries):
    alice = builders.user(builders.department(), username="alice")
    for n in range(30):
        _login("alice", builders.PASSWORD if n % 2 else "wrong-password-123", f"10.0.1.{n}")
    client.force_login(alice)
    # The same count whatever the number of rows shown: no query per listed sign-in.
    with django_assert_num_queries(10):
        response = client.get(reverse("accounts:account"))
    assert len(response.context["sign_ins"]) == selectors.SIGN_IN_HISTORY_LENGTH
