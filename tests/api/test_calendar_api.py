"""GET /api/v1/calendar/{year}/ and the provisional flag on deadlines."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from tests.sharing.conftest import submit
from workcalendar import services

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("user_key", ["prov_staff_1", "cons_staff_3", "coordinator_4", "auditor_2"])
def test_every_token_reads_an_official_year(call, user_key):
    answer = call(user_key, "get", "calendar/2026/")
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["year"] == 2026 and body["official"] is True
    assert body["source"].startswith("chinese-calendar")
    days = {d["date"]: (d["kind"], d["name"]) for d in body["days"]}
    assert days["2026-10-01"] == ("holiday", "国庆节")
    assert days["2026-10-10"][0] == "workday"


def test_a_year_not_official_shows_the_regulations_holidays(call):
    body = call("cons_staff_3", "get", "calendar/2027/").json()
    assert body["official"] is False and body["source"] == "holidays"
    days = {d["date"]: d["kind"] for d in body["days"]}
    assert days["2027-01-01"] == "holiday" and "2027-02-05" in days
    assert all(kind == "holiday" for kind in days.values())


def test_an_official_2027_is_served_as_entered(call, matrix):
    coordinator = matrix.users["coordinator_4"]
    services.year_schedule_enter(
        actor=coordinator,
        year=2027,
        holidays_text="2027-01-01 元旦",
        workdays_text="2027-02-20 春节",
    )
    assert call("cons_staff_3", "get", "calendar/2027/").json()["official"] is False
    services.year_make_official(actor=coordinator, year=2027, notice="国办发明电")
    body = call("cons_staff_3", "get", "calendar/2027/").json()
    assert body["official"] is True and body["notice"] == "国办发明电"
    assert [(d["date"], d["kind"]) for d in body["days"]] == [
        ("2027-01-01", "holiday"),
        ("2027-02-20", "workday"),
    ]


def test_anonymous_callers_and_absurd_years_are_refused(call):
    assert APIClient().get("/api/v1/calendar/2026/").status_code in (401, 403)
    assert call("cons_staff_3", "get", "calendar/1900/").status_code == 404
    assert call("cons_staff_3", "get", "calendar/99999/").status_code == 404
    assert call("cons_staff_3", "post", "calendar/2026/", {}).status_code == 405


def test_deadlines_say_when_they_are_provisional(call, matrix, monkeypatch):
    moment = timezone.make_aware(datetime.combine(date(2026, 12, 24), time(10)))
    monkeypatch.setattr(timezone, "now", lambda: moment)
    (request,) = submit(matrix.users["cons_staff_3"], matrix.resources["pub_cond_1"])
    body = call("cons_staff_3", "get", f"share-requests/{request.pk}/").json()
    assert body["deadline"] == "2027-01-08" and body["deadline_provisional"] is True
    answer = call(
        "cons_staff_3",
        "post",
        "corrections/",
        {"resource": matrix.resources["pub_unc_1"].pk, "description": "数据有误"},
    )
    assert answer.status_code == 201, answer.content
    assert answer.json()["deadline_provisional"] is True
    assert answer.json()["due_date"] == "2027-01-08"
