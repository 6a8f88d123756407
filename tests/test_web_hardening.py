"""Web hardening: security headers on every page and a clean `check --deploy` in production."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User

from . import builders

pytestmark = pytest.mark.django_db

BASE_DIR = Path(django_settings.BASE_DIR)


def test_every_page_carries_the_security_headers(client):
    user = builders.user(builders.department())
    for signed_in in (False, True):
        if signed_in:
            client.force_login(user)
        response = client.get(reverse("login") if not signed_in else reverse("home"))
        csp = response["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["X-Frame-Options"] == "DENY"
        assert "camera=()" in response["Permissions-Policy"]


def test_layout_has_no_inline_script_or_style(client):
    client.force_login(builders.user(builders.department()))
    content = client.get(reverse("home")).content.decode()
    assert "<script>" not in content and " style=" not in content
    assert "<script src=" in content  # scripts come from static files


def test_csrf_is_enforced_on_the_login_form():
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse("login"), {"username": "x", "password": "y"})
    assert response.status_code == 403


def test_check_deploy_reports_nothing_with_production_settings(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "PORTAL_", "DATABASE_URL"))
    }
    env.update(
        PORTAL_PRODUCTION="1",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="portal.example.gov.cn",
        DJANGO_STATIC_ROOT=str(tmp_path),
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_superuser_check_warns_only_with_an_active_superuser(capsys):
    from accounts.checks import superusers_not_in_normal_use

    assert superusers_not_in_normal_use(databases=["default"]) == []
    User.objects.create_superuser("root", password=builders.PASSWORD)
    warnings = superusers_not_in_normal_use(databases=["default"])
    assert [w.id for w in warnings] == ["accounts.W001"]
    assert superusers_not_in_normal_use(databases=None) == []
    call_command("check")  # the check does not break the ordinary run
