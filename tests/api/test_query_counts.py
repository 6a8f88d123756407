"""List endpoints cost a fixed number of queries, whatever the page size or the data size."""

from __future__ import annotations

import pytest

from .. import builders
from .conftest import API

pytestmark = pytest.mark.django_db

# Token lookup (user and department joined), roles where the selector needs them, then the
# endpoint's own queries.
LIST_QUERIES = {
    "resources/": 4,  # + roles, + page, + items prefetch
    "grants/": 4,  # + roles, + page, + items prefetch
    "departments/": 2,
    "categories/": 2,
    "systems/": 3,  # + roles (the coordinator also sees retired systems), + page
}


def _more_data(matrix, count: int) -> None:
    prov, cons = matrix.departments["prov"], matrix.departments["cons"]
    for n in range(count):
        resource = builders.resource(prov, level=1, name=f"批量资源{n}")
        builders.grant(resource, cons)


@pytest.mark.parametrize("path", sorted(LIST_QUERIES))
def test_list_query_count_is_pinned(matrix, call, path, django_assert_num_queries):
    _more_data(matrix, 6)
    call("coordinator_4", "get", "me/")  # stamp the token's last use outside the measurement
    for page_size in (2, 50):
        with django_assert_num_queries(LIST_QUERIES[path]):
            response = call("coordinator_4", "get", f"{API}{path}?page_size={page_size}")
        assert response.status_code == 200
        assert len(response.json()["results"]) <= page_size


def test_resource_list_cost_does_not_grow_with_data(matrix, call, django_assert_num_queries):
    call("cons_staff_4", "get", "me/")
    with django_assert_num_queries(LIST_QUERIES["resources/"]):
        small = call("cons_staff_4", "get", "resources/?page_size=200&search=资源")
    _more_data(matrix, 12)
    with django_assert_num_queries(LIST_QUERIES["resources/"]):
        large = call("cons_staff_4", "get", "resources/?page_size=200&search=资源")
    assert len(large.json()["results"]) == len(small.json()["results"]) + 12
