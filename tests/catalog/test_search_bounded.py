"""A broad query is counted and ranked within a bound (catalog.search.search_bounded).

Past ``PORTAL_SEARCH_LISTED_MAX`` matches the page says "more than N", lists N, and ranks
only candidates: the first N matches the index yields and, for several words, the first N
matching every word. Nothing above the viewer's visibility is counted or listed. SQLite and
PostgreSQL.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import Level
from catalog.selectors.browse import CatalogFilters, Sort, resources_listing
from tests import builders

from .helpers import facet_counts, login, page_pks


@pytest.fixture
def world(db, settings):
    settings.PORTAL_SEARCH_LISTED_MAX = 3
    water = builders.department("A市水务局")
    police = builders.department("A市公安局")
    plain = [
        builders.resource(water, name=f"河道水位监测{n}号站", summary="水位") for n in range(4)
    ]
    # Created last, so the scan meets it after the bound: found as a match of every word.
    both = builders.resource(water, name="河道水质监测信息", summary="水位与水质")
    # Above the viewer's clearance and visible only to those cleared: never counted.
    hidden = builders.resource(
        police,
        name="重点河道水位监控",
        summary="水位",
        level=Level.L4,
        catalog_scope="cleared",
        catalog_scope_reason="敏感点位",
    )
    viewer = builders.user(police, clearance=Level.L1)
    other = builders.user(builders.department("A市民政局"), clearance=Level.L1)
    return {"plain": plain, "both": both, "hidden": hidden, "viewer": viewer, "other": other}


def listing(user, query: str, **params: str):
    filters = CatalogFilters.from_params({"q": query, **params}, searching=True)
    return resources_listing(user=user, filters=filters)


def test_a_narrow_query_is_counted_and_ranked_exactly(world):
    found = listing(world["other"], "水质")
    assert (found.count, found.more) == (1, False)
    assert [r.pk for r in found.resources] == [world["both"].pk]


def test_a_broad_query_is_counted_up_to_the_bound(world):
    found = listing(world["other"], "水位")
    assert (found.count, found.more) == (3, True)
    listed = [r.pk for r in found.resources]
    assert len(listed) == 3
    assert world["hidden"].pk not in listed


def test_several_words_keep_the_resource_matching_every_word_first(world):
    # 水位 alone matches five visible entries, more than the bound of three; the one holding
    # both words comes after the bound in the scan, and still ranks first.
    found = listing(world["other"], "水位 水质")
    assert found.more
    assert next(iter(found.resources)).pk == world["both"].pk


def test_other_orders_keep_every_match_in_their_order(world):
    found = listing(world["other"], "水位", sort=Sort.NAME)
    assert (found.count, found.more) == (3, True)
    keys = [r.name_pinyin for r in found.resources]
    assert len(keys) == 5  # the page shows the first `count` of them
    assert keys == sorted(keys)


def test_what_the_viewer_may_not_see_is_not_counted(world):
    cleared = builders.user(world["hidden"].provider, clearance=Level.L4)
    assert listing(cleared, "重点河道").count == 1
    found = listing(world["other"], "重点河道")
    assert (found.count, found.more, list(found.resources)) == (0, False, [])


def test_the_page_says_more_than_and_lists_the_bound(client, world):
    login(client, world["other"])
    response = client.get(reverse("catalog:search"), {"q": "水位"})
    assert response.status_code == 200
    assert response.context["more_than"] == 3
    assert len(page_pks(response)) == 3
    assert "找到超过 3 个资源，列出前 3 个" in response.content.decode()
    # The facets count the same first matches: four of the five, never the hidden one.
    assert "计数范围为前 3 个匹配结果" in response.content.decode()
    assert sum(facet_counts(response, "level").values()) == 4
    # A page past the bound does not exist: the last page is shown.
    last = client.get(reverse("catalog:search"), {"q": "水位", "per_page": 10, "page": 2})
    assert last.context["page_obj"].number == 1

    exact = client.get(reverse("catalog:search"), {"q": "水质"})
    assert exact.context["more_than"] is None
    assert page_pks(exact) == {world["both"].pk}
    assert facet_counts(exact, "level") == {"1": 1}


def test_a_query_with_nothing_searchable_lists_as_an_empty_one(world):
    found = listing(world["other"], "！？——")
    assert (found.count, found.more) == (5, False)  # every visible entry, counted in full
    assert world["hidden"].pk not in {r.pk for r in found.resources}
