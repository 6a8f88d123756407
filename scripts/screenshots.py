"""Take the catalog screenshots in docs/screenshots/ with headless Chromium.

Builds a throwaway SQLite database with the demo, starts the development server on a free
loopback port, signs in through the login form like a person would, and captures the home,
browse, search and detail pages at desktop (1280×900) and phone (390×844) widths.

    .venv/bin/python scripts/screenshots.py [--user rs_staff] [--out docs/screenshots]

Needs the system Chromium (/usr/bin/chromium, or CHROMIUM=path) and fonts-noto-cjk for Chinese;
the ``playwright`` package only drives it (no browser download).
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105 - the documented demo password
SIZES = {"desktop": (1280, 900), "phone": (390, 844)}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return result.stdout


def wait_until_up(base: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("the development server did not start")


def detail_pk(env: dict[str, str], name: str) -> int:
    code = (
        "from catalog.models import Resource;"
        f"print(Resource.objects.get(name={name!r}, status='published').pk)"
    )
    return int(manage(env, "shell", "-c", code).strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--user", default="rs_staff", help="demo account to sign in as")
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--search", default="法人", help="the search page's query")
    parser.add_argument("--detail", default="不动产登记信息", help="the detail page's resource")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="portal-shots-"))
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{workdir / 'shots.db'}",
        "DJANGO_DEBUG": "0",
        "DJANGO_STATIC_ROOT": str(workdir / "static"),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
    }
    manage(env, "compile_translations")
    manage(env, "collectstatic", "--noinput")  # WhiteNoise serves these, as in production
    manage(env, "migrate", "--noinput")
    manage(env, "load_demo")
    pk = detail_pk(env, args.detail)

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [PYTHON, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until_up(base)
        pages = {
            "home": "/",
            "browse": "/catalog/",
            "search": f"/catalog/search/?q={quote(args.search)}",
            "detail": f"/catalog/resources/{pk}/",
        }
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"),
                args=[
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--no-first-run",
                ],
            )
            for size_name, (width, height) in SIZES.items():
                context = browser.new_context(
                    viewport={"width": width, "height": height}, locale="zh-CN"
                )
                page = context.new_page()
                page.goto(f"{base}/accounts/login/")
                page.fill("input[name=username]", args.user)
                page.fill("input[name=password]", DEMO_PASSWORD)
                page.click("form[action$='/accounts/login/'] [type=submit]")
                page.wait_for_load_state("networkidle")
                if "/accounts/login/" in page.url:
                    raise RuntimeError(f"could not sign in as {args.user}")
                for page_name, path in pages.items():
                    page.goto(base + path)
                    page.wait_for_load_state("networkidle")
                    target = out / f"{page_name}-{size_name}.png"
                    page.screenshot(path=str(target), full_page=True)
                    print(target.relative_to(ROOT) if target.is_relative_to(ROOT) else target)
                context.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
