"""The coordinator keeps the working-day calendar in a real browser: 2027 entered and made official.

2027 is not in the seeded calendar (chinese-calendar covers up to 2026), so it starts provisional,
counted from the holiday regulation; the coordinator types the State Council's schedule as
ranges, sees a bad line refused, and marks the year official.
"""

from __future__ import annotations

import re

import pytest
from django.utils.translation import gettext, override, pgettext
from playwright.sync_api import expect

from accounts.models import Level, Role
from tests import builders
from workcalendar.models import CalendarDay, CalendarYear

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

HOLIDAYS = "\n".join(
    [
        "2027-01-01 元旦",
        "2027-02-05 至 2027-02-12 春节",
        "2027-04-03 至 2027-04-05 清明节",
        "2027-05-01 至 2027-05-05 劳动节",
        "2027-06-09 端午节",
        "2027-09-15 中秋节",
        "2027-10-01 至 2027-10-07 国庆节",
    ]
)
WORKDAYS = "2027-02-20 春节\n2027-05-08 劳动节\n2027-09-26 国庆节\n2027-10-09 国庆节"


def _zh(text: str, context: str = "") -> str:
    with override("zh-hans"):
        return pgettext(context, text) if context else gettext(text)


@pytest.fixture
def coordinator():
    bureau = builders.department("市数据局")
    return builders.user(bureau, clearance=Level.L4, roles=(Role.STAFF, Role.COORDINATOR))


def test_coordinator_enters_and_publishes_2027(page, shot, login, coordinator):
    login(page, coordinator)

    page.goto("/")
    page.locator("#portal-main-nav .dropdown-toggle", has_text=_zh("Administration")).click()
    page.locator("#portal-main-nav a", has_text=_zh("Calendar")).click()
    expect(page).to_have_url(re.compile(r"/calendar/$"))
    expect(page.locator("#calendar-years tr[data-year='2026']")).to_contain_text(_zh("Official"))
    shot("years")

    page.fill("#id_year", "2027")
    page.get_by_role("button", name=_zh("Open", "open a year"), exact=True).click()
    expect(page).to_have_url(re.compile(r"/calendar/2027/$"))
    expect(page.locator("#calendar-status")).to_have_text(_zh("Provisional"))
    expect(page.locator("#calendar-provisional-note")).to_be_visible()
    # Provisional: the regulation's holidays are counted, no adjusted working day is known.
    expect(page.locator("td[data-date='2027-10-01']")).to_have_class(re.compile("cal-holiday"))
    expect(page.locator("td[data-kind='workday']")).to_have_count(0)

    page.fill("#id_holidays", HOLIDAYS)
    page.fill("#id_workdays", WORKDAYS)
    page.get_by_role("button", name=_zh("Save the schedule")).click()
    expect(page).to_have_url(re.compile(r"/calendar/2027/$"))
    expect(page.locator(".portal-messages")).to_contain_text("2027")
    expect(page.locator("#calendar-entered")).to_contain_text("2027-02-05 – 2027-02-12 春节")
    expect(page.locator("#calendar-history h2")).to_have_text(
        _zh("History", "changes of a calendar year")
    )
    expect(page.locator("#calendar-history")).to_contain_text(_zh("Schedule entered"))
    # The form starts from what is stored.
    expect(page.locator("#id_holidays")).to_have_value(re.compile("2027-02-05 至 2027-02-12 春节"))
    expect(page.locator(".calendar-month")).to_have_count(12)
    shot("entered")

    # A Wednesday cannot be an adjusted working day: refused, nothing stored.
    page.fill("#id_workdays", WORKDAYS + "\n2027-02-10 春节")
    page.get_by_role("button", name=_zh("Save the schedule")).click()
    error = page.locator("#id_workdays_container .field-errors")
    expect(error).to_contain_text("2027-02-10")
    with override("zh-hans"):
        expected = gettext(
            "%(day)s is a weekday: only a Saturday or a Sunday can be an adjusted working day."
        ) % {"day": "2027-02-10"}
    expect(error).to_contain_text(expected)
    assert not CalendarDay.objects.filter(day="2027-02-10", kind="workday").exists()
    shot("bad-line")

    page.fill("#id_notice", "国办发明电〔2026〕7号")
    page.locator("#calendar-make-official button[type=submit]").click()
    expect(page.locator("#calendar-status")).to_have_text(_zh("Official"))
    expect(page.locator("#calendar-official-info")).to_contain_text("国办发明电〔2026〕7号")
    # Official: the stored days are counted; the Saturday worked for 春节 is marked.
    saturday = page.locator("td[data-date='2027-02-20']")
    expect(saturday).to_have_class(re.compile("cal-adjusted"))
    expect(saturday).to_have_attribute("title", "春节")
    expect(page.locator("td[data-date='2027-02-12']")).to_have_class(re.compile("cal-holiday"))
    history = page.locator("#calendar-history li")
    expect(history).to_have_count(2)
    expect(history.first).to_contain_text(_zh("Made official"))
    expect(history.first).to_contain_text(coordinator.username)
    expect(history.nth(1)).to_contain_text("2027-10-01 至 2027-10-07 国庆节")
    assert CalendarYear.objects.get(year=2027).official
    shot("official")

    # Readable on a phone: twelve months one under another, nothing wider than the screen.
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    expect(page.locator(".calendar-month").first).to_be_visible()
    width = page.evaluate("document.querySelector('#calendar-months').scrollWidth")
    assert width <= 390
    cell = page.locator("td[data-date='2027-02-20']").bounding_box()
    assert cell is not None and cell["width"] >= 36
    shot("phone")
