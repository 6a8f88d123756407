"""A staff user (no second factor) logs in through the form and lands on the home page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from accounts.models import Level

from .. import builders

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_staff_logs_in_through_the_form(page, shot, live_server):
    department = builders.department("市民政局")
    staff = builders.user(department, clearance=Level.L2, username="mz_staff")
    staff.full_name = "周民政"
    staff.save(update_fields=["full_name"])

    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill("mz_staff")
    page.locator("input[name=password]").fill("wrong-password-2026")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main .alert-danger")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    shot("wrong-password")

    page.locator("input[name=username]").fill("mz_staff")
    page.locator("input[name=password]").fill(builders.PASSWORD)
    shot("filled-in")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator("main h1")).to_have_text("查找和共享政务信息资源")
    expect(page.locator(".topbar-user")).to_contain_text("周民政")
    expect(page.locator(".topbar-user")).to_contain_text("市民政局")
    shot("home")
