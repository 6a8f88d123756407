"""List endpoints cost a fixed number of queries, whatever the page size or the data size."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db.models import Count
from django.utils import timezone

from accounts.models import User
from catalog import synonyms
from catalog.models import DataItem
from sharing import services

from .. import builders
from .conftest import API

pytestmark = pytest.mark.django_db

# Token lookup (user and department joined), roles where the selector needs them, then the
# endpoint's own queries.
LIST_QUERIES = {
    "resources/": 3,  # + roles, + page (item counts in it)
    "resources/?expand=items": 4,  # + roles, + page, + items prefetch
    "grants/": 5,  # + roles, + page, + items prefetch, + items-in-clear prefetch
    "departments/": 2,
    "categories/": 2,
    "code-lists/": 2,  # + page (entry counts joined)
    "systems/": 3,  # + roles (the coordinator also sees retired systems), + page
    "share-requests/": 5,  # + roles, + page, + lines with resources, + lines' items
    "corrections/": 3,  # + roles, + page (resource, item, departments joined)
    "notifications/": 2,  # + page
}


def _more_data(matrix, count: int) -> None:
    prov, cons = matrix.departments["prov"], matrix.departments["cons"]
    requester = User.objects.get(pk=matrix.users["cons_staff_4"].pk)
    today = timezone.localdate()
    for n in range(count):
        resource = builders.resource(prov, level=1, name=f"批量资源{n}")
        builders.grant(resource, cons)
        # A two-line request, a correction and the notifications they send.
        wanted = [
            builders.resource(prov, level=1, name=f"批量申请{n}-{k}", summary="批量申请")
            for k in (1, 2)
        ]
        services.share_requests_submit(
            actor=requester,
            resources=wanted,
            legal_basis="依据",
            purpose="verification",
            scenario="场景",
            valid_from=today,
            valid_until=today + timedelta(days=30),
        )
        services.correction_file(actor=requester, resource=resource, description="数据有误")


@pytest.mark.parametrize("path", sorted(LIST_QUERIES))
def test_list_query_count_is_pinned(matrix, call, path, django_assert_num_queries):
    _more_data(matrix, 6)
    call("coordinator_4", "get", "me/")  # stamp the token's last use outside the measurement
    for page_size in (2, 50):
        with django_assert_num_queries(LIST_QUERIES[path]):
            joiner = "&" if "?" in path else "?"
            response = call("coordinator_4", "get", f"{API}{path}{joiner}page_size={page_size}")
        assert response.status_code == 200
        assert len(response.json()["results"]) <= page_size


@pytest.mark.parametrize("path", ["resources/", "resources/?expand=items"])
def test_resource_list_cost_does_not_grow_with_data(matrix, call, path, django_assert_num_queries):
    call("cons_staff_4", "get", "me/")
    synonyms.dictionary()  # a search reads the synonym dictionary once a minute, not per request
    joiner = "&" if "?" in path else "?"
    with django_assert_num_queries(LIST_QUERIES[path]):
        small = call("cons_staff_4", "get", f"{path}{joiner}page_size=200&search=资源")
    _more_data(matrix, 12)
    with django_assert_num_queries(LIST_QUERIES[path]):
        large = call("cons_staff_4", "get", f"{path}{joiner}page_size=200&search=资源")
    assert len(large.json()["results"]) == len(small.json()["results"]) + 12
    # Counted in the page's query: each resource's items (the detail lists every one).
    rows = large.json()["results"]
    counts = dict(
        DataItem.objects.filter(resource_id__in=[row["id"] for row in rows])
        .values_list("resource_id")
        .annotate(Count("id"))
    )
    assert {row["id"]: row["item_count"] for row in rows} == counts


@pytest.mark.parametrize(
    ("user_key", "path", "query_count"),
    [
        # A department's member (not the coordinator, who sees every request): + whether any
        # resource is delegated to them, asked by the list's visibility filter.
        ("cons_staff_4", "share-requests/?side=made", LIST_QUERIES["share-requests/"] + 1),
        ("prov_approver_4", "share-requests/?side=received", LIST_QUERIES["share-requests/"] + 1),
        ("cons_staff_4", "corrections/", LIST_QUERIES["corrections/"]),
        ("prov_approver_4", "notifications/", LIST_QUERIES["notifications/"]),
    ],
)
def test_sharing_list_cost_does_not_grow_with_data(
    matrix, call, user_key, path, query_count, django_assert_num_queries
):
    call(user_key, "get", "me/")
    _more_data(matrix, 2)
    with django_assert_num_queries(query_count):
        small = call(
            user_key, "get", f"{path}&page_size=200" if "?" in path else f"{path}?page_size=200"
        )
    _more_data(matrix, 5)
    with django_assert_num_queries(query_count):
        large = call(
            user_key, "get", f"{path}&page_size=200" if "?" in path else f"{path}?page_size=200"
        )
    assert len(large.json()["results"]) > len(small.json()["results"])
