"""Who sees which evaluation page: coordinator, department admin, staff, other departments."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from .conftest import PERIOD


@pytest.fixture
def city(city_once, db):
    """The city, built once for this module: its tests only request pages."""
    return city_once


CITY_PAGES = [
    ("accountability:dashboard", {}),
    ("accountability:report", {}),
    ("accountability:report_xlsx", {}),
    ("accountability:duplicates", {}),
    ("accountability:zombies", {}),
    ("accountability:unconfirmed_systems", {}),
    ("accountability:request_drilldown", {}),
    ("accountability:correction_drilldown", {}),
]


def get(client, user, url):
    client.force_login(user)
    return client.get(url)


@pytest.mark.parametrize("name,kwargs", CITY_PAGES)
@pytest.mark.parametrize(
    "user_key,status",
    [
        ("coordinator", 200),
        ("a_admin", 404),
        ("a_approver", 404),
        ("a_staff", 404),
        ("b_staff", 404),
        ("auditor", 404),
    ],
)
def test_city_pages_are_the_coordinators(client, city, name, kwargs, user_key, status):
    response = get(client, city.users[user_key], reverse(name, kwargs=kwargs) + f"?period={PERIOD}")
    assert response.status_code == status


@pytest.mark.parametrize(
    "user_key,department,status",
    [
        ("coordinator", "a", 200),
        ("coordinator", "c", 200),
        ("a_admin", "a", 200),  # a department admin sees their own department's scorecard
        ("a_admin", "b", 404),
        ("b_admin", "a", 404),
        ("a_staff", "a", 404),
        ("a_approver", "a", 404),
        ("c_staff", "c", 404),
        ("auditor", "a", 404),
    ],
)
def test_scorecard_access(client, city, user_key, department, status):
    dept = getattr(city, department)
    url = reverse("accountability:scorecard", args=[dept.pk]) + f"?period={PERIOD}"
    assert get(client, city.users[user_key], url).status_code == status


def test_anonymous_is_sent_to_sign_in(client, city):
    response = client.get(reverse("accountability:dashboard"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_index_sends_each_role_to_its_page(client, city):
    index = reverse("accountability:index")
    assert get(client, city.users["coordinator"], index)["Location"] == reverse(
        "accountability:dashboard"
    )
    assert get(client, city.users["a_admin"], index)["Location"] == reverse(
        "accountability:scorecard", args=[city.a.pk]
    )
    assert get(client, city.users["a_staff"], index).status_code == 404


@pytest.mark.parametrize("kind", ["received", "overdue", "unfounded", "open"])
def test_department_admin_drills_into_own_requests_only(client, city, kind):
    url = reverse("accountability:request_drilldown")
    own = get(
        client, city.users["a_admin"], f"{url}?period={PERIOD}&department={city.a.pk}&kind={kind}"
    )
    assert own.status_code == 200
    other = get(
        client, city.users["b_admin"], f"{url}?period={PERIOD}&department={city.a.pk}&kind={kind}"
    )
    assert other.status_code == 404
    city_wide = get(client, city.users["a_admin"], f"{url}?period={PERIOD}&kind={kind}")
    assert city_wide.status_code == 404


def test_drilldown_lists_exactly_the_requests_behind_the_number(client, city):
    client.force_login(city.users["coordinator"])
    url = reverse("accountability:request_drilldown")
    response = client.get(f"{url}?period={PERIOD}&department={city.a.pk}&kind=overdue")
    listed = {r.pk for r in response.context["page_obj"]}
    assert listed == {city.requests["r2"].pk, city.requests["r4"].pk}
    response = client.get(f"{url}?period={PERIOD}&department={city.a.pk}&kind=unfounded")
    assert {r.pk for r in response.context["page_obj"]} == {city.requests["r2"].pk}
    url = reverse("accountability:correction_drilldown")
    response = client.get(f"{url}?period={PERIOD}&department={city.a.pk}&kind=overdue")
    assert {c.pk for c in response.context["page_obj"]} == {
        city.corrections["c2"].pk,
        city.corrections["c3"].pk,
    }


@pytest.mark.parametrize("bad", ["2026-Q5", "26", "2026-13", "<script>", "1999"])
def test_a_bad_period_says_so_and_shows_the_current_year(client, city, bad):
    client.force_login(city.users["coordinator"])
    response = client.get(reverse("accountability:dashboard"), {"period": bad})
    assert response.status_code == 200
    assert response.context["period_error"]
    assert "<script>" not in response.content.decode().split("<main", 1)[-1].replace(
        "&lt;script&gt;", ""
    )


@pytest.mark.parametrize("kind", ["nonsense", ""])
def test_an_unknown_drilldown_kind_is_404(client, city, kind):
    client.force_login(city.users["coordinator"])
    url = reverse("accountability:request_drilldown")
    assert client.get(f"{url}?period={PERIOD}&kind={kind or 'x'}").status_code == 404
    assert client.get(f"{url}?period={PERIOD}&department=abc").status_code == 404


def test_navigation_links_by_role(client, city):
    client.force_login(city.users["coordinator"])
    home = client.get("/").content.decode()
    index = f'href="{reverse("accountability:index")}"'
    assert index in home
    client.force_login(city.users["a_admin"])
    assert index in client.get("/").content.decode()
    client.force_login(city.users["a_staff"])
    home = client.get("/").content.decode()
    assert index not in home
    assert reverse("accountability:service_item_list") in home


def test_resource_drilldown_lists_the_resources_behind_each_figure(client, city):
    url = reverse("accountability:resource_drilldown")
    expected = {
        "on_time": {"daily_on_time", "monthly_on_time", "yearly_on_time"},
        "late": {"daily_late", "weekly_after"},
        "missing": {"weekly_missing", "quarterly_missing"},
        "waiting": {"submitted"},
    }
    for user_key in ("coordinator", "a_admin"):
        client.force_login(city.users[user_key])
        for kind, keys in expected.items():
            response = client.get(url, {"period": PERIOD, "department": city.a.pk, "kind": kind})
            listed = {r.pk for r in response.context["page_obj"]}
            assert listed == {city.resources[k].pk for k in keys}, (user_key, kind)
    # The numbers on the scorecard link to these lists.
    page = client.get(
        reverse("accountability:scorecard", args=[city.a.pk]), {"period": PERIOD}
    ).content.decode()
    assert f"department={city.a.pk}&kind=missing" in page
    # Another department's admin, staff, and a missing department: 404.
    for user_key in ("b_admin", "a_staff"):
        client.force_login(city.users[user_key])
        response = client.get(url, {"period": PERIOD, "department": city.a.pk, "kind": "late"})
        assert response.status_code == 404
    client.force_login(city.users["coordinator"])
    assert client.get(url, {"period": PERIOD, "kind": "late"}).status_code == 404


def test_resource_drilldown_lists_the_most_recently_changed_first(client, city):
    from datetime import timedelta

    from catalog.models import Resource

    url = reverse("accountability:resource_drilldown")
    keys = ["daily_on_time", "monthly_on_time", "yearly_on_time"]
    now = timezone.now()
    for age, key in enumerate(reversed(keys)):
        Resource.objects.filter(pk=city.resources[key].pk).update(
            updated_at=now - timedelta(days=age)
        )
    client.force_login(city.users["coordinator"])
    response = client.get(url, {"period": PERIOD, "department": city.a.pk, "kind": "on_time"})
    listed = [r.pk for r in response.context["page_obj"]]
    assert listed == [city.resources[k].pk for k in reversed(keys)]
    assert not response.context["page_obj"].paginator.capped
    assert client.get(url, {"department": city.a.pk, "kind": "bogus"}).status_code == 404


def test_dashboard_labels_say_what_each_overdue_figure_counts(client, city):
    # The period's figure (answered late or left unanswered) beside today's open list: each
    # label names its own scope, so "3" next to "none" no longer reads as a contradiction.
    client.force_login(city.users["coordinator"])
    page = client.get(reverse("accountability:dashboard"), {"period": PERIOD}).content.decode()
    assert "本期逾期申请" in page and "本期逾期纠错" in page
    assert "含超期答复和超期未答复" in page
    assert "当前超期未答复的申请（全市）" in page
    assert "当前超期未答复的纠错（全市）" in page
    assert "全市逾期申请" not in page
