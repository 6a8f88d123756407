"""No query carries a list of ids that grows with the city.

PostgreSQL's driver takes at most 65,535 parameters in one statement; at city scale an ``IN`` list
of every published resource passes it and the page answers 500. Tests cannot build a city, so
they pin the shape instead: the longest ``IN`` list a page sends stays the same when the data
grows (or stays within the chunk the code reads in).
"""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accountability.selectors.duplicates import duplicate_groups
from accounts.models import Level, Role
from tests import builders

from .catalog.helpers import login

pytestmark = pytest.mark.django_db

_IN_LIST = re.compile(r"\bIN \(([^()]*)\)", re.IGNORECASE)


def longest_in_list(queries: list[dict]) -> int:
    """Return the number of values in the longest ``IN (...)`` list among the queries."""
    longest = 0
    for query in queries:
        for values in _IN_LIST.findall(query["sql"]):
            if "SELECT" not in values.upper():
                longest = max(longest, values.count(",") + 1)
    return longest


def _resources(count: int, department) -> None:
    for i in range(count):
        builders.resource(
            department,
            name=f"户籍登记{i}",
            items=[builders.item("公民身份号码", level=1), builders.item(f"字段{i}", level=1)],
        )


def test_the_export_reads_the_catalog_in_chunks(client, settings):
    settings.PORTAL_EXPORT_CHUNK = 4
    department = builders.department("出口局")
    editor = builders.user(department, clearance=Level.L4, roles=(Role.STAFF, Role.EDITOR))
    _resources(11, department)
    login(client, editor)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("catalog:resource_export"), {"format": "csv"})
        assert response.status_code == 200
        # The CSV streams: its queries run as the body is read.
        body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body.decode("utf-8-sig").count("户籍登记") == 11  # every resource, across chunks
    assert 0 < longest_in_list(captured.captured_queries) <= 4


def test_the_duplicate_report_sends_no_list_of_resources():
    coordinator = builders.user(
        builders.department("数据局"), clearance=Level.L4, roles=(Role.STAFF, Role.COORDINATOR)
    )
    first, second = builders.department("甲局"), builders.department("乙局")
    _resources(2, first)
    _resources(2, second)
    with CaptureQueriesContext(connection) as small:
        groups = duplicate_groups(user=coordinator)
    _resources(9, first)
    _resources(9, second)
    with CaptureQueriesContext(connection) as large:
        grown = duplicate_groups(user=coordinator)
    assert [g.resource_count for g in groups if "公民身份号码" in g.names] == [4]
    assert [g.resource_count for g in grown if "公民身份号码" in g.names] == [22]
    assert longest_in_list(large.captured_queries) == longest_in_list(small.captured_queries)
