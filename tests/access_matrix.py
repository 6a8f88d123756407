"""The access matrix: users across departments, roles and clearances against resources.

``build_matrix()`` creates the world through the services; the ``expect_*`` methods are the
specification written out plainly from DOMAIN.md and ARCHITECTURE.md, independent of
``catalog.policies``. Every page and endpoint test can iterate ``matrix.users`` and
``matrix.resources`` and compare what a user got with what the matrix expects.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser

from accounts.models import Department, Level, Role, User
from catalog import selectors
from catalog.models import Resource
from catalog.services import resource_delegate
from datasets import selectors as data_selectors
from sharing.services import grant_revoke

from . import builders, sampling


@dataclass(frozen=True)
class UserSpec:
    key: str
    department: str | None
    clearance: int
    roles: tuple[str, ...] = (Role.STAFF,)
    active: bool = True


@dataclass(frozen=True)
class ResourceSpec:
    key: str
    provider: str
    level: int
    share_type: str
    status: str = "published"
    scope: str = "departments"  # the catalog scope: departments / cleared / provider


# Departments: the provider, a consumer holding grants, an outsider, and the data bureau.
DEPARTMENTS = {"prov": Level.L4, "cons": Level.L4, "other": Level.L3, "coord": Level.L4}

USERS = [
    UserSpec("prov_staff_1", "prov", 1),
    UserSpec("prov_staff_2", "prov", 2),
    UserSpec("prov_staff_4", "prov", 4),
    UserSpec("prov_editor_4", "prov", 4, (Role.STAFF, Role.EDITOR)),
    UserSpec("prov_editor_2", "prov", 2, (Role.STAFF, Role.EDITOR)),
    UserSpec("prov_approver_4", "prov", 4, (Role.STAFF, Role.APPROVER)),
    UserSpec("prov_approver_2", "prov", 2, (Role.STAFF, Role.APPROVER)),
    UserSpec("prov_admin_3", "prov", 3, (Role.STAFF, Role.DEPARTMENT_ADMIN)),
    UserSpec("prov_inactive_4", "prov", 4, (Role.STAFF, Role.EDITOR), active=False),
    UserSpec("cons_staff_1", "cons", 1),
    UserSpec("cons_staff_3", "cons", 3),
    UserSpec("cons_staff_4", "cons", 4),
    UserSpec("cons_approver_4", "cons", 4, (Role.STAFF, Role.APPROVER)),
    UserSpec("cons_delegate_3", "cons", 3),
    UserSpec("other_staff_3", "other", 3),
    UserSpec("other_editor_3", "other", 3, (Role.STAFF, Role.EDITOR)),
    UserSpec("coordinator_4", "coord", 4, (Role.STAFF, Role.COORDINATOR)),
    UserSpec("auditor_2", "coord", 2, (Role.STAFF, Role.AUDIT_ADMIN)),
    UserSpec("nodept_4", None, 4),
]

SHARE_TYPES = {"unc": "unconditional", "cond": "conditional", "none": "none"}

RESOURCES = [
    *(
        ResourceSpec(f"pub_{short}_{level}", "prov", level, share_type)
        for short, share_type in SHARE_TYPES.items()
        for level in (1, 2, 3, 4)
    ),
    ResourceSpec("draft_2", "prov", 2, "conditional", "draft"),
    ResourceSpec("submitted_2", "prov", 2, "conditional", "submitted"),
    ResourceSpec("retired_2", "prov", 2, "unconditional", "retired"),
    ResourceSpec("other_cond_2", "other", 2, "conditional"),
    ResourceSpec("other_draft_1", "other", 1, "conditional", "draft"),
    # The two exceptions to the catalog scope: entries whose very existence is sensitive.
    ResourceSpec("cleared_cond_3", "prov", 3, "conditional", scope="cleared"),
    ResourceSpec("cleared_unc_2", "prov", 2, "unconditional", scope="cleared"),
    ResourceSpec("provider_cond_2", "prov", 2, "conditional", scope="provider"),
    ResourceSpec("provider_unc_4", "prov", 4, "unconditional", scope="provider"),
    ResourceSpec("provider_draft_1", "prov", 1, "conditional", "draft", scope="provider"),
    ResourceSpec("provider_submitted_3", "prov", 3, "conditional", "submitted", scope="provider"),
    ResourceSpec("other_provider_3", "other", 3, "conditional", scope="provider"),
]

# (resource, consumer department, state): "in_force", "expired" (past its end, status still
# active: no background job ran), "revoked".
GRANTS = [
    ("pub_cond_3", "cons", "in_force"),
    ("pub_cond_2", "cons", "expired"),
    ("pub_none_2", "cons", "in_force"),
    ("pub_cond_4", "cons", "revoked"),
    ("other_cond_2", "prov", "in_force"),
    # A grant never widens the catalog scope: cons's users below L3 neither see nor read it.
    ("cleared_cond_3", "cons", "in_force"),
    ("provider_cond_2", "cons", "in_force"),
]

# (user, resource, codename): per-object stewardship delegations.
DELEGATIONS = [
    ("cons_delegate_3", "pub_cond_1", "change_resource"),
    ("cons_delegate_3", "pub_cond_2", "decide_resource"),
]

PERMISSIONS = ("view", "read", "change", "decide")


@dataclass
class AccessMatrix:
    departments: dict[str, Department] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    resources: dict[str, Resource] = field(default_factory=dict)

    user_specs = {spec.key: spec for spec in USERS}
    resource_specs = {spec.key: spec for spec in RESOURCES}

    # --- the specification -----------------------------------------------------------------

    def expect_in_scope(self, user_key: str, resource_key: str) -> bool:
        """Whether the entry's catalog scope admits the user (whatever its status)."""
        u, r = self.user_specs[user_key], self.resource_specs[resource_key]
        if not u.active:
            return False
        if u.department is not None and r.provider == u.department:
            return True
        return {
            "departments": u.department is not None,
            "cleared": r.level <= u.clearance,
            "provider": Role.COORDINATOR in u.roles and r.level <= u.clearance,
        }[r.scope]

    def expect_view(self, user_key: str, resource_key: str) -> bool:
        """Whether the user sees the catalog entry: its scope admits them, and its status."""
        u, r = self.user_specs[user_key], self.resource_specs[resource_key]
        if not self.expect_in_scope(user_key, resource_key):
            return False
        if r.status == "published" or (u.department is not None and r.provider == u.department):
            return True
        return Role.COORDINATOR in u.roles and r.status in ("submitted", "retired")

    def expect_read(self, user_key: str, resource_key: str) -> bool:
        """Whether the user reads some of its data (the items within clearance; level L1 here)."""
        u, r = self.user_specs[user_key], self.resource_specs[resource_key]
        if not self.expect_view(user_key, resource_key) or r.status != "published":
            return False
        granted = any(g == (resource_key, u.department, "in_force") for g in GRANTS)
        return r.share_type == "unconditional" or r.provider == u.department or granted

    def expect_items(self, user_key: str, resource_key: str) -> set[str]:
        """The data items whose values the user receives: granted (or all), within clearance."""
        if not self.expect_read(user_key, resource_key):
            return set()
        u, r = self.user_specs[user_key], self.resource_specs[resource_key]
        levels = {"编号": 1, "名称": min(2, r.level), "敏感项": r.level}
        whole = r.share_type == "unconditional" or r.provider == u.department
        names = set(levels) if whole else {"编号", "名称"}  # what the grants below list
        return {name for name in names if levels[name] <= u.clearance}

    def _expect_steward(self, user_key: str, resource_key: str, role: str, codename: str) -> bool:
        u, r = self.user_specs[user_key], self.resource_specs[resource_key]
        if not u.active or r.level > u.clearance:
            return False
        if r.provider == u.department and role in u.roles:
            return True
        return (user_key, resource_key, codename) in DELEGATIONS

    def expect_change(self, user_key: str, resource_key: str) -> bool:
        return self._expect_steward(user_key, resource_key, Role.EDITOR, "change_resource")

    def expect_decide(self, user_key: str, resource_key: str) -> bool:
        return self._expect_steward(user_key, resource_key, Role.APPROVER, "decide_resource")

    def expect(self, permission: str, user_key: str, resource_key: str) -> bool:
        return getattr(self, f"expect_{permission}")(user_key, resource_key)

    def cases(self) -> Iterator[tuple[str, str]]:
        """Yield (user, resource) pairs: every pair under ``--full``, else a fixed sample.

        The sample (``sampling.page_pair_sampled``) gives every user one resource in
        ``CRAWL_STRIDE`` and every resource one user in ``CRAWL_STRIDE``, different pairs on
        SQLite and on PostgreSQL; the selectors and
        ``has_perm`` are still checked on every pair (``matrix_violations``).
        """
        for u, user_key in enumerate(self.users):
            for r, resource_key in enumerate(self.resources):
                if sampling.page_pair_sampled(u, r):
                    yield user_key, resource_key

    def visible_keys(self, user_key: str) -> set[str]:
        return {r for r in self.resources if self.expect_view(user_key, r)}


def build_matrix() -> AccessMatrix:
    """Create the matrix's departments, users, resources, grants and delegations."""
    matrix = AccessMatrix()
    for key, clearance in DEPARTMENTS.items():
        matrix.departments[key] = builders.department(f"矩阵{key}部门", clearance=clearance)
    for spec in USERS:
        user = builders.user(
            matrix.departments[spec.department] if spec.department else None,
            clearance=spec.clearance,
            roles=spec.roles,
            username=spec.key,
        )
        if not spec.active:
            user.is_active = False
            user.save(update_fields=["is_active"])
        matrix.users[spec.key] = user
    for spec in RESOURCES:
        matrix.resources[spec.key] = builders.resource(
            matrix.departments[spec.provider],
            level=spec.level,
            share_type=spec.share_type,
            status=spec.status,
            catalog_scope=spec.scope,
            name=f"矩阵资源{spec.key}",
            items=[
                builders.item("编号", level=1, is_key=True),
                builders.item("名称", level=min(2, spec.level)),
                builders.item("敏感项", level=spec.level, kind="id_number"),
            ],
        )
    for resource_key, dept_key, state in GRANTS:
        res, dept = matrix.resources[resource_key], matrix.departments[dept_key]
        if state == "expired":
            builders.grant(res, dept, days=-1, start_days_ago=30)
        else:
            created = builders.grant(res, dept, item_names=["编号", "名称"])
            if state == "revoked":
                grant_revoke(actor=None, grant=created, reason="矩阵测试撤销")
    for user_key, resource_key, codename in DELEGATIONS:
        resource_delegate(
            actor=None,
            resource=matrix.resources[resource_key],
            user=matrix.users[user_key],
            codename=codename,
        )
    return matrix


SELECTORS: dict[str, Callable[..., object]] = {
    "view": selectors.resources_visible_to,
    "read": data_selectors.resources_readable_by,
    "change": selectors.resources_changeable_by,
    "decide": selectors.resources_decidable_by,
}
HAS_PERM = {
    "view": "catalog.view_resource",
    "read": "catalog.read_resource_data",
    "change": "catalog.change_resource",
    "decide": "catalog.decide_resource",
}


def matrix_violations(matrix: AccessMatrix) -> list[str]:
    """Return every case where a selector or ``has_perm`` differs from the specification."""
    violations: list[str] = []
    for user_key, user in matrix.users.items():
        fresh = User.objects.get(pk=user.pk)  # no cached roles from building
        for permission in PERMISSIONS:
            selected = set(
                SELECTORS[permission](user=fresh).values_list("pk", flat=True)  # type: ignore[attr-defined]
            )
            for resource_key, resource in matrix.resources.items():
                expected = matrix.expect(permission, user_key, resource_key)
                in_queryset = resource.pk in selected
                by_perm = fresh.has_perm(HAS_PERM[permission], resource)
                if in_queryset != expected or by_perm != expected:
                    violations.append(
                        f"{user_key} {permission} {resource_key}: expected {expected}, "
                        f"selector {in_queryset}, has_perm {by_perm}"
                    )
    anonymous = AnonymousUser()
    for permission in PERMISSIONS:
        if SELECTORS[permission](user=anonymous).exists():  # type: ignore[attr-defined]
            violations.append(f"anonymous {permission}: selector is not empty")
    return violations
