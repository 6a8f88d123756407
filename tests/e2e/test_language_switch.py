"""The language switch turns the portal to English and back, and the choice sticks.

It is a button per other language: an arrow key on the select that submitted on change
switched the language before.
"""

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

    # Keyboard users move through the header with Tab and arrows: an arrow key changes nothing.
    english = page.locator(".language-form button[value=en]")
    expect(english).to_have_text("English")
    expect(page.locator(".language-form select")).to_have_count(0)
    english.focus()
    for key in ("ArrowDown", "ArrowUp", "ArrowRight"):
        page.keyboard.press(key)
    page.wait_for_timeout(300)  # a submit on change would be under way by now
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.locator("main h1")).to_have_text("查找和共享政务信息资源")

    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("main h1")).to_have_text("Find and share government information resources")
    expect(page.locator("nav[aria-label='Main navigation']")).to_contain_text("Home")
    shot("english")

    page.reload()  # the choice is remembered (language cookie), not a one-off
    expect(page.locator("main h1")).to_have_text("Find and share government information resources")

    expect(page.locator(".language-form button[value=en]")).to_have_count(0)
    page.locator(".language-form button[value=zh-hans]").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.locator("main h1")).to_have_text("查找和共享政务信息资源")
    shot("chinese-again")
