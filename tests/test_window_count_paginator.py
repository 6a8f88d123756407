"""``kernel.keyset.WindowCountPaginator``: Django's pages, counted on the page's own query."""

from __future__ import annotations

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Department
from kernel.keyset import WindowCountPaginator
from tests import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def departments():
    for n in range(7):
        builders.department(name=f"窗口计数测试部门{n}")
    return Department.objects.filter(name__startswith="窗口计数测试部门").order_by("-name", "pk")


@pytest.mark.parametrize("asked", ["1", "2", "3", "4", "99", "0", "-1", "x", None, "2.0"])
def test_pages_are_djangos(departments, asked):
    ours = WindowCountPaginator(departments, 3).get_page(asked)
    theirs = Paginator(departments, 3).get_page(asked)
    assert [d.pk for d in ours] == [d.pk for d in theirs]
    assert ours.number == theirs.number
    assert ours.paginator.count == theirs.paginator.count == 7
    assert ours.paginator.num_pages == 3
    assert (ours.has_next(), ours.has_previous()) == (theirs.has_next(), theirs.has_previous())


def test_an_empty_list_has_one_empty_page():
    page = WindowCountPaginator(Department.objects.none().order_by("pk"), 3).get_page("2")
    assert list(page) == [] and page.number == 1 and page.paginator.count == 0


def test_a_page_is_two_queries_and_counts_no_more(departments):
    with CaptureQueriesContext(connection) as queries:
        page = WindowCountPaginator(departments, 3).get_page("2")
        assert page.paginator.count == 7 and len(page) == 3
    assert len(queries.captured_queries) == 2  # the ids with the count, then the rows
    assert "OVER" in queries.captured_queries[0]["sql"]
