"""The access matrix: selectors and has_perm agree with the specification for every user."""

from __future__ import annotations

import pytest

from accounts.models import User
from catalog import policies
from catalog.models import Resource

from ..access_matrix import matrix_violations

pytestmark = pytest.mark.django_db


def test_selectors_and_has_perm_follow_the_matrix(matrix):
    assert matrix_violations(matrix) == []


def test_matrix_covers_the_interesting_cases(matrix):
    # Guard against a matrix that passes because it is trivial.
    assert matrix.expect_view("cons_staff_3", "pub_cond_3")
    # The catalog scope: every department sees an entry above its users' clearance...
    assert matrix.expect_view("cons_staff_1", "pub_cond_4")
    assert not matrix.expect_read("cons_staff_3", "pub_cond_4")
    # ...except the two exceptions, which a grant does not widen.
    assert not matrix.expect_view("cons_staff_1", "cleared_cond_3")
    assert matrix.expect_view("cons_staff_3", "cleared_cond_3")
    assert matrix.expect_read("cons_staff_3", "cleared_cond_3")
    assert not matrix.expect_view("cons_staff_4", "provider_cond_2")
    assert not matrix.expect_read("cons_staff_4", "provider_cond_2")
    assert matrix.expect_view("prov_staff_1", "provider_unc_4")  # own department, any level
    assert matrix.expect_view("coordinator_4", "other_provider_3")
    assert not matrix.expect_view("auditor_2", "other_provider_3")
    assert not matrix.expect_view("nodept_4", "pub_unc_1")  # no department: cleared ones only
    assert matrix.expect_view("nodept_4", "cleared_unc_2")
    # Reading stays strict: each item only within the reader's clearance.
    assert matrix.expect_items("prov_staff_1", "pub_unc_4") == {"编号"}
    assert matrix.expect_items("cons_staff_1", "pub_unc_4") == {"编号"}
    assert matrix.expect_read("cons_staff_3", "pub_cond_3")
    assert not matrix.expect_read("cons_staff_3", "pub_cond_2")  # grant past its end
    assert not matrix.expect_read("cons_staff_4", "pub_cond_4")  # grant revoked
    assert matrix.expect_read("cons_staff_3", "pub_none_2")  # coordinator's grant on 不予共享
    assert matrix.expect_view("prov_staff_1", "draft_2")  # own department's, above clearance
    assert not matrix.expect_view("cons_staff_4", "draft_2")  # another department's draft
    assert not matrix.expect_change("prov_editor_2", "pub_cond_3")  # change keeps clearance
    assert matrix.expect_change("cons_delegate_3", "pub_cond_1")
    assert not matrix.expect_view("prov_inactive_4", "pub_unc_1")


def test_a_clearance_off_by_one_is_caught(matrix, monkeypatch):
    """Break the clearance rule on purpose: the matrix must notice."""
    original = policies.resources_visible_q

    def off_by_one(user):
        q = original(user)
        if getattr(user, "is_authenticated", False):
            return q | (policies.Q(level=user.clearance + 1, status=Resource.Status.PUBLISHED))
        return q

    monkeypatch.setattr(policies, "resources_visible_q", off_by_one)
    violations = matrix_violations(matrix)
    assert any("cons_staff_1 view cleared_unc_2" in v for v in violations)


def test_a_filter_ignoring_the_catalog_scope_is_caught(matrix, monkeypatch):
    """Forget the provider scope on purpose: the matrix must notice."""
    original = policies.resources_visible_q

    def ignores_provider_scope(user):
        q = original(user)
        if getattr(user, "is_authenticated", False) and user.department_id is not None:
            return q | policies.Q(catalog_scope="provider", status=Resource.Status.PUBLISHED)
        return q

    monkeypatch.setattr(policies, "resources_visible_q", ignores_provider_scope)
    violations = matrix_violations(matrix)
    assert any("cons_staff_4 view provider_cond_2" in v for v in violations)


def test_readers_receive_only_the_items_within_their_clearance(matrix):
    from sharing.policies import readable_items

    wrong = []
    for user_key, resource_key in matrix.cases():
        user = User.objects.get(pk=matrix.users[user_key].pk)
        got = {item.name for item in readable_items(user, matrix.resources[resource_key])}
        if got != matrix.expect_items(user_key, resource_key):
            wrong.append(f"{user_key} {resource_key}: {sorted(got)}")
    assert wrong == []


def test_a_predicate_ignoring_grant_expiry_is_caught(matrix, monkeypatch):
    def ignores_expiry(user, resource):
        if not policies.can_view_resource(user, resource):
            return False
        return (
            resource.share_type == "unconditional"
            or resource.grants.filter(department_id=user.department_id, status="active").exists()
            or resource.provider_id == user.department_id
        )

    monkeypatch.setitem(policies.RESOURCE_PREDICATES, "catalog.read_resource_data", ignores_expiry)
    violations = matrix_violations(matrix)
    assert any("cons_staff_3 read pub_cond_2" in v for v in violations)


def test_a_department_may_ask_for_any_item_of_an_entry_it_sees(matrix):
    """Requests may name items above the requester's clearance; delivery stays within it."""
    from sharing.policies import items_nameable_by

    wrong = []
    for user_key, resource_key in matrix.cases():
        if not matrix.expect_view(user_key, resource_key):
            continue
        user = User.objects.get(pk=matrix.users[user_key].pk)
        named = set(
            items_nameable_by(user, matrix.resources[resource_key]).values_list("name", flat=True)
        )
        if named != {"编号", "名称", "敏感项"}:
            wrong.append(f"{user_key} {resource_key}: {sorted(named)}")
    assert wrong == []
    # The L1 user names the L4 item of an entry every department sees, and would receive only 编号.
    assert matrix.expect_view("cons_staff_1", "pub_cond_4")
    assert matrix.expect_items("cons_staff_1", "pub_unc_4") == {"编号"}
