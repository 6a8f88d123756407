"""The account rules of accounts.policies, against the access matrix's users.

Every predicate is asked for every user of the matrix, plus the system and security
administrators and a department administrator without a department (the matrix has none of
them). The expected answers are written out from the roles and departments in
tests/access_matrix.py, so each test states who is allowed and that everybody else is not.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts import policies
from accounts.models import ApiToken, Level, Role, User
from accounts.services.tokens import token_create

from .. import builders
from ..access_matrix import DEPARTMENTS, AccessMatrix

pytestmark = pytest.mark.django_db

ADMIN = "prov_admin_3"
DEPARTMENT_ROLE_SET = {Role.STAFF, Role.EDITOR, Role.APPROVER}


@pytest.fixture
def people(matrix: AccessMatrix) -> dict[str, User]:
    """Return the matrix's users with the administrators the matrix does not have."""
    coord = matrix.departments["coord"]
    extra = {
        "sysadmin": builders.user(coord, roles=(Role.STAFF, Role.SYSTEM_ADMIN)),
        "secadmin": builders.user(coord, roles=(Role.STAFF, Role.SECURITY_ADMIN)),
        "nodept_admin": builders.user(None, roles=(Role.STAFF, Role.DEPARTMENT_ADMIN)),
    }
    # Fresh instances: no roles cached while building.
    return {key: User.objects.get(pk=u.pk) for key, u in {**matrix.users, **extra}.items()}


def _department_key(matrix: AccessMatrix, user: User) -> str | None:
    for key, department in matrix.departments.items():
        if department.pk == user.department_id:
            return key
    return None


def _allowed(people: dict[str, User], predicate: Any, *objects: Any) -> set[str]:
    return {key for key, user in people.items() if predicate(user, *objects)}


# --- the three administrators ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("predicate", "expected"),
    [
        (policies.can_manage_accounts, {"sysadmin"}),
        (policies.can_manage_departments, {"sysadmin"}),
        (policies.can_grant_access, {"secadmin"}),
        (policies.can_list_accounts, {"sysadmin", "secadmin"}),
    ],
)
def test_each_administrator_rule_allows_exactly_its_administrator(people, predicate, expected):
    assert _allowed(people, predicate) == expected
    assert not predicate(AnonymousUser())


@pytest.mark.parametrize(
    "predicate", [policies.can_change_clearance, policies.can_reset_second_factor]
)
def test_clearances_and_second_factors_are_the_security_administrators(people, predicate):
    for target in ("prov_staff_1", "cons_approver_4", "sysadmin", "nodept_4"):
        assert _allowed(people, predicate, people[target]) == {"secadmin"}


# --- department administrators --------------------------------------------------------------


def test_administers_department_is_the_own_department_administrator_only(matrix, people):
    for key, department in matrix.departments.items():
        expected = {ADMIN} if key == "prov" else set()
        assert _allowed(people, policies.administers_department, department.pk) == expected
    # A department administrator without a department administers nothing, not even "none".
    assert _allowed(people, policies.administers_department, None) == set()
    assert not policies.administers_department(AnonymousUser(), matrix.departments["prov"].pk)


def test_is_department_admin_needs_the_role_and_a_department(people):
    assert _allowed(people, policies.is_department_admin) == {ADMIN}
    assert _allowed(people, policies.can_manage_api_tokens) == {ADMIN}
    assert not policies.is_department_admin(AnonymousUser())


def test_a_department_administrator_manages_only_own_department_role_holders(matrix, people):
    for member_key, member in people.items():
        in_prov = _department_key(matrix, member) == "prov"
        only_department_roles = set(member.roles) <= DEPARTMENT_ROLE_SET
        expected = {ADMIN} if in_prov and only_department_roles else set()
        allowed = _allowed(people, policies.can_manage_department_member, member)
        assert allowed == expected, member_key
    # Not themselves: they hold the department administrator role.
    assert not policies.can_manage_department_member(people[ADMIN], people[ADMIN])


def test_administered_accounts_q_lists_the_own_department_for_its_administrator(matrix, people):
    prov = {u.pk for u in people.values() if u.department_id == matrix.departments["prov"].pk}
    for key, user in people.items():
        listed = set(
            User.objects.filter(policies.administered_accounts_q(user)).values_list("pk", flat=True)
        )
        assert listed == (prov if key == ADMIN else set()), key
    assert not User.objects.filter(policies.administered_accounts_q(AnonymousUser())).exists()


# --- accounts -------------------------------------------------------------------------------


def test_creating_accounts_system_administrator_anywhere_department_administrator_at_home(
    matrix, people
):
    for key, department in matrix.departments.items():
        expected = {"sysadmin", ADMIN} if key == "prov" else {"sysadmin"}
        assert _allowed(people, policies.can_create_account, department) == expected, key
    # Without a department only the system administrator, not a department-less administrator.
    assert _allowed(people, policies.can_create_account, None) == {"sysadmin"}


def test_clearances_above_l1_at_creation_are_the_security_administrators(people):
    assert _allowed(people, policies.can_create_with_clearance, Level.L1) == set(people)
    for clearance in (Level.L2, Level.L3, Level.L4):
        assert _allowed(people, policies.can_create_with_clearance, clearance) == {"secadmin"}


def test_a_clearance_may_not_exceed_the_departments(matrix):
    for key, department in matrix.departments.items():
        for clearance in Level.values:
            expected = clearance <= DEPARTMENTS[key]
            assert policies.clearance_allowed(department, clearance) is expected, (key, clearance)
    # "other" tops out at L3: L4 is refused there and allowed in the L4 departments.
    assert not policies.clearance_allowed(matrix.departments["other"], Level.L4)
    assert all(policies.clearance_allowed(None, clearance) for clearance in Level.values)


def test_nobody_acts_on_their_own_account(people):
    for key, user in people.items():
        assert not policies.acts_on_another(user, user)
        assert policies.is_account_holder(user, user)
        others = {k for k in people if k != key}
        assert _allowed(people, policies.acts_on_another, user) == others
        assert _allowed(people, policies.is_account_holder, user) == {key}


def test_status_changes_system_administrator_or_the_members_department_administrator(
    matrix, people
):
    for member_key, member in people.items():
        manageable = _department_key(matrix, member) == "prov" and set(member.roles) <= (
            DEPARTMENT_ROLE_SET
        )
        expected = {"sysadmin", ADMIN} if manageable else {"sysadmin"}
        assert _allowed(people, policies.can_set_active, member) == expected, member_key


@pytest.mark.parametrize("role", Role.values)
def test_role_changes_follow_the_separation_of_duties(matrix, people, role):
    for member_key, member in people.items():
        expected = {"secadmin"}
        if role == Role.STAFF:
            # The baseline role: the system administrator, who creates accounts anywhere, gives
            # it to anybody.
            expected.add("sysadmin")
        if role in DEPARTMENT_ROLE_SET and _department_key(matrix, member) == "prov":
            # A department administrator, staff included, only inside their own department;
            # one without a department nowhere.
            expected.add(ADMIN)
        assert _allowed(people, policies.can_assign_role, member, role) == expected, (
            member_key,
            role,
        )


def test_a_department_administrator_reaches_only_their_own_departments_accounts(matrix, people):
    for member_key, member in people.items():
        at_home = _department_key(matrix, member) == "prov"
        # Everybody but a department administrator passes: their actions have rules of their own.
        expected = {key for key, user in people.items() if not user.has_role(Role.DEPARTMENT_ADMIN)}
        expected |= {"secadmin", "sysadmin"} | ({ADMIN} if at_home else set())
        assert _allowed(people, policies.within_department_reach, member) == expected, member_key
        assert "nodept_admin" not in expected


# --- two factors ----------------------------------------------------------------------------


@pytest.mark.two_factor
def test_two_factors_for_approvers_the_coordinator_and_the_three_administrators(people):
    needing = {Role.APPROVER, Role.COORDINATOR, Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN}
    needing |= {Role.AUDIT_ADMIN}
    expected = {key for key, user in people.items() if set(user.roles) & needing}
    assert expected >= {"prov_approver_4", "cons_approver_4", "coordinator_4", "auditor_2"}
    assert expected >= {"sysadmin", "secadmin"}
    assert _allowed(people, policies.requires_two_factor) == expected
    assert not policies.requires_two_factor(people["prov_staff_4"])
    assert not policies.requires_two_factor(people[ADMIN])


@pytest.mark.two_factor
def test_two_factors_can_be_switched_off(people, settings):
    settings.PORTAL_TWO_FACTOR_REQUIRED = False
    assert _allowed(people, policies.requires_two_factor) == set()


# --- API tokens -----------------------------------------------------------------------------


def test_tokens_of_a_holder_are_managed_by_the_holders_department_administrator(matrix, people):
    for holder_key, holder in people.items():
        expected = {ADMIN} if _department_key(matrix, holder) == "prov" else set()
        assert _allowed(people, policies.can_manage_tokens_of, holder) == expected, holder_key


def test_tokens_managed_q_agrees_with_the_predicate(matrix, people):
    holders = ("prov_staff_1", "prov_editor_4", "cons_staff_1", "other_staff_3", "nodept_4")
    tokens = {
        key: token_create(actor=None, user=people[key], name=f"{key} system", scopes=["read"])[0]
        for key in holders
    }
    prov_tokens = {tokens["prov_staff_1"].pk, tokens["prov_editor_4"].pk}
    for key, user in people.items():
        managed = set(
            ApiToken.objects.filter(policies.tokens_managed_q(user)).values_list("pk", flat=True)
        )
        assert managed == (prov_tokens if key == ADMIN else set()), key
        by_predicate = {
            t.pk for t in tokens.values() if policies.can_manage_tokens_of(user, t.user)
        }
        assert managed == by_predicate, key
    assert not ApiToken.objects.filter(policies.tokens_managed_q(AnonymousUser())).exists()
