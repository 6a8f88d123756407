"""The access matrix: selectors and has_perm agree with the specification for every user."""

from __future__ import annotations

import pytest

from catalog import policies
from catalog.models import Resource

from ..access_matrix import matrix_violations

pytestmark = pytest.mark.django_db


def test_selectors_and_has_perm_follow_the_matrix(matrix):
    assert matrix_violations(matrix) == []


def test_matrix_covers_the_interesting_cases(matrix):
    # Guard against a matrix that passes because it is trivial.
    assert matrix.expect_view("cons_staff_3", "pub_cond_3")
    assert not matrix.expect_view("cons_staff_3", "pub_cond_4")
    assert matrix.expect_read("cons_staff_3", "pub_cond_3")
    assert not matrix.expect_read("cons_staff_3", "pub_cond_2")  # grant past its end
    assert not matrix.expect_read("cons_staff_4", "pub_cond_4")  # grant revoked
    assert matrix.expect_read("cons_staff_3", "pub_none_2")  # coordinator's grant on 不予共享
    assert not matrix.expect_view("prov_staff_1", "draft_2")  # own draft above clearance
    assert matrix.expect_view("prov_staff_2", "draft_2")
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
    assert any("prov_staff_1 view pub_unc_2" in v for v in violations)


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
