"""Every catalog page against the access matrix: nobody sees what they may not see, anywhere."""

from __future__ import annotations

from collections import Counter

import pytest
from django.urls import reverse

from catalog.models import DataItem, Resource
from catalog.services import resource_update
from datasets.selectors import DataAccess
from tests.access_matrix import AccessMatrix
from tests.sampling import page_pair_sampled

from .helpers import facet_counts, login, page_pks

pytestmark = pytest.mark.django_db


def _active_users(matrix: AccessMatrix):
    for key, user in matrix.users.items():
        if matrix.user_specs[key].active:
            yield key, user


def _visible_pks(matrix: AccessMatrix, user_key: str) -> set[int]:
    return {matrix.resources[r].pk for r in matrix.visible_keys(user_key)}


def _hidden_keys(matrix: AccessMatrix, user_key: str) -> set[str]:
    return set(matrix.resources) - matrix.visible_keys(user_key)


def _name(key: str) -> str:
    return f"矩阵资源{key}"


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/catalog/",
        "/catalog/search/?q=人口",
        "/catalog/resources/1/",
        "/catalog/departments/",
        "/catalog/departments/1/",
        "/catalog/categories/",
        "/catalog/categories/101/",
    ],
)
def test_anonymous_is_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_inactive_user_is_sent_to_login(client, matrix):
    login(client, matrix.users["prov_inactive_4"])
    response = client.get(reverse("catalog:resource_list"))
    assert response.status_code == 302


def test_browse_lists_exactly_the_visible_resources(client, matrix):
    for key, user in _active_users(matrix):
        response = login(client, user).get(reverse("catalog:resource_list"), {"per_page": 100})
        assert response.status_code == 200
        assert page_pks(response) == _visible_pks(matrix, key), key
        assert response.context["page_obj"].paginator.count == len(matrix.visible_keys(key))
        html = response.content.decode()
        for hidden in _hidden_keys(matrix, key):
            assert _name(hidden) not in html, (key, hidden)


def test_facet_counts_are_the_visible_counts(client, matrix):
    for key, user in _active_users(matrix):
        visible = matrix.visible_keys(key)
        specs = [matrix.resource_specs[r] for r in visible]
        response = login(client, user).get(reverse("catalog:resource_list"))
        assert facet_counts(response, "share_type") == dict(Counter(s.share_type for s in specs))
        assert facet_counts(response, "level") == {
            str(level): n for level, n in Counter(s.level for s in specs).items()
        }
        assert facet_counts(response, "provider") == {
            str(matrix.departments[p].pk): n for p, n in Counter(s.provider for s in specs).items()
        }
        # Every matrix resource is in category 101 with the same format, cycle and openness.
        expected_all = {"1": len(specs), "101": len(specs)} if specs else {}
        assert facet_counts(response, "category") == expected_all, key
        single = {k: len(specs) for k in ("database",)} if specs else {}
        assert facet_counts(response, "format_class") == single
        assert sum(facet_counts(response, "update_cycle").values()) == len(specs)
        assert sum(facet_counts(response, "open_type").values()) == len(specs)


def test_facet_counts_follow_the_other_filters(client, matrix):
    user = matrix.users["cons_staff_3"]
    response = login(client, user).get(
        reverse("catalog:resource_list"), {"share_type": "conditional"}
    )
    visible = [matrix.resource_specs[r] for r in matrix.visible_keys("cons_staff_3")]
    conditional = [s for s in visible if s.share_type == "conditional"]
    # The chosen facet still counts every value; the others count within the choice.
    assert facet_counts(response, "share_type") == dict(Counter(s.share_type for s in visible))
    assert facet_counts(response, "level") == {
        str(level): n for level, n in Counter(s.level for s in conditional).items()
    }
    assert page_pks(response) == {matrix.resources[s.key].pk for s in conditional}


def test_search_finds_only_visible_resources(client, matrix):
    for key, user in _active_users(matrix):
        login(client, user)
        response = client.get(reverse("catalog:search"), {"q": "矩阵资源", "per_page": 100})
        assert page_pks(response) == _visible_pks(matrix, key), key
        assert response.context["page_obj"].paginator.count == len(matrix.visible_keys(key))
        assert sum(facet_counts(response, "share_type").values()) == len(matrix.visible_keys(key))
        for resource_key in ("pub_none_4", "draft_2", "other_draft_1", "submitted_2"):
            response = client.get(reverse("catalog:search"), {"q": _name(resource_key)})
            found = matrix.resources[resource_key].pk in page_pks(response)
            assert found == matrix.expect_view(key, resource_key), (key, resource_key)
            if not found:  # the query is echoed back; no link to the resource may be
                url = reverse("catalog:resource_detail", args=[matrix.resources[resource_key].pk])
                assert url not in response.content.decode()


def test_detail_is_404_exactly_when_not_visible(client, matrix):
    users = list(matrix.users)
    for key, user in _active_users(matrix):
        login(client, user)
        for r, (resource_key, resource) in enumerate(matrix.resources.items()):
            if not page_pair_sampled(users.index(key), r):
                continue
            response = client.get(reverse("catalog:resource_detail", args=[resource.pk]))
            expected = 200 if matrix.expect_view(key, resource_key) else 404
            assert response.status_code == expected, (key, resource_key)
            if expected == 404:
                assert _name(resource_key) not in response.content.decode()


def test_detail_offers_the_fitting_data_action(client, matrix):
    users, resources = list(matrix.users), list(matrix.resources)
    for key, user in _active_users(matrix):
        login(client, user)
        for resource_key in matrix.visible_keys(key):
            if not page_pair_sampled(users.index(key), resources.index(resource_key)):
                continue
            resource = matrix.resources[resource_key]
            response = client.get(reverse("catalog:resource_detail", args=[resource.pk]))
            access = response.context["access"]
            assert f'data-state="{access}"' in response.content.decode(), (key, resource_key)
            readable = access in (DataAccess.OWN, DataAccess.UNCONDITIONAL, DataAccess.GRANTED)
            assert readable == matrix.expect_read(key, resource_key), (key, resource_key, access)
            spec = matrix.resource_specs[resource_key]
            if not readable and spec.status == "published":
                expected = (
                    DataAccess.REQUEST
                    if spec.share_type == "conditional"
                    else DataAccess.NOT_SHARED
                )
                assert access == expected, (key, resource_key)
    login(client, matrix.users["cons_staff_3"])
    none_1 = client.get(
        reverse("catalog:resource_detail", args=[matrix.resources["pub_none_1"].pk])
    )
    assert "《中华人民共和国保守国家秘密法》第三十一条" in none_1.content.decode()
    granted = client.get(
        reverse("catalog:resource_detail", args=[matrix.resources["pub_cond_3"].pk])
    )
    assert granted.context["access"] == DataAccess.GRANTED
    assert granted.context["grant"] is not None


def test_related_resources_show_only_visible_ones(client, matrix):
    hub = matrix.resources["pub_unc_1"]
    others = [r for k, r in matrix.resources.items() if k != "pub_unc_1"]
    resource_update(actor=None, resource=hub, related=others)
    for key, user in _active_users(matrix):
        response = login(client, user).get(reverse("catalog:resource_detail", args=[hub.pk]))
        if not matrix.expect_view(key, "pub_unc_1"):  # a user without a department
            assert response.status_code == 404, key
            continue
        related = {r.pk for r in response.context["detail"].related}
        assert related == _visible_pks(matrix, key) - {hub.pk}, key
        html = response.content.decode()
        for hidden in _hidden_keys(matrix, key):
            pk = matrix.resources[hidden].pk
            assert reverse("catalog:resource_detail", args=[pk]) not in html, (key, hidden)
            assert _name(hidden) not in html


def test_items_above_clearance_are_listed_with_their_levels_on_a_visible_entry(client, matrix):
    """An item's definition is the entry's metadata: listed whatever the viewer's clearance."""
    resource = matrix.resources["pub_unc_4"]
    response = login(client, matrix.users["cons_staff_1"]).get(
        reverse("catalog:resource_detail", args=[resource.pk])
    )
    names = [(item.name, item.level) for item in response.context["detail"].items]
    assert names == [("编号", 1), ("名称", 2), ("敏感项", 4)]
    html = response.content.decode()
    assert 'data-item-count="3"' in html and "L4" in html
    # An entry limited to cleared users: neither it nor its items exist for them.
    hidden = matrix.resources["cleared_cond_3"]
    DataItem.objects.create(
        resource=hidden, name="隐藏目录特有项", data_type="C", length=4, level=1
    )
    response = client.get(reverse("catalog:resource_detail", args=[hidden.pk]))
    assert response.status_code == 404
    assert "隐藏目录特有项" not in response.content.decode()


def test_department_pages_count_and_list_visible_resources(client, matrix):
    for key, user in _active_users(matrix):
        login(client, user)
        response = client.get(reverse("catalog:department_list"))
        counts = {d.pk: n for d, n in response.context["departments"]}
        visible = [matrix.resource_specs[r] for r in matrix.visible_keys(key)]
        for dept_key, dept in matrix.departments.items():
            expected = sum(1 for s in visible if s.provider == dept_key)
            assert counts[dept.pk] == expected, (key, dept_key)
            detail = client.get(
                reverse("catalog:department_detail", args=[dept.pk]), {"per_page": 100}
            )
            assert page_pks(detail) == {
                matrix.resources[s.key].pk for s in visible if s.provider == dept_key
            }, (key, dept_key)


def test_the_rendered_department_tiles_are_kept_per_visibility(client, matrix):
    import re

    # Each user renders the list after others have: the cached tiles must still be their own.
    for key, user in _active_users(matrix):
        login(client, user)
        html = client.get(reverse("catalog:department_list")).content.decode()
        tiles = re.findall(r'data-department="(\d+)">.*?class="resource-count">(\d+)', html, re.S)
        visible = [matrix.resource_specs[r] for r in matrix.visible_keys(key)]
        for dept_key, dept in matrix.departments.items():
            expected = sum(1 for s in visible if s.provider == dept_key)
            assert (str(dept.pk), str(expected)) in tiles, (key, dept_key)


def test_category_pages_count_and_list_visible_resources(client, matrix):
    for key, user in _active_users(matrix):
        login(client, user)
        visible = _visible_pks(matrix, key)
        tree = client.get(reverse("catalog:category_list")).context["tree"]
        base = next(n for n in tree if n.category.code == "1")
        assert base.count == len(visible)
        assert next(n for n in base.children if n.category.code == "101").count == len(visible)
        assert all(n.count == 0 for n in tree if n.category.code != "1")
        page = client.get(reverse("catalog:category_detail", args=["101"]), {"per_page": 100})
        assert page_pks(page) == visible, key
        other = client.get(reverse("catalog:category_detail", args=["102"]))
        assert page_pks(other) == set()


def test_home_counts_only_visible_resources(client, matrix):
    for key, user in _active_users(matrix):
        response = login(client, user).get(reverse("home"))
        overview = response.context["overview"]
        visible = matrix.visible_keys(key)
        specs = [matrix.resource_specs[r] for r in visible]
        assert overview.total == len(visible)
        assert {v: n for v, _label, n in overview.share_types if n} == dict(
            Counter(s.share_type for s in specs)
        )
        assert {pk: n for pk, _name, n in overview.departments} == {
            matrix.departments[p].pk: n for p, n in Counter(s.provider for s in specs).items()
        }
        base = next(n for n in overview.categories if n.category.code == "1")
        assert base.count == len(visible)
        shown = {r.pk for r in overview.recently_published + overview.recently_updated}
        assert shown <= _visible_pks(matrix, key)
        assert all(r.status == Resource.Status.PUBLISHED for r in overview.recently_published)
