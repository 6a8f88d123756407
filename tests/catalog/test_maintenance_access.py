"""Every maintenance page and action against the access matrix.

Not visible → 404 (the resource does not exist for the user); visible but not theirs to change →
a clear 403 refusal; otherwise the page works.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import Role
from catalog.models import Resource
from tests import builders
from tests.sampling import page_pair_sampled

from .maintenance_helpers import login

pytestmark = pytest.mark.django_db


def _expected_edit(matrix, user_key: str, resource_key: str) -> int:
    if not matrix.expect_view(user_key, resource_key):
        return 404
    if not matrix.expect_change(user_key, resource_key):
        return 403
    return 403 if matrix.resource_specs[resource_key].status == "retired" else 200


def _is_coordinator(matrix, user_key: str) -> bool:
    return Role.COORDINATOR in matrix.user_specs[user_key].roles


def _expected_review(matrix, user_key: str, resource_key: str) -> int:
    if not matrix.expect_view(user_key, resource_key):
        return 404
    return 200 if _is_coordinator(matrix, user_key) else 403


def _expected_retire(matrix, user_key: str, resource_key: str) -> int:
    if not matrix.expect_view(user_key, resource_key):
        return 404
    allowed = matrix.expect_change(user_key, resource_key) or _is_coordinator(matrix, user_key)
    return 200 if allowed else 403


PAGES = {
    "catalog:resource_edit": _expected_edit,
    "catalog:resource_review": _expected_review,
    "catalog:resource_retire": _expected_retire,
    "catalog:resource_versions": lambda m, u, r: 200 if m.expect_view(u, r) else 404,
}


@pytest.mark.parametrize("url_name", sorted(PAGES))
def test_resource_pages_follow_the_matrix(client, matrix, url_name):
    expected_for = PAGES[url_name]
    wrong = []
    for u, (user_key, user) in enumerate(matrix.users.items()):
        if not user.is_active:
            continue
        login(client, user)
        for r, (resource_key, resource) in enumerate(matrix.resources.items()):
            if not page_pair_sampled(u, r):
                continue
            response = client.get(reverse(url_name, args=[resource.pk]))
            expected = expected_for(matrix, user_key, resource_key)
            if response.status_code != expected:
                wrong.append(f"{user_key} {resource_key}: {response.status_code} != {expected}")
            if expected == 404:
                # What the user may not see leaks nowhere, not even its name in the 404 page.
                assert resource.name not in response.content.decode()
            if expected == 403:
                assert "refusal-message" in response.content.decode()
    assert wrong == []


def test_anonymous_users_are_sent_to_sign_in(client, matrix):
    resource = matrix.resources["draft_2"]
    for url in (
        reverse("catalog:resource_edit", args=[resource.pk]),
        reverse("catalog:resource_mine"),
        reverse("catalog:resource_review_queue"),
        reverse("catalog:system_list"),
        reverse("catalog:resource_export"),
        reverse("catalog:resource_import"),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_submit_follows_the_matrix(client, matrix):
    """Only who may change a draft may submit it; others get 404 or a refusal, nothing changes."""
    draft = matrix.resources["draft_2"]
    for user_key in ("other_editor_3", "cons_staff_4", "prov_staff_4", "prov_approver_4"):
        login(client, matrix.users[user_key])
        response = client.post(reverse("catalog:resource_submit", args=[draft.pk]))
        expected = 404 if not matrix.expect_view(user_key, "draft_2") else 403
        assert response.status_code == expected, user_key
        draft.refresh_from_db()
        assert draft.status == "draft"
    login(client, matrix.users["prov_editor_4"])
    response = client.post(reverse("catalog:resource_submit", args=[draft.pk]))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "submitted"


def test_my_resources_lists_the_department_and_delegated_resources(client, matrix):
    for user_key, user in matrix.users.items():
        if not user.is_active:
            continue
        login(client, user)
        response = client.get(reverse("catalog:resource_mine"))
        spec = matrix.user_specs[user_key]
        expected = {
            key
            for key in matrix.resources
            if matrix.expect_view(user_key, key)
            and (
                matrix.resource_specs[key].provider == spec.department
                or matrix.expect_change(user_key, key)
            )
        }
        is_editor = Role.EDITOR in spec.roles
        delegated = any(matrix.expect_change(user_key, key) for key in matrix.resources)
        if not (is_editor or delegated):
            assert response.status_code == 403, user_key
            continue
        assert response.status_code == 200, user_key
        listed = {r.pk for r in response.context["page_obj"]}
        assert listed == {matrix.resources[k].pk for k in expected}, user_key


def test_my_resources_shows_the_coordinators_comment(client, matrix):
    from catalog import services

    submitted = matrix.resources["submitted_2"]
    services.resource_return(
        actor=matrix.users["coordinator_4"], resource=submitted, comment="请补充共享条件依据"
    )
    login(client, matrix.users["prov_editor_4"])
    response = client.get(reverse("catalog:resource_mine"), {"status": "draft"})
    assert "请补充共享条件依据" in response.content.decode()


def test_review_queue_shows_only_submitted_resources_within_clearance(client, matrix):
    low = builders.user(
        matrix.departments["coord"],
        clearance=1,
        roles=(Role.STAFF, Role.COORDINATOR),
        username="coordinator_1",
    )
    submitted_1 = builders.resource(matrix.departments["other"], level=1, status="submitted")
    login(client, matrix.users["coordinator_4"])
    response = client.get(reverse("catalog:resource_review_queue"))
    assert response.status_code == 200
    assert {r.pk for r in response.context["page_obj"]} == {
        matrix.resources["submitted_2"].pk,
        matrix.resources["provider_submitted_3"].pk,  # limited to its provider and to them
        submitted_1.pk,
    }
    login(client, low)
    response = client.get(reverse("catalog:resource_review_queue"))
    assert {r.pk for r in response.context["page_obj"]} == {submitted_1.pk}
    assert matrix.resources["submitted_2"].name not in response.content.decode()
    # The low-clearance coordinator sees the L2 entry in the catalog, but may not review it.
    response = client.get(
        reverse("catalog:resource_review", args=[matrix.resources["submitted_2"].pk])
    )
    assert response.status_code == 403
    for user_key in ("prov_editor_4", "prov_admin_3", "cons_staff_4", "auditor_2"):
        login(client, matrix.users[user_key])
        response = client.get(reverse("catalog:resource_review_queue"))
        assert response.status_code == 403, user_key


def test_coordinator_approves_and_returns(client, matrix):
    coordinator = matrix.users["coordinator_4"]
    login(client, coordinator)
    submitted = matrix.resources["submitted_2"]
    response = client.post(
        reverse("catalog:resource_review", args=[submitted.pk]), {"decision": "return"}
    )
    assert response.status_code == 200  # a return needs a comment
    submitted.refresh_from_db()
    assert submitted.status == "submitted"
    response = client.post(
        reverse("catalog:resource_review", args=[submitted.pk]),
        {"decision": "approve"},
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == "published" and submitted.code.startswith("101/")
    assert submitted.versions.count() == 1

    other = builders.resource(matrix.departments["other"], level=1, status="submitted")
    response = client.post(
        reverse("catalog:resource_review", args=[other.pk]),
        {"decision": "return", "comment": "摘要过于简单"},
    )
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.status == "draft" and other.review_comment == "摘要过于简单"


def test_retire_needs_a_reason_and_changes_nothing_without_one(client, matrix):
    resource = matrix.resources["pub_unc_1"]
    login(client, matrix.users["prov_editor_4"])
    url = reverse("catalog:resource_retire", args=[resource.pk])
    response = client.post(url, {"reason": "  "})
    assert response.status_code == 200
    resource.refresh_from_db()
    assert resource.status == "published"
    response = client.post(url, {"reason": "数据已停止采集"})
    assert response.status_code == 302
    resource.refresh_from_db()
    assert resource.status == "retired" and resource.retired_reason == "数据已停止采集"


def test_retired_resource_cannot_be_edited_or_submitted(client, matrix):
    retired = matrix.resources["retired_2"]
    login(client, matrix.users["prov_editor_4"])
    response = client.get(reverse("catalog:resource_edit", args=[retired.pk]))
    assert response.status_code == 403
    assert Resource.objects.get(pk=retired.pk).status == "retired"


def _add_resources(department, n: int) -> None:
    for _ in range(n):
        builders.resource(department, level=1, status="draft")


def test_my_resources_query_count_does_not_grow(client, matrix, django_assert_max_num_queries):
    login(client, matrix.users["prov_editor_4"])
    url = reverse("catalog:resource_mine")
    # 13: the list and the navigation's count each ask first whether the editor holds a
    # delegation (one indexed query), so that neither reads the whole catalog.
    with django_assert_max_num_queries(13) as small:
        client.get(url)
    _add_resources(matrix.departments["prov"], 20)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)


def test_review_queue_query_count_does_not_grow(client, matrix, django_assert_max_num_queries):
    login(client, matrix.users["coordinator_4"])
    url = reverse("catalog:resource_review_queue")
    with django_assert_max_num_queries(12) as small:
        client.get(url)
    for _ in range(20):
        builders.resource(matrix.departments["other"], level=1, status="submitted")
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)


def test_create_page_follows_roles(client, matrix):
    for user_key, user in matrix.users.items():
        if not user.is_active:
            continue
        spec = matrix.user_specs[user_key]
        allowed = Role.EDITOR in spec.roles and spec.department is not None
        login(client, user)
        response = client.get(reverse("catalog:resource_create"))
        assert response.status_code == (200 if allowed else 403), user_key
