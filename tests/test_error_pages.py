"""Error pages in the portal's layout, Chinese by default and English in full; the favicon; make run."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from . import builders

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)
HAN = re.compile(r"[\u4e00-\u9fff]")


def _main(response) -> str:
    """Return the page's main content (the layout around it carries the language switcher)."""
    html = response.content.decode()
    return html.split('id="main-content"', 1)[1].split("</main>", 1)[0]


@pytest.fixture
def signed_in(client):
    client.force_login(builders.user(builders.department()))
    return client


def test_404_is_the_portals_page_in_chinese_and_in_english(signed_in):
    response = signed_in.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "portal-site-header" in html and "页面不存在" in _main(response)
    english = signed_in.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Page not found" in _main(english) and not HAN.search(_main(english))


def test_403_is_the_portals_page_in_chinese_and_in_english(signed_in):
    url = reverse("audit:chain_status")  # the audit administrator's page
    response = signed_in.get(url)
    assert response.status_code == 403
    assert "portal-site-header" in response.content.decode() and "无权访问" in _main(response)
    english = signed_in.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert "Access denied" in _main(english) and not HAN.search(_main(english))


@pytest.mark.urls("tests.error_pages_urls")
def test_500_is_the_portals_page_in_chinese_and_in_english(signed_in):
    signed_in.raise_request_exception = False
    response = signed_in.get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "portal-site-header" in html and "服务器内部错误" in _main(response)
    english = signed_in.get("/boom/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Server error" in _main(english) and not HAN.search(_main(english))


@pytest.mark.urls("tests.error_pages_urls")
def test_500_falls_back_to_the_plain_page_when_the_layout_fails(signed_in, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the layout failed too")

    monkeypatch.setattr("kernel.api.errors.render", broken)
    signed_in.raise_request_exception = False
    response = signed_in.get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "服务器内部错误" in html and "Server error" in html


def test_favicon_is_served(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    icon = response.url
    assert icon.endswith("portal/favicon.ico")
    assert (ROOT / "static/portal/favicon.ico").read_bytes()[:4] == b"\x00\x00\x01\x00"
    page = client.get(reverse("login")).content.decode()
    assert f'<link rel="icon" href="{icon}">' in page


def _make(*args: str, env: dict[str, str] | None = None) -> str:
    import os

    base = {k: v for k, v in os.environ.items() if k not in ("DJANGO_DEBUG", "PORT", "HOST")}
    make = shutil.which("make")
    assert make, "make is needed to check the Makefile"
    return subprocess.run(  # noqa: S603 - fixed arguments, the project's own Makefile
        [make, "--no-print-directory", *args],
        cwd=ROOT,
        env={**base, **(env or {})},
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def test_make_run_prints_the_address_it_serves_and_turns_debug_off():
    assert "http://127.0.0.1:8123/" in _make("-s", "banner", "PORT=8123")
    assert "http://127.0.0.1:8000/" not in _make("-s", "banner", env={"PORT": "8124"})
    plan = _make("-n", "run", "PORT=8123").splitlines()
    assert any(
        line.startswith("DJANGO_DEBUG=0 ") and "runserver 127.0.0.1:8123" in line for line in plan
    )
    plan = _make("-n", "run", env={"DJANGO_DEBUG": "1"}).splitlines()
    assert any(line.startswith("DJANGO_DEBUG=1 ") and "runserver" in line for line in plan)
