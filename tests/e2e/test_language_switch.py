"""The language switch turns the portal to English and back, and the choice sticks."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from accounts.models import Level

from .. import builders

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_language_switch_to_english_and_back(page, shot, login):
    staff = builders.user(builders.department("市人力资源和社会保障局"), clearance=Level.L3)
    login(page, staff)

    page.goto("/")
    expect(page.locator("main h1")).to_have_text("查找和共享政务信息资源")
    shot("chinese")

    page.locator("#language-select").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("main h1")).to_have_text("Find and share government information resources")
    expect(page.locator("nav[aria-label='Main navigation']")).to_contain_text("Home")
    shot("english")

    page.reload()  # the choice is remembered (language cookie), not a one-off
    expect(page.locator("main h1")).to_have_text("Find and share government information resources")

    page.locator("#language-select").select_option("zh-hans")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.locator("main h1")).to_have_text("查找和共享政务信息资源")
    shot("chinese-again")
