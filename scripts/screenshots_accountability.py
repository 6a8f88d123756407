"""Take the evaluation screenshots in docs/screenshots/ with headless Chromium.

Like scripts/screenshots.py: a throwaway SQLite database with the demo plus
``demo.accountability.load_accountability_demo``, the development server on a loopback port,
a sign-in through the login form as the coordinator (the second factor is switched off for
this throwaway server only), then the dashboard, a department's scorecard and a service item.

    .venv/bin/python scripts/screenshots_accountability.py [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from screenshots import DEMO_PASSWORD, PYTHON, ROOT, free_port, manage, wait_until_up


def shell(env: dict[str, str], code: str) -> str:
    return manage(env, "shell", "-c", code).strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--department", default="市公安局", help="the scorecard's department")
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
    shell(env, "from demo.accountability import load_accountability_demo as f; print(f())")
    dept = shell(
        env,
        f"from accounts.models import Department; print(Department.objects.get(name={args.department!r}).pk)",
    )
    item = shell(
        env,
        "from accountability.models import ServiceItem; "
        "print(ServiceItem.objects.order_by('code').last().pk)",
    )
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [PYTHON, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    pages = {
        "accountability-dashboard": "/accountability/dashboard/",
        "accountability-scorecard": f"/accountability/departments/{dept}/",
        "accountability-service-item": f"/accountability/service-items/{item}/",
        "accountability-duplicates": "/accountability/duplicates/",
    }
    try:
        wait_until_up(base)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"),
                args=["--no-sandbox", "--disable-gpu", "--no-first-run"],
            )
            context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
            page = context.new_page()
            page.goto(f"{base}/accounts/login/")
            page.fill("input[name=username]", "coordinator")
            page.fill("input[name=password]", DEMO_PASSWORD)
            page.click("form[action$='/accounts/login/'] [type=submit]")
            page.wait_for_load_state("networkidle")
            for name, path in pages.items():
                page.goto(base + path)
                page.wait_for_load_state("networkidle")
                target = out / f"{name}-desktop.png"
                page.screenshot(path=str(target), full_page=True)
                print(target)
            context.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
