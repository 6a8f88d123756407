"""Browse, search and detail pages run a fixed number of queries, whatever the page or data size."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.urls import reverse

from accounts.models import Level
from catalog import synonyms
from catalog.services import resource_update
from tests import builders
from tests.api.test_data_endpoints import audit_lock_queries

from .helpers import login

pytestmark = pytest.mark.django_db

# Every page: session, user, the user's roles (policy), the user's department (page header),
# the unread-notification count in the navigation.
# browse/search: categories, 7 facet GROUP BYs, the paginator's COUNT, the page.
BROWSE_QUERIES = 15
# search: the browse page's, plus the data items of the page's resources (which ones the query
# matched); the synonym dictionary comes from the cache (one query more on a miss, once a minute).
SEARCH_QUERIES = BROWSE_QUERIES + 1
# detail of a conditional resource: the resource with provider, category path and system, items,
# related resources, the department's grant in force; then the published versions and the
# visible ones among the codes their snapshots relate to (version history), and the viewer's
# delegation on the resource (whether to offer "upload data"), and whether the resource is in the
# viewer's request basket ("add to basket" or "open the basket"), and whether the viewer follows
# it ("follow" or "stop following"). The data section's decision on reading the data (a grant of
# the viewer's department in force) also decides the quality section's.
# The interfaces section: the resource's interfaces the viewer sees (its share method 接口).
DETAIL_QUERIES = 15
# detail with the data preview of a granted viewer: DETAIL_QUERIES, plus the preview read
# (the grant with its guardian row in one query, active version, readable items with their
# clear flags, the page, the audit event with savepoint, chain head, insert, release), and the
# active version's quality profile, whatever the number of rows.
PREVIEW_QUERIES = 22
# home: categories, the seven facet GROUP BYs (the browse page's unfiltered counts, cached
# together; see test_facet_cache.py), two recent lists; then "My work" of a staff member
# (portal.work): which of change and decision any resource is delegated to them for (one
# query for both, kept on the request's user: the queues they would have), and a query for
# each queue they have (returned requests, grants ending, unread notifications), all empty here.
HOME_QUERIES = 19


def _unfiltered_saving() -> int:
    """Return how many queries fewer the unfiltered facets take than one per facet (7).

    On PostgreSQL they are one GROUPING SETS scan and the providers' names
    (catalog.selectors.browse._facet_counts_at_once), after the query's matches read as ids
    when there is a query (``_first_matches``); without a query, that for the part every user
    of the clearance sees, and one more scan for the department's own entries (uncached: the
    shared part is counted again, ``PORTAL_FACET_SHARED_SECONDS`` 0). Elsewhere one GROUP BY
    each.
    """
    if connection.vendor != "postgresql":
        return 0
    return 7 - 3


def _populate(count: int, *, start: int = 0) -> list:
    departments = [builders.department() for _ in range(3)]
    categories = ["101", "102", "201", "203"]
    made = []
    for i in range(start, start + count):
        made.append(
            builders.resource(
                departments[i % 3],
                name=f"人口统计资源{i}",
                level=1 + i % 2,
                share_type=("unconditional", "conditional", "none")[i % 3],
                category_code=categories[i % 4],
                items=[builders.item(f"信息项{j}", level=1) for j in range(1 + i % 5)],
            )
        )
    return made


@pytest.fixture
def viewer(db):
    return builders.user(builders.department(), clearance=Level.L2)


@pytest.mark.parametrize("url_name", ["catalog:resource_list", "catalog:search"])
def test_browse_and_search_queries_do_not_grow(
    client, viewer, url_name, django_assert_num_queries, settings
):
    # The uncached page: facet counts are cached for a minute (test_facet_cache.py), and a
    # cache hit only takes queries away.
    settings.PORTAL_FACET_CACHE_SECONDS = settings.PORTAL_FACET_SHARED_SECONDS = 0
    searching = url_name == "catalog:search"
    # Two words, one with synonyms (户口 / 户籍 / 户籍登记) and one that matches nothing.
    params = {"q": "人口 户口 火星"} if searching else {}
    expected = (SEARCH_QUERIES if searching else BROWSE_QUERIES) - _unfiltered_saving()
    synonyms.dictionary()  # the cached dictionary, as every request but one a minute finds it
    login(client, viewer)
    _populate(4)
    with django_assert_num_queries(expected):
        assert client.get(reverse(url_name), {**params, "per_page": 10}).status_code == 200
    _populate(30, start=4)
    for per_page in (10, 100):
        with django_assert_num_queries(expected):
            response = client.get(reverse(url_name), {**params, "per_page": per_page})
        assert len(response.context["resources"]) == min(per_page, 34)
    # Chosen filters: one aggregation per facet (each leaves out its own filter).
    filtered = SEARCH_QUERIES if searching else BROWSE_QUERIES
    with django_assert_num_queries(filtered):
        client.get(reverse(url_name), {**params, "share_type": "conditional", "category": "1"})


def test_detail_queries_do_not_grow(client, viewer, django_assert_num_queries):
    made = _populate(12)
    small, big, rest = made[1], made[4], made[5:]  # both shared on conditions
    resource_update(
        actor=None,
        resource=big,
        items=[builders.item(f"字段{j}") for j in range(40)],
        related=rest,
    )
    resource_update(actor=None, resource=small, related=rest[:1])
    login(client, viewer)
    for resource in (small, big):
        with django_assert_num_queries(DETAIL_QUERIES):
            response = client.get(reverse("catalog:resource_detail", args=[resource.pk]))
        assert response.status_code == 200
    assert len(response.context["detail"].items) == 40


def test_home_queries_do_not_grow(client, viewer, django_assert_num_queries, settings):
    settings.PORTAL_FACET_CACHE_SECONDS = settings.PORTAL_FACET_SHARED_SECONDS = 0  # uncached
    login(client, viewer)
    _populate(3)
    with django_assert_num_queries(HOME_QUERIES - _unfiltered_saving()):
        client.get(reverse("home"))
    _populate(25, start=3)
    with django_assert_num_queries(HOME_QUERIES - _unfiltered_saving()):
        client.get(reverse("home"))


def test_department_and_category_pages_do_not_grow(client, viewer, django_assert_num_queries):
    login(client, viewer)
    made = _populate(6)
    pages = {
        # base 5; the tiles are a fragment cached with the facet counts (a miss costs the facet
        # aggregations and the departments, once a minute per visibility: pinned below)
        reverse("catalog:department_list"): 5,
        # base 5 + department, COUNT, page
        reverse("catalog:department_detail", args=[made[0].provider_id]): 8,
        # base 5 + categories (the counts are the facets' the department list cached; a cold
        # cache costs one aggregation, tests/catalog/test_facet_cache.py)
        reverse("catalog:category_list"): 6,
        # base 5 + category, sub-tree, COUNT, page (the counts as above)
        reverse("catalog:category_detail", args=["1"]): 9,
    }
    for grow in (False, True):
        if grow:
            _populate(30, start=6)
        cache.clear()
        # The facet counts computed: a fixed number.
        with django_assert_num_queries(13 - _unfiltered_saving()):
            client.get(reverse("catalog:department_list"))
        for url, expected in pages.items():
            for per_page in (10, 100):
                with django_assert_num_queries(expected):
                    assert client.get(url, {"per_page": per_page}).status_code == 200


def test_detail_with_data_preview_does_not_grow(client, django_assert_num_queries):
    from datasets import services as data_services
    from sharing.models import Grant

    provider, consumer = builders.department(), builders.department()
    editor = builders.user(provider, clearance=Level.L2, roles=("staff", "editor"))
    resource = builders.resource(
        provider,
        level=1,
        items=[builders.item("编号", level=1, is_key=True), builders.item("名称", level=1)],
    )
    builders.grant(resource, consumer)
    viewer = builders.user(consumer, clearance=Level.L2)
    login(client, viewer)
    url = reverse("catalog:resource_detail", args=[resource.pk])
    for count in (3, 300):
        data_services.dataset_push(
            actor=editor,
            resource=resource,
            rows=[{"编号": f"N{n}", "名称": f"名{n}"} for n in range(count)],
            mode="replace",
            batch_id=f"b{count}",
        )
        with django_assert_num_queries(PREVIEW_QUERIES + audit_lock_queries()):
            response = client.get(url)
        assert len(response.context["preview"].rows) == min(count, 10)
    assert Grant.objects.filter(resource=resource).count() == 1


def test_a_zero_result_search_does_not_grow(client, viewer, django_assert_num_queries, settings):
    # A search that finds nothing: no page and no item query, but one bounded read of candidate
    # names for "did you mean" (at most DID_YOU_MEAN_CANDIDATES, through the search index).
    # On PostgreSQL its facets count no match in one pass, with no providers' names to read.
    settings.PORTAL_FACET_CACHE_SECONDS = settings.PORTAL_FACET_SHARED_SECONDS = 0
    expected = BROWSE_QUERIES - _unfiltered_saving()
    if connection.vendor == "postgresql":
        expected -= 1
    synonyms.dictionary()
    login(client, viewer)
    _populate(3)
    with django_assert_num_queries(expected):
        response = client.get(reverse("catalog:search"), {"q": "人口统计资原"})
    assert response.context["did_you_mean"].startswith("人口统计资源")
    _populate(20, start=3)
    with django_assert_num_queries(expected):
        client.get(reverse("catalog:search"), {"q": "人口统计资原"})
