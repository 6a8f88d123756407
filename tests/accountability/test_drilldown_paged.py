"""The request drill-down classifies a page at a time and still lists exactly the figure's rows.

The drill-down used to classify every request of the period and send their ids back in one
query. It now reads the requests in the page's order, with a filter per figure that every row
the figure keeps passes, and classifies until the page is full: these tests hold it to the old
answer for every figure, across pages, and pin its query count as the department grows.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accountability.periods import parse_period
from accountability.selectors.dashboard import REQUEST_KINDS, drilldown_requests
from accountability.selectors.facts import REQUEST_FIELDS, classify_request, received_requests
from kernel.keyset import CappedPaginator
from sharing.models import ShareRequest
from tests import builders
from tests.sharing.conftest import submit

from .conftest import PERIOD, at

pytestmark = pytest.mark.django_db


def _expected(user, department_id, kind) -> list[int]:
    """Every request of the period the figure keeps, newest first, classified the old way."""
    period = parse_period(PERIOD)
    as_of = period.as_of()
    rows = (
        received_requests(
            max_level=user.clearance,
            start=period.start_at,
            end=min(period.end_at, as_of),
            provider_id=department_id,
        )
        .order_by("-submitted_at", "-pk")
        .values(*REQUEST_FIELDS)
    )
    return [row["pk"] for row in rows if REQUEST_KINDS[kind](classify_request(row, as_of))]


@pytest.mark.parametrize("kind", sorted(REQUEST_KINDS))
@pytest.mark.parametrize("department", ["a", "b", None])
def test_every_figure_lists_what_classifying_the_whole_period_lists(city, kind, department):
    coordinator = city.users["coordinator"]
    department_id = getattr(city, department).pk if department else None
    rows = drilldown_requests(
        user=coordinator, period=parse_period(PERIOD), kind=kind, department_id=department_id
    )
    expected = _expected(coordinator, department_id, kind)
    # Page by page, with a page of two, and the count the paginator shows.
    paginator = CappedPaginator(rows, 2)
    listed = [r.pk for n in paginator.page_range for r in paginator.page(n)]
    assert listed == expected
    assert (paginator.count, paginator.capped) == (len(expected), False)


def test_the_count_stops_at_the_cap(city):
    rows = drilldown_requests(
        user=city.users["coordinator"], period=parse_period(PERIOD), kind="open"
    )
    expected = _expected(city.users["coordinator"], None, "open")
    assert len(expected) >= 2
    paginator = CappedPaginator(rows, 1, cap=1)
    assert (paginator.count, paginator.capped) == (1, True)
    assert [r.pk for r in paginator.page(1)] == expected[:1]


def test_a_department_admin_never_sees_another_departments_requests(client, city):
    client.force_login(city.users["a_admin"])
    url = reverse("accountability:request_drilldown")
    theirs = set(_expected(city.users["coordinator"], city.b.pk, "received"))
    for kind in sorted(REQUEST_KINDS):
        response = client.get(url, {"period": PERIOD, "department": city.a.pk, "kind": kind})
        listed = {r.pk for r in response.context["page_obj"]}
        assert not listed & theirs, kind
        assert all(r.provider_id == city.a.pk for r in response.context["page_obj"]), kind


@pytest.mark.parametrize("kind", ["received", "overdue"])
def test_the_page_costs_the_same_queries_when_the_department_grows(client, city, kind):
    client.force_login(city.users["coordinator"])
    url = reverse("accountability:request_drilldown")
    params = {"period": PERIOD, "department": city.a.pk, "kind": kind}
    client.get(url, params)
    with CaptureQueriesContext(connection) as small:
        before = client.get(url, params).context["page_obj"].paginator.count
    for n in range(6):
        resource = builders.resource(city.a, name=f"增长的资源{n}")
        (request,) = submit(city.users["b_staff"], resource)
        # Submitted in the period, due before its end and unanswered: received and overdue.
        ShareRequest.objects.filter(pk=request.pk).update(
            submitted_at=at(2026, 11, 2 + n), due_date=date(2026, 11, 20)
        )
    with CaptureQueriesContext(connection) as large:
        response = client.get(url, params)
    assert response.context["page_obj"].paginator.count == before + 6
    assert len(large.captured_queries) == len(small.captured_queries)
