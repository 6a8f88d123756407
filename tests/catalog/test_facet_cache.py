"""Facet counts are cached per visibility and filters, and never shared across what users see."""

from __future__ import annotations

import pytest

from accounts.models import Level, Role
from catalog.models import Category
from catalog.search import search_match
from catalog.selectors import browse
from catalog.selectors.browse import CatalogFilters
from tests import builders

pytestmark = pytest.mark.django_db


def _levels(user, **params) -> dict[str, int]:
    facets = browse.catalog_facets(user=user, filters=CatalogFilters.from_params(params))
    level = next(f for f in facets if f.key == "level")
    return {option.value: option.count for option in level.options}


@pytest.fixture
def city():
    a = builders.department("市甲局")
    b = builders.department("市乙局")
    builders.resource(a, level=Level.L1)
    builders.resource(a, level=Level.L3, catalog_scope="cleared")  # hidden below L3
    builders.resource(a, level=Level.L1, status="draft")
    return {
        "a_l4": builders.user(a, clearance=Level.L4),
        "b_l4": builders.user(b, clearance=Level.L4),
        "b_l1": builders.user(b, clearance=Level.L1),
        "coordinator": builders.user(b, clearance=Level.L4, roles=(Role.STAFF, Role.COORDINATOR)),
        "a": a,
    }


@pytest.fixture
def per_user_layer(settings):
    """Test the per-user counts alone: the shared part (PostgreSQL) is counted every time."""
    settings.PORTAL_FACET_SHARED_SECONDS = 0


def test_a_second_page_view_reads_the_counts_from_the_cache(city, django_assert_num_queries):
    user = city["b_l4"]
    first = _levels(user)
    with django_assert_num_queries(1):  # the categories only; no count query
        assert _levels(user) == first


def test_users_who_see_different_resources_never_share_counts(city):
    # The L4 user of the provider fills the cache first; everyone else must get their own.
    assert _levels(city["a_l4"]) == {"1": 2, "3": 1}  # its own draft included
    assert _levels(city["b_l4"]) == {"1": 1, "3": 1}
    assert _levels(city["b_l1"]) == {"1": 1}  # nothing of the L3 resource, not even a count
    assert _levels(city["coordinator"]) == {"1": 1, "3": 1}


def test_filters_have_their_own_counts(city):
    user = city["b_l4"]
    assert _levels(user) == {"1": 1, "3": 1}
    assert _levels(user, provider=str(city["b_l4"].department_id)) == {}


def test_counts_follow_new_resources_after_the_cache_time(per_user_layer, city, settings):
    user = city["b_l4"]
    assert _levels(user) == {"1": 1, "3": 1}
    builders.resource(city["a"], level=Level.L1)
    assert _levels(user) == {"1": 1, "3": 1}  # cached: within a minute
    settings.PORTAL_FACET_CACHE_SECONDS = 0
    assert _levels(user) == {"1": 2, "3": 1}


def test_the_home_page_shares_the_browse_pages_counts(city, django_assert_num_queries):
    user = city["b_l4"]
    _levels(user)  # the catalog's first page fills the cache
    # The two recent lists; the counts come from the cache, the categories only when rendered.
    with django_assert_num_queries(2):
        overview = browse.catalog_overview(user=user)
    assert overview.total == 2
    assert overview.department_count == 1
    with django_assert_num_queries(1):
        assert [node.count for node in overview.categories if node.count] == [2]


def _home_total(client, user) -> str:
    import re

    client.force_login(user)
    html = client.get("/").content.decode()
    found = re.search(r'data-stat="total">(\d+)<', html)
    assert found is not None
    return found[1]


def test_the_home_pages_rendered_counts_are_kept_per_visibility(client, city):
    # The provider's L4 user renders the block first; nobody else may get that fragment.
    assert _home_total(client, city["a_l4"]) == "3"  # its own draft too
    assert _home_total(client, city["b_l1"]) == "1"
    assert _home_total(client, city["b_l4"]) == "2"
    assert _home_total(client, city["coordinator"]) == "2"


def test_a_cached_home_block_reads_no_categories(client, city):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(city["b_l4"])
    assert client.get("/").status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    assert not [q for q in queries.captured_queries if 'FROM "catalog_category"' in q["sql"]]


def test_the_provider_facet_lists_the_largest_providers_and_the_chosen_one(city, settings):
    settings.PORTAL_FACET_CACHE_SECONDS = 0
    departments = [builders.department(f"区{n}局") for n in range(browse.PROVIDER_FACET_SIZE + 5)]
    for n, department in enumerate(departments):
        for _ in range(2 if n < browse.PROVIDER_FACET_SIZE else 1):
            builders.resource(department, level=Level.L1)
    user = city["b_l4"]

    def provider_facet(**params):
        filters = CatalogFilters.from_params(params)
        facets = browse.catalog_facets(user=user, filters=filters)
        return next(f for f in facets if f.key == "provider")

    facet = provider_facet()
    assert len(facet.options) == browse.PROVIDER_FACET_SIZE
    assert facet.hidden == 6  # five small districts and 市甲局 (one visible resource each)
    chosen = provider_facet(provider=str(departments[-1].pk))
    assert chosen.options[-1].value == str(departments[-1].pk)
    assert chosen.options[-1].selected


def _rendered_levels(client, user, query: str = "") -> dict[str, str]:
    """Return the level facet's value -> count as the page renders it (the cached fragment)."""
    import re

    from django.urls import reverse

    client.force_login(user)
    html = client.get(reverse("catalog:resource_list") + query).content.decode()
    block = re.search(r'data-facet="level">(.*?)</ul>', html, re.S)
    assert block is not None
    return dict(
        re.findall(r'data-value="(\d)"><span>[^<]*</span><span class="facet-count">(\d+)', block[1])
    )


def test_the_rendered_facets_are_kept_per_visibility_and_query(client, city):
    # The provider's L4 user renders the block first; nobody else may get that fragment.
    assert _rendered_levels(client, city["a_l4"]) == {"1": "2", "3": "1"}
    assert _rendered_levels(client, city["b_l1"]) == {"1": "1"}
    assert _rendered_levels(client, city["b_l4"]) == {"1": "1", "3": "1"}
    # Another query string renders its own links (and its own counts).
    provider = f"?provider={city['a'].pk}"
    html_links = _rendered_levels(client, city["b_l4"], provider)
    assert html_links == {"1": "1", "3": "1"}
    page = client.get("/catalog/" + provider).content.decode()
    assert (
        f"provider={city['a'].pk}&amp;level=1" in page
        or f"level=1&amp;provider={city['a'].pk}" in page
    )


def test_a_cached_facet_block_builds_no_facets(client, city):
    from django.urls import reverse
    from django.utils.functional import empty

    client.force_login(city["b_l4"])
    url = reverse("catalog:resource_list")
    first = client.get(url)
    assert first.status_code == 200
    second = client.get(url)
    # The fragment came from the cache: the lazy facets were never built.
    assert second.context["facets"]._wrapped is empty

    def block(response) -> str:
        html = response.content.decode()
        return html[
            html.index('<nav class="facets"') : html.index(
                "</nav>", html.index('<nav class="facets"')
            )
        ]

    assert block(second) == block(first)


def _listed(client, user, **params):
    from django.urls import reverse

    client.force_login(user)
    response = client.get(reverse("catalog:resource_list"), params)
    assert response.status_code == 200
    return response.context["page_obj"]


def test_the_catalog_page_counts_its_list_from_the_facets(client, city, settings):
    settings.PORTAL_SEARCH_LISTED_MAX = 1  # every list here counts as long
    user = city["b_l4"]
    for n in range(5):
        builders.resource(city["a"], level=Level.L1, share_type="unconditional" if n else "none")
    page = _listed(client, user, per_page=10)
    assert page.paginator.count == 7 == len(page.object_list)
    # The same count as the facets beside it, for every filter, per visibility.
    assert _listed(client, user, share_type="unconditional").paginator.count == 4
    assert _listed(client, user, share_type="none").paginator.count == 1
    assert _listed(client, user, level="3").paginator.count == 1
    assert _listed(client, city["b_l1"], level="3").paginator.count == 0
    assert _listed(client, city["a_l4"]).paginator.count == 8  # and its own draft
    # A second view reads the count from the cache: the list's page query only, no COUNT.
    client.force_login(user)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get("/catalog/", {"per_page": 10})
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    assert not [sql for sql in counts if '"__count"' in sql and '"catalog_resource"' in sql]


def test_a_count_a_minute_old_never_hides_the_last_rows(client, city, settings):
    settings.PORTAL_SEARCH_LISTED_MAX = 3  # five resources make a long list
    user = city["b_l4"]
    for _ in range(8):
        builders.resource(city["a"], level=Level.L1)
    assert _listed(client, user, per_page=10).paginator.count == 10  # a full last page
    for _ in range(2):
        builders.resource(city["a"], level=Level.L1)  # published within the cached minute
    page = _listed(client, user, per_page=10)
    assert page.paginator.count == 10  # the facets' minute
    assert len(page.object_list) == 12  # but the (last) page lists every row it has


def test_a_short_list_is_counted_live(client, city):
    # Below the bound the list is counted as it is now, not as the facets' minute saw it.
    user = city["b_l4"]
    assert _listed(client, user, share_type="none").paginator.count == 0
    builders.resource(city["a"], level=Level.L1, share_type="none")  # published just now
    page = _listed(client, user, share_type="none")
    assert page.paginator.count == 1 == len(page.object_list)


def _tree_total(user) -> int:
    return sum(node.count for node in browse.category_tree(user=user))


def test_the_category_tree_counts_per_visibility_and_reuses_the_facets(
    city, django_assert_num_queries
):
    # Each user's own count, whoever filled the cache first: the key is the facets' key.
    assert _tree_total(city["a_l4"]) == 3  # its own draft included
    assert _tree_total(city["b_l4"]) == 2
    assert _tree_total(city["b_l1"]) == 1  # the L3 entry is not even counted
    with django_assert_num_queries(1):  # the categories; the counts come from the cache
        assert _tree_total(city["b_l1"]) == 1
    # A browse page's facet counts serve the tree, and the tree's serve nothing else.
    user = city["coordinator"]
    _levels(user)
    with django_assert_num_queries(1):
        assert _tree_total(user) == 2
    children = browse.category_children_counts(
        user=city["b_l1"], category=browse.category_get(code="1")
    )
    assert sum(node.count for node in children) == 1


# --- counts past their minute: shown while the task worker recounts them (kernel.stale) ------

REFRESH_TASK = "catalog.tasks.facet_counts_refresh_task"


@pytest.fixture
def clock(monkeypatch):
    """Move the clock the kept counts (and the per-process cache's expiry) are read by."""
    import time

    real = time.time
    offset = {"seconds": 0.0}
    monkeypatch.setattr(time, "time", lambda: real() + offset["seconds"])

    def advance(seconds: float) -> None:
        offset["seconds"] += seconds

    return advance


@pytest.fixture
def task_queue(settings):
    """Queue tasks in the database, as production does, for the test to run by hand."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "counts"]}
    }


def _queued() -> list:
    from django_tasks_db.models import DBTaskResult

    return list(DBTaskResult.objects.filter(task_path=REFRESH_TASK))


def _run_queued() -> None:
    from catalog.selectors.browse import facet_counts_refresh

    for result in _queued():
        user_id, values, part = result.args_kwargs["args"]
        facet_counts_refresh(user_id=user_id, values=values, part=part)
        result.delete()


def test_old_counts_are_shown_while_one_recount_is_queued(
    per_user_layer, city, clock, settings, task_queue
):
    user = city["b_l4"]
    assert _levels(user) == {"1": 1, "3": 1}
    builders.resource(city["a"], level=Level.L1)
    clock(settings.PORTAL_FACET_CACHE_SECONDS + 1)
    # Past the minute: the old counts, at once, and one recount for the worker.
    assert _levels(user) == {"1": 1, "3": 1}
    assert _levels(user) == {"1": 1, "3": 1}
    assert len(_queued()) == 1
    _run_queued()
    assert _levels(user) == {"1": 2, "3": 1}  # the worker's counts, fresh again
    assert _queued() == []


def test_a_recount_is_of_what_the_user_may_see_now_and_for_them_only(
    city, clock, settings, task_queue
):
    low, high = city["b_l1"], city["b_l4"]
    assert _levels(low) == {"1": 1}
    assert _levels(high) == {"1": 1, "3": 1}
    clock(settings.PORTAL_FACET_CACHE_SECONDS + 1)
    assert _levels(low) == {"1": 1}  # queues the low user's recount
    _run_queued()
    assert _levels(low) == {"1": 1}  # still nothing of the L3 resource
    assert _levels(high) == {"1": 1, "3": 1}


def test_a_deactivated_users_recount_counts_nothing(city, clock, settings):
    from catalog.selectors.browse import facet_counts_refresh

    user = city["b_l4"]
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert facet_counts_refresh(user_id=user.pk, values={}, part="facets") is False


def test_counts_far_past_their_minute_are_recounted_by_the_request(
    per_user_layer, city, clock, settings, task_queue
):
    user = city["b_l4"]
    assert _levels(user) == {"1": 1, "3": 1}
    builders.resource(city["a"], level=Level.L1)
    # No worker ran: past the minute and the stale seconds the request counts itself.
    clock(settings.PORTAL_FACET_CACHE_SECONDS + settings.PORTAL_FACET_STALE_SECONDS + 1)
    assert _levels(user) == {"1": 2, "3": 1}
    assert _queued() == []


def test_without_stale_seconds_the_request_recounts_after_the_minute(
    per_user_layer, city, clock, settings
):
    settings.PORTAL_FACET_STALE_SECONDS = 0
    user = city["b_l4"]
    assert _levels(user) == {"1": 1, "3": 1}
    builders.resource(city["a"], level=Level.L1)
    clock(settings.PORTAL_FACET_CACHE_SECONDS + 1)
    assert _levels(user) == {"1": 2, "3": 1}
    assert _queued() == []


def test_a_queue_that_fails_leaves_the_page_with_the_old_counts(city, clock, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("queue down")

    user = city["b_l4"]
    assert _levels(user) == {"1": 1, "3": 1}
    monkeypatch.setattr(browse, "_ask_refresh", broken)
    clock(61)
    assert _levels(user) == {"1": 1, "3": 1}
    assert "could not ask for a refresh" in caplog.text


def test_the_category_tree_recounts_behind_the_request(city, clock, settings, task_queue):
    user = city["b_l4"]
    first = browse.visible_category_counts(user=user)
    assert sum(first.values()) == 2
    builders.resource(city["a"], level=Level.L1)
    clock(settings.PORTAL_FACET_CACHE_SECONDS + 1)
    assert browse.visible_category_counts(user=user) == first
    assert [r.args_kwargs["args"][2] for r in _queued()] == ["categories"]
    _run_queued()
    assert sum(browse.visible_category_counts(user=user).values()) == 3


def test_the_worker_task_recounts_with_the_filters_it_was_given(city, clock, settings):
    # The immediate backend runs the task as the real worker would: arguments through JSON.
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default", "counts"],
        }
    }
    user = city["b_l4"]
    params = {"sort": "published", "share_type": "unconditional"}
    assert _levels(user, **params) == {}
    builders.resource(city["a"], level=Level.L1, share_type="unconditional")
    clock(settings.PORTAL_FACET_CACHE_SECONDS + 1)
    assert _levels(user, **params) == {}  # served old; the task recounted behind it
    assert _levels(user, **params) == {"1": 1}


def test_a_departments_long_list_is_counted_from_the_providers_facet(client, city, settings):
    # Past listed_max() the department's page takes its count from the unfiltered facets'
    # provider counts: of what each viewer may see, and never from another viewer's entry.
    settings.PORTAL_SEARCH_LISTED_MAX = 1
    from django.urls import reverse

    url = reverse("catalog:department_detail", args=[city["a"].pk])

    def counted(user) -> int:
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        return response.context["page_obj"].paginator.count

    assert counted(city["a_l4"]) == 3  # its own draft and the L3 entry too
    assert counted(city["b_l4"]) == 2
    assert counted(city["b_l1"]) == 1  # the L3 entry is not counted for an L1 viewer
    assert counted(city["coordinator"]) == 2


def test_the_unfiltered_facets_counted_in_one_pass_agree_with_one_count_each(city):
    # PostgreSQL counts the unfiltered facets in one GROUPING SETS scan; it must give what one
    # aggregation per facet gives, for every kind of viewer.
    from django.db import connection

    from catalog.selectors import resources_visible_to

    if connection.vendor != "postgresql":
        pytest.skip("GROUPING SETS: PostgreSQL only")
    builders.resource(
        city["a"], level=Level.L2, share_type="unconditional", open_type="conditional"
    )
    builders.resource(builders.department("市丙局"), level=Level.L1, update_cycle="monthly")
    unfiltered = CatalogFilters.from_params({})
    for key in ("a_l4", "b_l4", "b_l1", "coordinator"):
        visible = resources_visible_to(user=city[key])
        at_once = browse._facet_counts_at_once(visible)
        each = browse._facet_counts_each(visible, unfiltered)
        assert at_once.choices == each.choices, key
        assert at_once.categories == each.categories, key
        assert at_once.providers == each.providers, key
        assert at_once.choices["level"]  # not vacuous


def test_a_query_s_facets_counted_in_one_pass_agree_with_one_count_each(city, settings):
    # With a query and no facet chosen, PostgreSQL reads the query's matches once (as ids)
    # and counts every facet over them in one pass: the same as one aggregation per facet
    # while the query matches fewer than the list's bound.
    from django.db import connection

    from catalog.selectors import resources_visible_to

    if connection.vendor != "postgresql":
        pytest.skip("GROUPING SETS: PostgreSQL only")
    for i in range(4):
        builders.resource(city["a"], name=f"户籍人口{i}", level=Level.L1 + i % 3)
    builders.resource(builders.department("市丙局"), name="户籍登记", update_cycle="monthly")
    builders.resource(city["a"], name="企业名录")  # matches nothing
    builders.resource(city["a"], name="户籍核查", level=Level.L3, catalog_scope="cleared")
    searched = CatalogFilters.from_params({"q": "户籍"})
    for key in ("a_l4", "b_l4", "b_l1", "coordinator"):
        visible = resources_visible_to(user=city[key])
        once = browse._facet_counts(city[key], searched)
        each = browse._facet_counts_each(visible, searched)
        assert once.choices == each.choices, key
        assert once.categories == each.categories, key
        assert once.providers == each.providers, key
        matches = search_match(visible, "户籍").count()
        assert sum(once.choices["level"].values()) == matches > 0, key
    # The L1 viewer does not count the entry cleared for L3 and above.
    b_l1 = browse._facet_counts(city["b_l1"], searched)
    b_l4 = browse._facet_counts(city["b_l4"], searched)
    assert sum(b_l1.choices["level"].values()) == sum(b_l4.choices["level"].values()) - 1


def test_a_broad_query_s_facets_all_count_its_first_matches(city, settings):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the facets of a broad query in one pass: PostgreSQL only")
    settings.PORTAL_SEARCH_LISTED_MAX = 3
    other = builders.department("市丙局")
    for i in range(8):  # the provider and the category go together
        provider, code = ((city["a"], "101"), (other, "201"))[i % 2]
        builders.resource(provider, name=f"户籍人口{i}", category_code=code)
    counts = browse._facet_counts(city["b_l4"], CatalogFilters.from_params({"q": "户籍"}))
    # Every facet counts the same four (the bound and one) of the eight matches.
    for name, by_value in counts.choices.items():
        assert sum(by_value.values()) == 4, name
    by_provider = {pk: n for pk, _name, n in counts.providers}
    by_category = {
        code: counts.categories.get(Category.objects.get(code=code).pk, 0)
        for code in ("101", "201")
    }
    assert by_provider == {city["a"].pk: by_category["101"], other.pk: by_category["201"]}


def _postgresql_only() -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the shared part of the unfiltered facets: PostgreSQL only")


def test_unfiltered_facets_from_the_shared_part_agree_with_one_count_each(city):
    _postgresql_only()
    from catalog.selectors import resources_visible_to

    a = city["a"]
    builders.resource(a, level=Level.L4, catalog_scope="cleared", status="draft")
    builders.resource(a, level=Level.L2, share_type="unconditional", status="submitted")
    builders.resource(a, level=Level.L1, status="retired")
    builders.resource(builders.department("市丙局"), level=Level.L2, status="submitted")
    viewers = {**city, "a_l1": builders.user(a, clearance=Level.L1)}
    unfiltered = CatalogFilters.from_params({})
    for key in ("a_l1", "a_l4", "b_l4", "b_l1", "coordinator"):
        counted = browse._facet_counts(viewers[key], unfiltered)
        each = browse._facet_counts_each(resources_visible_to(user=viewers[key]), unfiltered)
        assert counted.choices == each.choices, key
        assert counted.categories == each.categories, key
        assert counted.providers == each.providers, key
    # The L1 user of the provider counts its own L4 draft; the L4 user of another does not.
    a_l1 = browse._facet_counts(viewers["a_l1"], unfiltered).choices["level"]
    b_l4 = browse._facet_counts(city["b_l4"], unfiltered).choices["level"]
    assert a_l1.get(Level.L4) == 1 and b_l4.get(Level.L4) is None


def test_departments_of_one_clearance_count_the_city_once(city, django_assert_num_queries):
    _postgresql_only()
    unfiltered = CatalogFilters.from_params({})
    browse._facet_counts(city["a_l4"], unfiltered)  # counts the L4 staff's shared part
    city["b_l4"].has_role(Role.COORDINATOR)  # a request has read the user's roles already
    city["b_l1"].has_role(Role.COORDINATOR)
    with django_assert_num_queries(1):  # the other department's own entries only (none)
        counted = browse._facet_counts(city["b_l4"], unfiltered)
    assert counted.choices["level"] == {Level.L1: 1, Level.L3: 1}
    with django_assert_num_queries(3):  # an L1 viewer: its shared part, its names, its own
        browse._facet_counts(city["b_l1"], unfiltered)


def test_the_worker_recounts_the_shared_part_behind_the_request(city, clock, settings, task_queue):
    _postgresql_only()
    unfiltered = CatalogFilters.from_params({})
    assert browse._facet_counts(city["b_l4"], unfiltered).choices["level"] == {1: 1, 3: 1}
    builders.resource(city["a"], level=Level.L3, catalog_scope="cleared")
    clock(settings.PORTAL_FACET_SHARED_SECONDS + 1)
    # Past its time the old shared part is served and one recount queued.
    assert browse._facet_counts(city["b_l4"], unfiltered).choices["level"] == {1: 1, 3: 1}
    assert len(_queued()) == 1
    _run_queued()
    assert browse._facet_counts(city["b_l4"], unfiltered).choices["level"] == {1: 1, 3: 2}
