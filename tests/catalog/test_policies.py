"""The catalog's upkeep rules (catalog.policies) over the access matrix: who may, who may not.

Each test writes out the allowed users by name, so a change to a rule shows up as a changed set.
The role rules take the role as it is held: an inactive account never signs in, so it never
reaches a page or a service as an actor.
"""

from __future__ import annotations

import pytest

from accounts.models import Role
from catalog import policies, selectors
from catalog.models import DataItem
from catalog.services import resource_delegate
from tests import builders

pytestmark = pytest.mark.django_db

COORDINATOR = {"coordinator_4"}
PROVIDER_EDITORS = {"prov_editor_4", "prov_editor_2", "prov_inactive_4"}
EDITORS = PROVIDER_EDITORS | {"other_editor_3"}


def _allowed(matrix, predicate, *objects) -> set[str]:
    return {key for key, user in matrix.users.items() if predicate(user, *objects)}


def test_catalog_editors(matrix):
    assert _allowed(matrix, policies.is_catalog_editor) == EDITORS


def test_catalog_editors_of_a_department(matrix):
    prov, other = matrix.departments["prov"], matrix.departments["other"]
    assert _allowed(matrix, policies.is_catalog_editor_of, prov.pk) == PROVIDER_EDITORS
    assert _allowed(matrix, policies.is_catalog_editor_of, other.pk) == {"other_editor_3"}
    assert _allowed(matrix, policies.is_catalog_editor_of, matrix.departments["cons"].pk) == set()
    # Users without a department are nobody's editors.
    assert _allowed(matrix, policies.is_catalog_editor_of, None) == set()


def test_who_has_a_list_of_resources_to_maintain(matrix):
    # Editors, and the holder of a change delegation within their clearance.
    expected = EDITORS | {"cons_delegate_3"}
    assert _allowed(matrix, policies.can_list_maintained_resources) == expected


def test_a_change_delegation_above_clearance_gives_no_list(matrix):
    delegate = builders.user(matrix.departments["cons"], clearance=2, username="矩阵受托人")
    assert not policies.can_list_maintained_resources(delegate)
    resource_delegate(
        actor=None, resource=matrix.resources["pub_cond_2"], user=delegate, codename=policies.CHANGE
    )
    assert policies.can_list_maintained_resources(delegate)
    delegate.clearance = 1  # lowered later: the delegation no longer counts
    delegate.save(update_fields=["clearance"])
    assert not policies.can_list_maintained_resources(delegate)


@pytest.mark.parametrize(
    "predicate",
    [
        policies.can_manage_categories,
        policies.can_review_resources,
        policies.can_import_published,
        policies.can_manage_all_systems,
    ],
)
def test_only_the_coordinator(matrix, predicate):
    assert _allowed(matrix, predicate) == COORDINATOR


def test_publishing_needs_the_reviewer_and_clearance(matrix):
    submitted = matrix.resources["submitted_2"]
    assert _allowed(matrix, policies.can_publish_resource, submitted) == COORDINATOR
    low = builders.user(
        matrix.departments["coord"], clearance=1, roles=(Role.STAFF, Role.COORDINATOR)
    )
    assert not policies.can_publish_resource(low, submitted)
    assert policies.can_publish_resource(low, matrix.resources["other_draft_1"])


def test_who_may_retire_each_resource(matrix):
    """Those who may change it, and the coordinator for what they see."""
    wrong = []
    for resource_key, resource in matrix.resources.items():
        expected = {
            user_key
            for user_key in matrix.users
            if matrix.expect_change(user_key, resource_key)
            or (user_key in COORDINATOR and matrix.expect_view(user_key, resource_key))
        }
        got = _allowed(matrix, policies.can_retire_resource, resource)
        if got != expected:
            wrong.append(f"{resource_key}: expected {sorted(expected)}, got {sorted(got)}")
    assert wrong == []
    assert _allowed(matrix, policies.can_retire_resource, matrix.resources["pub_cond_1"]) == {
        "prov_editor_4",
        "prov_editor_2",
        "cons_delegate_3",
        "coordinator_4",
    }


def test_only_the_providers_department_administrator_delegates(matrix):
    for key in ("pub_unc_1", "pub_cond_4", "draft_2"):
        allowed = _allowed(matrix, policies.can_delegate_stewardship, matrix.resources[key])
        assert allowed == {"prov_admin_3"}, key
    assert _allowed(
        matrix, policies.can_delegate_stewardship, matrix.resources["other_cond_2"]
    ) == (set())


def test_who_imports_spreadsheets(matrix):
    assert _allowed(matrix, policies.can_import_resources) == COORDINATOR | EDITORS


def test_for_which_department_one_imports(matrix):
    prov, other, cons = (matrix.departments[k] for k in ("prov", "other", "cons"))
    assert _allowed(matrix, policies.can_import_resources_for, prov.pk) == (
        COORDINATOR | PROVIDER_EDITORS
    )
    assert _allowed(matrix, policies.can_import_resources_for, other.pk) == (
        COORDINATOR | {"other_editor_3"}
    )
    assert _allowed(matrix, policies.can_import_resources_for, cons.pk) == COORDINATOR


def test_who_registers_information_systems(matrix):
    assert _allowed(matrix, policies.can_register_systems) == (
        COORDINATOR | EDITORS | {"prov_admin_3"}
    )
    # For one department: its own editors and administrator (active), and the coordinator.
    prov = matrix.departments["prov"]
    assert _allowed(matrix, policies.can_manage_systems_of, prov.pk) == {
        "coordinator_4",
        "prov_editor_4",
        "prov_editor_2",
        "prov_admin_3",
    }


def test_clearance_covers(matrix):
    assert _allowed(matrix, policies.clearance_covers, 3) == {
        key for key, spec in matrix.user_specs.items() if spec.clearance >= 3
    }
    assert _allowed(matrix, policies.clearance_covers, 1) == set(matrix.users)


def test_item_definitions_follow_the_entry_not_the_clearance(matrix):
    """Whoever sees an entry sees all its items' definitions; nobody else sees any of them."""
    for resource_key in ("pub_unc_4", "cleared_cond_3", "provider_cond_2"):
        resource = matrix.resources[resource_key]  # items at L1, L2 and the resource's level
        for key, user in matrix.users.items():
            names = set(
                resource.items.filter(policies.items_visible_q(user)).values_list("name", flat=True)
            )
            expected = (
                {"编号", "名称", "敏感项"} if matrix.expect_view(key, resource_key) else set()
            )
            assert names == expected, (key, resource_key)
    # An L1 user of another department sees the L4 item's definition, not its values.
    assert "敏感项" in set(
        matrix.resources["pub_unc_4"]
        .items.filter(policies.items_visible_q(matrix.users["cons_staff_1"]))
        .values_list("name", flat=True)
    )
    assert DataItem.objects.filter(
        policies.items_visible_q(matrix.users["prov_inactive_4"])
    ).count() == (0)


def test_users_with_the_same_visibility_key_see_the_same_resources(matrix):
    by_key: dict[tuple, list[str]] = {}
    for key, user in matrix.users.items():
        by_key.setdefault(policies.resources_visible_key(user), []).append(key)
    assert any(len(keys) > 1 for keys in by_key.values())
    for keys in by_key.values():
        seen = {
            frozenset(selectors.resources_visible_to(user=matrix.users[k]).values_list("pk"))
            for k in keys
        }
        assert len(seen) == 1, keys
    # The coordinator's role is part of the key: they see what is under review.
    coordinator = matrix.users["coordinator_4"]
    twin = builders.user(matrix.departments["coord"], clearance=4)
    assert policies.resources_visible_key(coordinator) != policies.resources_visible_key(twin)
