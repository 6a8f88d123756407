"""The dashboard's and the scorecard's queries do not grow with departments or data."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accountability.periods import parse_period
from accountability.selectors.scorecards import scorecards_compute
from tests import builders

from .conftest import PERIOD


def _count(client, url) -> int:
    client.get(url)  # warm up: the first request of a session loads what later ones reuse
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _grow(city, n: int) -> None:
    """Add departments, each with a published resource, a request and a grant."""
    for _ in range(n):
        dept = builders.department()
        resource = builders.resource(dept)
        builders.grant(resource, city.b)
        builders.resource(city.a, name=f"加{dept.pk}")


def test_scorecards_compute_in_thirteen_queries(city, django_assert_num_queries):
    with django_assert_num_queries(13):
        scorecards_compute(max_level=4, period=parse_period(PERIOD))


def test_dashboard_does_not_grow_with_departments(client, city):
    client.force_login(city.users["coordinator"])
    url = reverse("accountability:dashboard") + f"?period={PERIOD}"
    before = _count(client, url)
    _grow(city, 5)
    assert _count(client, url) == before


def test_scorecard_and_report_do_not_grow_with_departments(client, city):
    client.force_login(city.users["coordinator"])
    urls = [
        reverse("accountability:scorecard", args=[city.a.pk]) + f"?period={PERIOD}",
        reverse("accountability:report") + f"?period={PERIOD}",
        reverse("accountability:report_xlsx") + f"?period={PERIOD}",
        reverse("accountability:duplicates"),
        reverse("accountability:zombies"),
        reverse("accountability:request_drilldown") + f"?period={PERIOD}&kind=received",
    ]
    before = [_count(client, url) for url in urls]
    _grow(city, 4)
    assert [_count(client, url) for url in urls] == before


def test_service_item_pages_do_not_grow_with_items_or_materials(client, city):
    from accountability.models import ServiceItem, ServiceMaterial

    def add_items(n: int) -> ServiceItem:
        item = None
        for _ in range(n):
            item = ServiceItem.objects.create(
                code=f"Q-{ServiceItem.objects.count()}", name="事项", department=city.a
            )
            for position, key in enumerate(["res_r1", "res_c1", "draft"]):
                ServiceMaterial.objects.create(
                    item=item,
                    position=position,
                    name=f"材料{position}",
                    resource=city.resources[key],
                )
            item.produces.add(city.resources["res_g1"])
        return item

    client.force_login(city.users["c_staff"])
    item = add_items(2)
    urls = [
        reverse("accountability:service_item_list"),
        reverse("accountability:service_item_detail", args=[item.pk]),
    ]
    before = [_count(client, url) for url in urls]
    add_items(5)
    for position in range(3, 9):
        ServiceMaterial.objects.create(
            item=item, position=position, name=f"材料{position}", resource=city.resources["res_r2"]
        )
    assert [_count(client, url) for url in urls] == before
