"""On a phone and with the keyboard: what the demo's people could not see or use before.

- A keyboard user tabbing into the navigation sees where focus is: a ring of at least 2 px
  with at least 3:1 contrast against the navigation bar (it was Bootstrap's faint shadow).
- At 390×844 the catalog's filters come before the results, behind a "筛选" button at the top
  (they sat below every result).
- At 390×844 the approver's inbox shows each request's deadline, 剩余/超期 working days, on
  screen: each request is a card (the table scrolled its deadline columns out of sight).
- The coordinator's 24-column report keeps its headers readable: no header squeezed to one
  character per line.
"""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from accounts.models import User

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def _luminance(rgb: tuple[int, ...]) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(a: str, b: str) -> float:
    la, lb = (_luminance(tuple(int(n) for n in re.findall(r"\d+", c)[:3])) for c in (a, b))
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


def _sign_in(page, login, username: str) -> None:
    page.context.clear_cookies()
    login(page, User.objects.get(username=username))


def test_phone_and_keyboard_users_see_focus_filters_deadlines_and_headers(page, shot, login):
    call_command("load_demo", stdout=StringIO())

    # Keyboard focus on the navigation: a visible ring.
    _sign_in(page, login, "mz_staff")
    page.set_viewport_size(DESKTOP)
    page.goto("/")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("() => !!document.activeElement.closest('.portal-nav .nav-link')"):
            break
    else:
        pytest.fail("Tab never reached the navigation")
    ring = page.evaluate(
        """() => {
            const el = document.activeElement, style = getComputedStyle(el);
            return {width: parseFloat(style.outlineWidth), style: style.outlineStyle,
                    colour: style.outlineColor,
                    background: getComputedStyle(el.closest('.portal-nav')).backgroundColor};
        }"""
    )
    shot("focus-ring")
    assert ring["style"] != "none" and ring["width"] >= 2, ring
    assert _contrast(ring["colour"], ring["background"]) >= 3, ring

    # The catalog on a phone: the filters' button comes first; opened, the filters too.
    page.set_viewport_size(PHONE)
    page.goto("/catalog/")
    toggle = page.get_by_role("button", name="筛选")
    facets = page.locator("#catalog-facets nav.facets")
    first_result = page.locator(".resource-card").first
    expect(toggle).to_be_visible()
    expect(facets).to_be_hidden()
    toggle_box, result_box = toggle.bounding_box(), first_result.bounding_box()
    assert toggle_box and result_box and toggle_box["y"] < result_box["y"]
    assert toggle_box["y"] < PHONE["height"]  # on the first screen
    toggle.click()
    expect(facets).to_be_visible()
    facets_box, result_box = facets.bounding_box(), first_result.bounding_box()
    assert facets_box and result_box and facets_box["y"] < result_box["y"]
    shot("catalog-filters-on-a-phone")

    # The approver's inbox on a phone: every request shows its deadline on screen.
    _sign_in(page, login, "ga_approver")
    page.goto("/sharing/inbox/")
    deadlines = page.locator("main table tbody td[data-deadline]")
    assert deadlines.count() > 0
    for index in range(deadlines.count()):
        cell = deadlines.nth(index)
        cell.scroll_into_view_if_needed()
        expect(cell).to_be_visible()
        expect(cell).to_contain_text(re.compile(r"(剩余|超期)\d+个工作日|—"))
        box = cell.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 1, box
    # Each line is labelled, from the column's header (data-label, shown by ::before).
    label = deadlines.first.evaluate("el => getComputedStyle(el, '::before').content")
    assert label == '"剩余工作日"', label
    shot("inbox-on-a-phone")

    # The report's 24 headers: none squeezed to one character a line.
    _sign_in(page, login, "coordinator")
    page.set_viewport_size(DESKTOP)
    page.goto("/accountability/report/?period=2026")
    headers = page.evaluate(
        """() => Array.from(document.querySelectorAll('#report thead th')).map(th => {
            const s = getComputedStyle(th);
            const inner = th.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
            const height = th.clientHeight - parseFloat(s.paddingTop) - parseFloat(s.paddingBottom);
            return {text: th.textContent.trim(), chars: inner / parseFloat(s.fontSize),
                    lines: Math.round(height / parseFloat(s.lineHeight))};
        })"""
    )
    shot("report")
    # The keyboard can reach the region to scroll it sideways.
    region = page.locator("div.table-responsive:has(#report)")
    expect(region).to_have_attribute("tabindex", "0")
    expect(region).to_have_accessible_name(re.compile("数据共享考核"))
    assert len(headers) >= 20
    for header in headers:
        assert header["chars"] >= 5, header  # at least five characters a line
        assert header["lines"] <= 3, header
