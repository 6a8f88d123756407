"""Departments, users, roles and clearances."""

from __future__ import annotations

import ipaddress
from functools import cached_property

from django.conf import settings
from django.contrib.auth.models import AbstractUser, Group
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kernel.models import ChoiceLabels

from .validators import validate_region_code, validate_uscc


class Level(models.IntegerChoices):
    """Sensitivity level of data (DB33/T 2350 style) and clearance of people."""

    L1 = 1, _("L1 not sensitive")
    L2 = 2, _("L2 low sensitivity")
    L3 = 3, _("L3 fairly sensitive")
    L4 = 4, _("L4 sensitive")


LEVEL_RANGE = Q(clearance__gte=Level.L1) & Q(clearance__lte=Level.L4)


class Department(ChoiceLabels):
    """A government department (政务部门) of the city or one of its districts."""

    class AdminLevel(models.TextChoices):
        PROVINCE = "province", _("Province")
        CITY = "city", _("City")
        DISTRICT = "district", _("District / county")
        TOWNSHIP = "township", _("Township / street")

    name = models.CharField(_("name"), max_length=100, unique=True)
    short_name = models.CharField(_("short name"), max_length=30)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    uscc = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        validators=[validate_uscc],
        help_text=_(
            "18 characters with the GB 32100 check digit; government bodies start with 11."
        ),
    )
    region_code = models.CharField(
        _("region code"),
        max_length=6,
        validators=[validate_region_code],
        help_text=_("GB/T 2260 administrative region code, six digits."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    admin_level = models.CharField(
        _("administrative level"),
        max_length=10,
        choices=AdminLevel.choices,
        default=AdminLevel.CITY,
    )
    vertically_managed = models.BooleanField(
        _("vertically managed"),
        default=False,
        help_text=_("Managed by a higher-level authority (垂直管理), e.g. the tax bureau."),
    )
    clearance = models.PositiveSmallIntegerField(
        _("highest clearance"),
        choices=Level.choices,
        default=Level.L2,
        help_text=_("No user of the department may hold a higher clearance."),
    )
    requires_outgoing_signoff = models.BooleanField(
        _("own approver signs off outgoing requests"),
        default=False,
    )
    group = models.OneToOneField(
        Group,
        on_delete=models.PROTECT,
        related_name="department",
        editable=False,
        help_text=_("Holds the department's data-access permissions."),
    )
    uscc_exception_reason = models.TextField(
        _("reason the credit code does not start with 11"),
        blank=True,
        help_text=_(
            "Government departments' credit codes start with 11 (机关); another prefix needs a "
            "recorded reason, e.g. a public institution (事业单位, 12) acting as a department."
        ),
    )
    filing_number = models.PositiveSmallIntegerField(
        _("filing number"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "The department's three-digit number within its region in information system codes; "
            "given at its first approved system and never changed."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["region_code", "name"]
        constraints = [
            models.CheckConstraint(condition=LEVEL_RANGE, name="department_clearance_range"),
            models.CheckConstraint(condition=~Q(parent=F("pk")), name="department_not_own_parent"),
            models.CheckConstraint(
                condition=Q(region_code__regex=r"^[0-9]{6}$"), name="department_region_code_format"
            ),
            models.UniqueConstraint(
                fields=["region_code", "filing_number"], name="department_filing_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(filing_number__isnull=True)
                | Q(filing_number__gte=1, filing_number__lte=999),
                name="department_filing_number_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    STAFF = "staff", _("Department staff")
    EDITOR = "editor", _("Catalog editor")
    APPROVER = "approver", _("Approver")
    DEPARTMENT_ADMIN = "department_admin", _("Department administrator")
    COORDINATOR = "coordinator", _("Platform coordinator")
    SYSTEM_ADMIN = "system_admin", _("System administrator")
    SECURITY_ADMIN = "security_admin", _("Security administrator")
    AUDIT_ADMIN = "audit_admin", _("Audit administrator")


# 三员分立: one person may hold at most one of these.
ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})


class User(AbstractUser):
    """A person who signs in, or a service account an information system calls the API as.

    Both belong to a department and hold a clearance. A service account (``kind`` service)
    never signs in on the web and holds no role that needs a second factor; its department
    administrator issues its API tokens (accounts.policies).
    """

    class Kind(models.TextChoices):
        PERSON = "person", pgettext_lazy("kind of account", "Person")
        SERVICE = "service", _("Service account")

    full_name = models.CharField(_("full name"), max_length=50, blank=True)
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    clearance = models.PositiveSmallIntegerField(
        _("clearance"), choices=Level.choices, default=Level.L1
    )
    # Set by a password reset: every page sends the user to the change page until they change it.
    must_change_password = models.BooleanField(_("must change password"), default=False)
    kind = models.CharField(
        _("kind of account"), max_length=10, choices=Kind.choices, default=Kind.PERSON
    )

    class Meta(AbstractUser.Meta):  # type: ignore[name-defined]
        verbose_name = _("user")
        verbose_name_plural = _("users")
        # The administrators' accounts list in its order (accounts.selectors
        # users_for_administration), whole or of one department: a page walks the index.
        indexes = [models.Index(fields=["department", "username"], name="user_department_order")]
        constraints = [
            models.CheckConstraint(condition=LEVEL_RANGE, name="user_clearance_range"),
            models.CheckConstraint(
                condition=Q(kind__in=["person", "service"]), name="user_kind_known"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name or self.username

    @cached_property
    def roles(self) -> frozenset[str]:
        """Return the user's roles, loaded once per instance."""
        return frozenset(self.role_assignments.values_list("role", flat=True))

    def has_role(self, *roles: str) -> bool:
        """Return whether the user holds any of the given roles."""
        return bool(self.roles.intersection(roles))

    @property
    def is_service_account(self) -> bool:
        """Return whether this is a service account (never signs in on the web)."""
        return self.kind == self.Kind.SERVICE

    def forget_roles(self) -> None:
        """Drop the cached roles after they changed."""
        self.__dict__.pop("roles", None)


class RoleAssignment(models.Model):
    """One role held by one user; the admin-role constraint enforces 三员分立 in the database."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    granted_at = models.DateTimeField(_("granted"), auto_now_add=True)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="role_assignment_unique"),
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(role__in=sorted(ADMIN_ROLES)),
                name="one_admin_role_per_user",
                violation_error_message=_(
                    "A person may hold only one of the system, security and audit administrator roles."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"


class ApiToken(models.Model):
    """A key an information system uses to call the API on behalf of one user.

    Only the SHA-256 digest of the key is stored; the key itself is shown once, at creation.
    The prefix (the key's first characters) is kept in clear so people can tell tokens apart.
    """

    class Scope(models.TextChoices):
        READ = "read", _("Read")
        WRITE = "write", _("Write")

    class RevokeReason(models.TextChoices):
        # Created for a holder of a privileged role by someone else (accounts/0004).
        SECOND_FACTOR_RULE = (
            "second-factor rule",
            _("Created without the holder's own second factor; create a new one yourself."),
        )

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    name = models.CharField(
        _("name"), max_length=100, help_text=_("Which system uses the token, e.g. its name.")
    )
    prefix = models.CharField(_("prefix"), max_length=12, db_index=True, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    # "read" or "read,write": writing always includes reading.
    scopes = models.CharField(_("scopes"), max_length=20, default=Scope.READ)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    # Why it was revoked when not by a person's choice (the second-factor rule), shown to its owner.
    revoke_reason = models.CharField(
        _("revocation reason"), max_length=40, blank=True, choices=RevokeReason.choices
    )
    # Client networks (CIDR, e.g. "10.0.0.0/8") the token works from; empty: from anywhere.
    allowed_networks = models.JSONField(_("allowed networks"), default=list, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(scopes__in=["read", "read,write"]), name="api_token_scopes_known"
            ),
            models.CheckConstraint(
                condition=Q(key_hash__regex=r"^[0-9a-f]{64}$"), name="api_token_hash_format"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"

    @property
    def scope_set(self) -> frozenset[str]:
        """Return the token's scopes as a set."""
        return frozenset(self.scopes.split(","))

    def has_scope(self, scope: str) -> bool:
        """Return whether the token carries the scope."""
        return scope in self.scope_set

    def allows_address(self, address: str | None) -> bool:
        """Return whether the token works from the client address (any, without limits)."""
        if not self.allowed_networks:
            return True
        if not address:
            return False
        try:
            client = ipaddress.ip_address(address)
        except ValueError:
            return False
        if isinstance(client, ipaddress.IPv6Address) and client.ipv4_mapped:
            client = client.ipv4_mapped  # "::ffff:10.0.0.7" from a dual-stack listener
        return any(
            client in ipaddress.ip_network(network, strict=False)
            for network in self.allowed_networks
        )

    def is_usable(self, at=None) -> bool:
        """Return whether the token is neither revoked nor expired."""
        at = at or timezone.now()
        return self.revoked_at is None and self.expires_at > at
