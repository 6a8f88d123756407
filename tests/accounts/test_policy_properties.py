"""Property test: the policy predicates, has_perm and the selectors' querysets never disagree.

And, whatever the world, the rules' invariants hold: an entry limited to ``cleared`` users or to
its ``provider`` reaches nobody else, a grant never widens an entry's scope, nobody changes or
decides above their clearance, a department may name any item of an entry it sees in a
request, and nobody receives the value of an item above their clearance.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import Role, User
from catalog import policies
from catalog.services import resource_delegate
from sharing import policies as sharing_policies
from sharing.policies import reading
from sharing.services import grant_revoke

from .. import builders
from ..access_matrix import HAS_PERM, SELECTORS
from ..sampling import examples

PREDICATES = {
    "view": policies.can_view_resource,
    "read": sharing_policies.can_read_resource_data,
    "change": policies.can_change_resource,
    "decide": policies.can_decide_resource,
}


@dataclass(frozen=True)
class World:
    departments: list[int]  # clearances
    users: list[tuple[int | None, int, frozenset[str], bool]]  # dept, clearance, roles, active
    resources: list[tuple[int, int, str, str, str]]  # provider, level, share, status, scope
    grants: list[tuple[int, int, str]]  # resource, dept, state
    delegations: list[tuple[int, int, str]]  # user, resource, codename


@st.composite
def worlds(draw: st.DrawFn) -> World:
    departments = draw(st.lists(st.integers(1, 4), min_size=2, max_size=3))
    n = len(departments)
    users = []
    for _ in range(draw(st.integers(1, 5))):
        dept = draw(st.one_of(st.none(), st.integers(0, n - 1)))
        ceiling = departments[dept] if dept is not None else 4
        users.append(
            (
                dept,
                draw(st.integers(1, ceiling)),
                frozenset(
                    draw(st.sets(st.sampled_from([Role.EDITOR, Role.APPROVER, Role.COORDINATOR])))
                ),
                draw(st.booleans()) or draw(st.booleans()),
            )
        )
    resources = draw(
        st.lists(
            st.tuples(
                st.integers(0, n - 1),
                st.integers(1, 4),
                st.sampled_from(["unconditional", "conditional", "none"]),
                st.sampled_from(["draft", "submitted", "published", "published", "retired"]),
                st.sampled_from(["departments", "departments", "cleared", "provider"]),
            ),
            min_size=1,
            max_size=6,
        )
    )
    grants = draw(
        st.lists(
            st.tuples(
                st.integers(0, len(resources) - 1),
                st.integers(0, n - 1),
                st.sampled_from(["in_force", "expired", "revoked", "future"]),
            ),
            max_size=4,
        )
    )
    delegations = draw(
        st.lists(
            st.tuples(
                st.integers(0, len(users) - 1),
                st.integers(0, len(resources) - 1),
                st.sampled_from([policies.CHANGE, policies.DECIDE]),
            ),
            max_size=3,
        )
    )
    return World(departments, users, resources, grants, delegations)


def build(world: World):
    depts = [builders.department(clearance=c) for c in world.departments]
    users = []
    for dept, clearance, roles, active in world.users:
        user = builders.user(
            depts[dept] if dept is not None else None,
            clearance=clearance,
            roles=(Role.STAFF, *sorted(roles)),
        )
        if not active:
            user.is_active = False
            user.save(update_fields=["is_active"])
        users.append(user)
    resources = [
        builders.resource(
            depts[p], level=level, share_type=share, status=status, catalog_scope=scope
        )
        for p, level, share, status, scope in world.resources
    ]
    taken = set()
    for r, d, state in world.grants:
        res, dept = resources[r], depts[d]
        if res.status != "published" or res.provider_id == dept.pk or (r, d) in taken:
            continue
        taken.add((r, d))
        if state == "expired":
            builders.grant(res, dept, days=-1, start_days_ago=10)
        elif state == "future":
            builders.grant(res, dept, days=30, start_days_ago=-5)
        else:
            grant = builders.grant(res, dept)
            if state == "revoked":
                grant_revoke(actor=None, grant=grant, reason="属性测试")
    for u, r, codename in world.delegations:
        if users[u].clearance >= resources[r].level:
            resource_delegate(actor=None, resource=resources[r], user=users[u], codename=codename)
    return users, resources


class Rollback(Exception):
    pass


def _invariant_problems(permission: str, user: User, resource) -> list[str]:
    """Return what is wrong with the user holding ``permission`` on the resource, if anything."""
    problems = []
    own = user.department_id is not None and user.department_id == resource.provider_id
    above = resource.level > user.clearance
    if permission in ("change", "decide") and above:
        problems.append("above clearance")
    if permission in ("view", "read") and not own:
        if resource.catalog_scope == "cleared" and above:
            problems.append("cleared entry above clearance")
        if resource.catalog_scope == "provider" and (above or not user.has_role(Role.COORDINATOR)):
            problems.append("provider entry outside the provider")
        if resource.catalog_scope == "departments" and user.department_id is None:
            problems.append("departments entry without a department")
    if permission == "view":
        # A department asks for any item of an entry it sees, above its users' clearance too.
        nameable = set(sharing_policies.items_nameable_by(user, resource).values_list("pk"))
        if nameable != set(resource.items.values_list("pk")):
            problems.append("an item of a visible entry cannot be requested")
    if permission == "read" and any(
        i.level > user.clearance for i in reading.readable_items(user, resource)
    ):
        problems.append("an item above clearance is delivered")
    return problems


def disagreements(world: World) -> list[str]:
    """Build the world in a rolled-back transaction and list every disagreement."""
    found: list[str] = []
    try:
        with transaction.atomic():
            users, resources = build(world)
            for built in users:
                user = User.objects.get(pk=built.pk)
                for permission, predicate in PREDICATES.items():
                    selected = set(SELECTORS[permission](user=user).values_list("pk", flat=True))  # type: ignore[attr-defined]
                    for resource in resources:
                        by_predicate = predicate(user, resource)
                        by_perm = user.has_perm(HAS_PERM[permission], resource)
                        in_queryset = resource.pk in selected
                        if not by_predicate == by_perm == in_queryset:
                            found.append(
                                f"{permission} {user} {resource}: predicate {by_predicate}, "
                                f"has_perm {by_perm}, queryset {in_queryset}"
                            )
                        if by_predicate:
                            found.extend(
                                f"{permission} {user} {resource}: {problem}"
                                for problem in _invariant_problems(permission, user, resource)
                            )
            raise Rollback
    except Rollback:
        pass
    return found


@pytest.mark.django_db
@settings(
    max_examples=examples(60),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(world=worlds())
def test_predicate_has_perm_and_queryset_agree(world: World) -> None:
    assert disagreements(world) == []


SAMPLE = World(
    departments=[4, 4],
    users=[(1, 2, frozenset(), True), (0, 3, frozenset({Role.EDITOR}), True)],
    resources=[
        (0, 3, "conditional", "published", "cleared"),
        (0, 2, "conditional", "published", "departments"),
        (1, 1, "unconditional", "draft", "departments"),
        (0, 4, "unconditional", "published", "departments"),
        (0, 2, "conditional", "published", "provider"),
    ],
    grants=[(1, 1, "expired")],
    delegations=[],
)


@pytest.mark.django_db
def test_the_property_catches_a_clearance_off_by_one(monkeypatch):
    original = policies.resources_visible_q
    monkeypatch.setattr(
        policies,
        "resources_visible_q",
        lambda user: (
            original(user) | policies.Q(level=getattr(user, "clearance", 0) + 1, status="published")
        ),
    )
    assert any(d.startswith("view") for d in disagreements(SAMPLE))


@pytest.mark.django_db
def test_the_property_catches_a_queryset_that_ignores_grant_expiry(monkeypatch):
    from django.db.models import Exists, OuterRef

    from sharing.models import Grant

    def any_active_grant(user):  # forgets the period: the SQL side now disagrees with the predicate
        return Exists(
            Grant.objects.filter(
                resource=OuterRef("pk"), department_id=user.department_id, status="active"
            )
        )

    monkeypatch.setattr(reading, "_grant_in_force", any_active_grant)
    assert any(d.startswith("read") for d in disagreements(SAMPLE))


@pytest.mark.django_db
def test_the_property_catches_a_scope_that_admits_everyone(monkeypatch):
    monkeypatch.setattr(policies.resources, "_scope_admits", lambda user, resource: True)
    assert any(d.startswith("view") for d in disagreements(SAMPLE))


@pytest.mark.django_db
def test_the_property_catches_an_item_delivered_above_clearance(monkeypatch):
    monkeypatch.setattr(
        reading, "items_within_q", lambda clearance, grant_id=None: policies.Q(pk__isnull=False)
    )
    assert any("an item above clearance is delivered" in d for d in disagreements(SAMPLE))
