"""Take one screenshot set per role in docs/screenshots/roles/ with headless Chromium.

Like scripts/screenshots.py: a throwaway SQLite database with the demo, the development server
on a loopback port (DEBUG off, static files collected), a sign-in through the login form (the
second factor is switched off for this throwaway server only). Each demo account stands for a
role; for each, the pages that role works in are captured at desktop (1280×900) and phone
(390×844) widths as ``<role>-<page>-<size>.jpg``, and docs/screenshots/roles/README.md lists them.

    .venv/bin/python scripts/screenshots_roles.py [--out docs/screenshots/roles]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from screenshots import DEMO_PASSWORD, PYTHON, ROOT, SIZES, free_port, manage, wait_until_up

# role: (demo account, {page name: path}). "home" is the role's start page ("My work").
ROLES: dict[str, tuple[str, dict[str, str]]] = {
    "staff": (
        "mz_staff",
        {"home": "/", "catalog": "/catalog/", "requests": "/sharing/requests/"},
    ),
    "district-staff": (
        "qx_staff",
        {"home": "/", "catalog": "/catalog/", "grants": "/sharing/grants/"},
    ),
    "editor": (
        "ga_editor",
        {
            "home": "/",
            "resources": "/catalog/manage/resources/",
            "new": "/catalog/manage/resources/new/",
        },
    ),
    "approver": (
        "ga_approver",
        {"home": "/", "inbox": "/sharing/inbox/", "grants": "/sharing/grants/"},
    ),
    "department-admin": (
        "ga_admin",
        {
            "home": "/",
            "members": "/accounts/department/users/",
            "account": "/accounts/me/",
        },
    ),
    "coordinator": (
        "coordinator",
        {
            "home": "/",
            "dashboard": "/accountability/dashboard/",
            "needs": "/needs/",
            "calendar": "/calendar/",
        },
    ),
    "security-admin": ("security", {"home": "/", "users": "/accounts/users/"}),
    "system-admin": ("sysadmin", {"home": "/", "departments": "/accounts/departments/"}),
    "auditor": ("auditor", {"home": "/", "audit-log": "/audit/", "chain": "/audit/chain/"}),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots" / "roles"))
    parser.add_argument("--role", action="append", help="only these roles (repeatable)")
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
        "PORTAL_TWO_FACTOR_REQUIRED": "0",
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    manage(env, "compile_translations")
    manage(env, "collectstatic", "--noinput")
    manage(env, "migrate", "--noinput")
    manage(env, "load_demo")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [PYTHON, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    taken: list[tuple[str, str, str, str]] = []
    try:
        wait_until_up(base)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"),
                args=["--no-sandbox", "--disable-gpu", "--no-first-run"],
            )
            for role, (username, pages) in ROLES.items():
                if args.role and role not in args.role:
                    continue
                for size_name, (width, height) in SIZES.items():
                    context = browser.new_context(
                        viewport={"width": width, "height": height}, locale="zh-CN"
                    )
                    page = context.new_page()
                    page.goto(f"{base}/accounts/login/")
                    page.fill("input[name=username]", username)
                    page.fill("input[name=password]", DEMO_PASSWORD)
                    page.click("form[action$='/accounts/login/'] [type=submit]")
                    page.wait_for_load_state("networkidle")
                    if "/accounts/login/" in page.url:
                        raise RuntimeError(f"could not sign in as {username}")
                    for page_name, path in pages.items():
                        response = page.goto(base + path)
                        if response is None or response.status != 200:
                            status = response.status if response else "no answer"
                            raise RuntimeError(f"{path} answered {status} to {username}")
                        page.wait_for_load_state("networkidle")
                        name = f"{role}-{page_name}-{size_name}.jpg"
                        # JPEG: a full page of text at quality 80 is a fifth of the PNG.
                        page.screenshot(
                            path=str(out / name), full_page=True, type="jpeg", quality=80
                        )
                        taken.append((role, username, path, name))
                        print(out / name)
                    context.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    if not args.role:
        lines = [
            "# Screenshots by role",
            "",
            "Taken from the demo by `scripts/screenshots_roles.py` (desktop 1280×900, phone 390×844).",
            "",
            "| role | account | page | desktop | phone |",
            "|---|---|---|---|---|",
        ]
        for role, username, path, name in taken:
            if name.endswith("-desktop.jpg"):
                phone = name.replace("-desktop.jpg", "-phone.jpg")
                lines.append(
                    f"| {role} | `{username}` | `{path}` | [desktop]({name}) | [phone]({phone}) |"
                )
        (out / "README.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
