"""Request, correction and inbox pages say when a deadline is provisional."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from sharing import services as sharing_services
from tests.sharing.conftest import submit
from workcalendar import services

pytestmark = pytest.mark.django_db

BADGE = "暂定"


def _page(client, user, url):
    client.force_login(user)
    answer = client.get(url)
    assert answer.status_code == 200
    return answer.content.decode()


def test_provisional_deadlines_are_marked_until_the_year_is_official(client, matrix, freeze):
    freeze(date(2026, 12, 24))
    requester, approver = matrix.users["cons_staff_3"], matrix.users["prov_approver_4"]
    (request,) = submit(requester, matrix.resources["pub_cond_1"])
    correction = sharing_services.correction_file(
        actor=requester, resource=matrix.resources["pub_unc_1"], description="数据有误"
    )
    pages = [
        (requester, reverse("sharing:request_detail", args=[request.pk])),
        (approver, reverse("sharing:request_detail", args=[request.pk])),
        (approver, reverse("sharing:inbox")),
        (requester, reverse("sharing:request_list")),
        (requester, reverse("sharing:correction_detail", args=[correction.pk])),
        (matrix.users["prov_editor_4"], reverse("sharing:correction_list")),
    ]
    for user, url in pages:
        page = _page(client, user, url)
        assert "2027-01-08" in page and BADGE in page, url

    coordinator = matrix.users["coordinator_4"]
    services.year_schedule_enter(
        actor=coordinator, year=2027, holidays_text="2027-01-01 元旦", workdays_text=""
    )
    services.year_make_official(actor=coordinator, year=2027)
    for user, url in pages:
        page = _page(client, user, url)
        assert "2027-01-08" in page and BADGE not in page, url


def test_a_deadline_inside_an_official_year_is_not_marked(client, matrix, freeze):
    freeze(date(2026, 9, 30))
    (request,) = submit(matrix.users["cons_staff_3"], matrix.resources["pub_cond_1"])
    assert request.due_date == date(2026, 10, 20)
    page = _page(
        client,
        matrix.users["cons_staff_3"],
        reverse("sharing:request_detail", args=[request.pk]),
    )
    assert "2026-10-20" in page and BADGE not in page


def test_an_overdue_request_says_overdue_not_a_negative_time_left(client, matrix, freeze):
    freeze(date(2026, 9, 30))
    (request,) = submit(matrix.users["cons_staff_3"], matrix.resources["pub_cond_1"])
    url = reverse("sharing:request_detail", args=[request.pk])
    freeze(date(2026, 10, 16))  # due 10-20: two working days left
    page = _page(client, matrix.users["cons_staff_3"], url)
    assert "剩余2个工作日" in page.replace(" ", "")
    freeze(date(2026, 10, 23))  # three working days after the deadline
    page = _page(client, matrix.users["cons_staff_3"], url).replace(" ", "")
    assert "超期3个工作日" in page and "剩余-" not in page
