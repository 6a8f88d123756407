"""A signed-out visitor is sent to the login page and reads it in Chinese."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Width of a 20px string of four CJK characters: full-width glyphs are 1em each. Without a CJK
# font Chromium draws narrower "tofu" boxes, so this fails when fonts-noto-cjk is missing.
MEASURE = """() => {
  const span = document.createElement("span");
  span.textContent = "登录系统";
  span.style.cssText = "position:absolute;display:inline-block;white-space:nowrap;font-size:20px";
  document.body.appendChild(span);
  const width = span.getBoundingClientRect().width;
  span.remove();
  return width;
}"""


def test_visitor_is_sent_to_login_in_chinese(page, shot):
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.locator("main h1")).to_have_text("登录")
    expect(page.locator("main")).to_contain_text("仅限")
    shot("login-page")
    assert 76 <= page.evaluate(MEASURE) <= 84
