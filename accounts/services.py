"""Writes to departments, users, roles and clearances.

``actor=None`` means the system itself (a management command such as ``load_demo``); every
other actor is checked against the 三员 separation of duties.
"""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from audit.services import record

from .models import ADMIN_ROLES, Department, Level, Role, RoleAssignment, User

# Roles a department administrator may hand out inside their own department.
DEPARTMENT_ROLES = frozenset({Role.STAFF, Role.EDITOR, Role.APPROVER})


def _require_role(actor: User | None, *roles: str) -> None:
    if actor is None:
        return
    if not actor.has_role(*roles):
        raise PermissionDenied(_("You are not allowed to do this."))


@transaction.atomic
def department_create(
    *,
    actor: User | None,
    name: str,
    short_name: str,
    uscc: str,
    region_code: str,
    parent: Department | None = None,
    admin_level: str = Department.AdminLevel.CITY,
    vertically_managed: bool = False,
    clearance: int = Level.L2,
    name_en: str = "",
) -> Department:
    """Create a department with its own auth group (which holds its data-access grants)."""
    _require_role(actor, Role.SYSTEM_ADMIN)
    department = Department(
        name=name.strip(),
        short_name=short_name.strip(),
        name_en=name_en.strip(),
        uscc=uscc.strip().upper(),
        region_code=region_code.strip(),
        parent=parent,
        admin_level=admin_level,
        vertically_managed=vertically_managed,
        clearance=clearance,
    )
    department.full_clean(exclude=["group"])
    department.group = Group.objects.create(name=f"department:{department.uscc}")
    department.save()
    record(actor=actor, action="department.create", obj=department)
    return department


def _check_clearance(department: Department | None, clearance: int) -> None:
    if clearance not in Level.values:
        raise ValidationError({"clearance": _("Clearance must be one of L1 to L4.")})
    if department is not None and clearance > department.clearance:
        raise ValidationError(
            {
                "clearance": _(
                    "Clearance L%(clearance)s is above the highest clearance of %(department)s (L%(max)s)."
                )
                % {
                    "clearance": clearance,
                    "department": department.name,
                    "max": department.clearance,
                }
            }
        )


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    username: str,
    department: Department | None,
    password: str | None = None,
    full_name: str = "",
    email: str = "",
    clearance: int = Level.L1,
    roles: tuple[str, ...] = (Role.STAFF,),
) -> User:
    """Create a user in a department, with a clearance and roles."""
    if actor is not None and not actor.has_role(Role.SYSTEM_ADMIN):
        own = department is not None and actor.department_id == department.pk
        if not (own and actor.has_role(Role.DEPARTMENT_ADMIN)):
            raise PermissionDenied(_("You are not allowed to do this."))
    _check_clearance(department, clearance)
    user = User(
        username=username.strip(),
        department=department,
        full_name=full_name.strip(),
        email=email.strip(),
        clearance=clearance,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    record(actor=actor, action="user.create", obj=user, details={"clearance": clearance})
    for role in roles:
        role_assign(actor=actor, user=user, role=role)
    return user


def _check_not_self(actor: User | None, user: User) -> None:
    if actor is not None and actor.pk == user.pk:
        raise PermissionDenied(_("Nobody may change their own roles or clearance."))


def _check_may_assign(actor: User | None, user: User, role: str) -> None:
    if actor is None or actor.has_role(Role.SECURITY_ADMIN):
        return
    # Staff is the baseline every account has; whoever may create the account may give it.
    if role == Role.STAFF and actor.has_role(Role.SYSTEM_ADMIN, Role.DEPARTMENT_ADMIN):
        return
    if (
        actor.has_role(Role.DEPARTMENT_ADMIN)
        and role in DEPARTMENT_ROLES
        and actor.department_id is not None
        and actor.department_id == user.department_id
    ):
        return
    raise PermissionDenied(_("Only the security administrator may grant this role."))


@transaction.atomic
def role_assign(*, actor: User | None, user: User, role: str) -> RoleAssignment:
    """Give a user a role, refusing a second one of the three administrator roles (三员分立)."""
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role “%(role)s”.") % {"role": role}})
    _check_not_self(actor, user)
    _check_may_assign(actor, user, role)
    held = set(user.role_assignments.values_list("role", flat=True))
    if role in held:
        raise ValidationError({"role": _("%(user)s already holds this role.") % {"user": user}})
    if role in ADMIN_ROLES and held & ADMIN_ROLES:
        raise ValidationError(
            {
                "role": _(
                    "A person may hold only one of the system, security and audit administrator roles."
                )
            }
        )
    try:
        with transaction.atomic():
            assignment = RoleAssignment.objects.create(user=user, role=role, granted_by=actor)
    except IntegrityError as exc:  # a concurrent assignment won the race
        raise ValidationError(
            {
                "role": _(
                    "A person may hold only one of the system, security and audit administrator roles."
                )
            }
        ) from exc
    user.forget_roles()
    record(actor=actor, action="role.assign", obj=user, details={"role": role})
    return assignment


@transaction.atomic
def role_revoke(*, actor: User | None, user: User, role: str) -> None:
    """Take a role away from a user."""
    _check_not_self(actor, user)
    _check_may_assign(actor, user, role)
    deleted, _rows = RoleAssignment.objects.filter(user=user, role=role).delete()
    if not deleted:
        raise ValidationError({"role": _("%(user)s does not hold this role.") % {"user": user}})
    user.forget_roles()
    record(actor=actor, action="role.revoke", obj=user, details={"role": role})


@transaction.atomic
def user_set_clearance(*, actor: User | None, user: User, clearance: int) -> User:
    """Change a user's clearance (security administrator only)."""
    _check_not_self(actor, user)
    _require_role(actor, Role.SECURITY_ADMIN)
    _check_clearance(user.department, clearance)
    previous = user.clearance
    user.clearance = clearance
    user.save(update_fields=["clearance"])
    record(
        actor=actor,
        action="user.clearance",
        obj=user,
        details={"from": previous, "to": clearance},
    )
    return user
