"""Writes to departments, users, roles and clearances.

``actor=None`` means the system itself (a management command such as ``load_demo``); every
other actor is checked against the 三员 separation of duties.
"""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django_otp import match_token
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from audit.models import AuditEvent
from audit.services import record
from kernel.policies import require

from .. import policies
from ..models import ADMIN_ROLES, Department, Level, Role, RoleAssignment, User

# Credit codes of government bodies (机关) start with this (GB 32100 登记管理部门码 1 + 类别 1).
GOVERNMENT_USCC_PREFIX = "11"
FILING_NUMBER_MAX = 999


def department_uscc_check(*, uscc: str, exception_reason: str) -> str:
    """Refuse a department's credit code not starting with ``11`` without a recorded reason.

    Return the reason to keep: empty for a government body's code (there is nothing to except).
    """
    if uscc.strip().upper().startswith(GOVERNMENT_USCC_PREFIX):
        return ""
    reason = exception_reason.strip()
    if not reason:
        raise ValidationError(
            {
                "uscc": _(
                    "A government department's credit code starts with 11 (机关). Record the "
                    "reason for the exception to use another code."
                )
            }
        )
    return reason


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
    uscc_exception_reason: str = "",
) -> Department:
    """Create a department with its own auth group (which holds its data-access grants).

    A government department's credit code starts with ``11`` (机关); another prefix is refused
    unless ``uscc_exception_reason`` records why (e.g. a public institution acting as a
    department), which is kept on the department and in its own audit event.
    """
    require(
        actor,
        policies.can_manage_departments,
        message=_("Only the system administrator may do this."),
    )
    uscc = uscc.strip().upper()
    uscc_exception_reason = department_uscc_check(uscc=uscc, exception_reason=uscc_exception_reason)
    department = Department(
        name=name.strip(),
        short_name=short_name.strip(),
        name_en=name_en.strip(),
        uscc=uscc,
        uscc_exception_reason=uscc_exception_reason,
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
    if uscc_exception_reason:
        record(
            actor=actor,
            action="department.uscc_exception",
            obj=department,
            details={"uscc": uscc, "reason": uscc_exception_reason},
        )
    return department


@transaction.atomic
def department_filing_number(*, department: Department) -> int:
    """Return the department's filing number, giving it the next free one in its region first.

    The number (1–999) is the department's part of its information systems' codes; it is given
    at the first approval of one of its systems and never changes. Every department of the
    region is locked while a number is given, so two first approvals cannot take the same one.
    """
    if department.filing_number is not None:
        return department.filing_number
    region = list(
        Department.objects.select_for_update()
        .filter(region_code=department.region_code)
        .order_by("pk")
        .values_list("pk", "filing_number")
    )
    current = dict(region)[department.pk]
    if current is None:
        current = max((n for _pk, n in region if n is not None), default=0) + 1
        if current > FILING_NUMBER_MAX:
            raise ValidationError(
                _("Region %(region)s has no filing number left for another department.")
                % {"region": department.region_code}
            )
        # Part of the approval that needed it: that audit event names the number.
        Department.objects.filter(pk=department.pk).update(filing_number=current)
    department.filing_number = current
    return current


def _check_clearance(department: Department | None, clearance: int) -> None:
    if clearance not in Level.values:
        raise ValidationError({"clearance": _("Clearance must be one of L1 to L4.")})
    if not policies.clearance_allowed(department, clearance):
        assert department is not None  # without a department every valid clearance is allowed
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
    kind: str = User.Kind.PERSON,
) -> User:
    """Create a user in a department, with a clearance and roles.

    A service account (``kind`` service) gets no password: it never signs in on the web and
    calls the API with tokens its department administrator issues.
    """
    require(
        actor,
        policies.can_create_account,
        department,
        message=_(
            "Only the system administrator, or the department's own administrator, "
            "may create accounts."
        ),
    )
    require(
        actor,
        policies.can_create_with_clearance,
        clearance,
        message=_("Only the security administrator may grant clearances above L1."),
    )
    _check_clearance(department, clearance)
    if kind not in User.Kind.values:
        raise ValidationError({"kind": _("Unknown kind of account.")})
    user = User(
        username=username.strip(),
        department=department,
        full_name=full_name.strip(),
        email=email.strip(),
        clearance=clearance,
        kind=kind,
    )
    if password and kind == User.Kind.PERSON:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    details: dict[str, object] = {"clearance": clearance}
    if kind != User.Kind.PERSON:
        details["kind"] = kind
    record(actor=actor, action="user.create", obj=user, details=details)
    for role in roles:
        role_assign(actor=actor, user=user, role=role)
    return user


@transaction.atomic
def user_set_active(*, actor: User | None, user: User, active: bool) -> User:
    """Deactivate or reactivate an account (never one's own).

    The system administrator may do it for anybody; a department administrator for the
    accounts of their own department that hold only department roles.
    """
    require(
        actor,
        policies.acts_on_another,
        user,
        message=_("Nobody may deactivate or reactivate their own account."),
    )
    require(
        actor,
        policies.can_set_active,
        user,
        message=_("Only the system administrator may activate or deactivate accounts."),
    )
    if user.is_active == active:
        return user
    user.is_active = active
    user.save(update_fields=["is_active"])
    record(actor=actor, action="user.activate" if active else "user.deactivate", obj=user)
    return user


@transaction.atomic
def department_set_active(
    *, actor: User | None, department: Department, active: bool
) -> Department:
    """Deactivate or reactivate a department (system administrator only)."""
    require(
        actor,
        policies.can_manage_departments,
        message=_("Only the system administrator may do this."),
    )
    if department.is_active == active:
        return department
    department.is_active = active
    department.save(update_fields=["is_active"])
    record(
        actor=actor,
        action="department.activate" if active else "department.deactivate",
        obj=department,
    )
    return department


def _check_not_self(actor: User | None, user: User) -> None:
    require(
        actor,
        policies.acts_on_another,
        user,
        message=_("Nobody may change their own roles or clearance."),
    )


def _check_may_assign(actor: User | None, user: User, role: str) -> None:
    require(
        actor,
        policies.within_department_reach,
        user,
        message=_("A department administrator manages the accounts of their own department only."),
    )
    require(
        actor,
        policies.can_assign_role,
        user,
        role,
        message=_("Only the security administrator may grant this role."),
    )


@transaction.atomic
def role_assign(*, actor: User | None, user: User, role: str) -> RoleAssignment:
    """Give a user a role, refusing a second one of the three administrator roles (三员分立)."""
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role “%(role)s”.") % {"role": role}})
    _check_not_self(actor, user)
    _check_may_assign(actor, user, role)
    if not policies.may_hold_role(user, role):
        raise ValidationError(
            {
                "role": _(
                    "A service account cannot hold a role that needs a second factor (%(role)s)."
                )
                % {"role": Role(role).label}
            }
        )
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
    if policies.becomes_second_factor_holder(held, role):
        # Tokens made before the role were made without a second factor: they go.
        from .tokens import tokens_revoke_second_factor_breaches

        tokens_revoke_second_factor_breaches(actor=actor, holder=user)
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
    require(
        actor,
        policies.can_change_clearance,
        user,
        message=_("Only the security administrator may change clearances."),
    )
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


# --- Two-factor sign-in (TOTP with recovery codes) -------------------------------------

RECOVERY_CODE_COUNT = 10
TOTP_DEVICE_NAME = "authenticator"
RECOVERY_DEVICE_NAME = "recovery codes"


def _check_secret(secret_hex: str) -> str:
    secret = secret_hex.strip().lower()
    try:
        raw = bytes.fromhex(secret)
    except ValueError:
        raw = b""
    # RFC 4226 asks for at least 128 bits and recommends 160.
    if len(raw) < 16:
        raise ValidationError(
            {"secret_hex": _("The secret must be at least 16 bytes written in hexadecimal.")}
        )
    return secret


@transaction.atomic
def totp_device_create(
    *,
    actor: User | None,
    user: User,
    secret_hex: str | None = None,
    confirmed: bool = True,
) -> TOTPDevice:
    """Give a user a TOTP authenticator, replacing any they had.

    ``actor=None`` is the system: the demo loader uses it with a fixed, published
    ``secret_hex`` so demo accounts can pass two-factor sign-in (never do that with real
    accounts). A signed-in person may only create their own (unconfirmed, during enrolment).
    """
    require(
        actor,
        policies.is_account_holder,
        user,
        message=_("Only the account holder may enrol an authenticator."),
    )
    key = _check_secret(secret_hex) if secret_hex else random_hex(20)
    if confirmed:
        TOTPDevice.objects.filter(user=user).delete()
    else:
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    device = TOTPDevice.objects.create(
        user=user, name=TOTP_DEVICE_NAME, key=key, confirmed=confirmed
    )
    if confirmed:
        record(actor=actor, action="otp.device_create", obj=user)
    return device


@transaction.atomic
def recovery_codes_create(*, actor: User | None, user: User) -> list[str]:
    """Replace the user's recovery codes with new single-use ones and return them (shown once)."""
    require(
        actor,
        policies.is_account_holder,
        user,
        message=_("Only the account holder may create recovery codes."),
    )
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _i in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    record(actor=actor, action="otp.recovery_codes", obj=user, details={"count": len(codes)})
    return codes


@transaction.atomic
def totp_enrol_confirm(*, user: User, device: TOTPDevice, token: str) -> list[str]:
    """Confirm an authenticator with its first code; return the new recovery codes."""
    if device.user_id != user.pk or device.confirmed:
        raise PermissionDenied(_("This enrolment is no longer valid. Start again."))
    if not device.verify_token(token.strip()):
        record(
            actor=user,
            action="otp.enrol",
            obj=user,
            result=AuditEvent.Result.FAILURE,
        )
        raise ValidationError(
            {"token": _("The code is not correct. Check the time on your phone and try again.")}
        )
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    record(actor=user, action="otp.enrol", obj=user)
    return recovery_codes_create(actor=user, user=user)


def otp_verify(*, user: User, token: str) -> Device:
    """Check a TOTP or recovery code for the user; return the device that matched.

    Not atomic on purpose: a failed attempt is recorded even though the caller gets an error.
    """
    device = match_token(user, token.strip())
    if device is None:
        record(actor=user, action="otp.verify", obj=user, result=AuditEvent.Result.FAILURE)
        raise ValidationError({"token": _("The code is not correct.")})
    method = "recovery_code" if isinstance(device, StaticDevice) else "totp"
    record(actor=user, action="otp.verify", obj=user, details={"method": method})
    return device


def totp_confirm(*, user: User, token: str, purpose: str) -> TOTPDevice:
    """Check a current code of the user's confirmed authenticator app (never a recovery code).

    For a step that needs the holder's phone now, such as ``issue_token`` for a privileged
    account. Not atomic on purpose: a failed attempt is recorded (``otp.verify``, failure, with
    the purpose) even though the caller gets an error.
    """
    devices = list(TOTPDevice.objects.filter(user=user, confirmed=True))
    if not devices:
        raise ValidationError(
            {"token": _("%(user)s has no confirmed authenticator app.") % {"user": user}}
        )
    code = token.strip()
    device = next((d for d in devices if d.verify_token(code)), None)
    details = {"method": "totp", "purpose": purpose}
    if device is None:
        record(
            actor=user,
            action="otp.verify",
            obj=user,
            result=AuditEvent.Result.FAILURE,
            details=details,
        )
        raise ValidationError({"token": _("The code is not correct.")})
    record(actor=user, action="otp.verify", obj=user, details=details)
    return device


@transaction.atomic
def otp_devices_reset(*, actor: User | None, user: User) -> None:
    """Remove a user's second factors after a lost phone (security administrator only).

    The user must enrol again at their next sign-in.
    """
    _check_not_self(actor, user)
    require(
        actor,
        policies.can_reset_second_factor,
        user,
        message=_("Only the security administrator may do this."),
    )
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    record(actor=actor, action="otp.reset", obj=user)
