"""Grants: the permission that an approved share request creates."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Department
from catalog.models import DataItem, Resource


class GrantQuerySet(models.QuerySet["Grant"]):
    def in_force(self, at=None) -> GrantQuerySet:
        """Return grants that are active and inside their period at the given time."""
        at = at or timezone.now()
        return self.filter(status=Grant.Status.ACTIVE, valid_from__lte=at, valid_until__gt=at)


class Grant(models.Model):
    """A consumer department's scoped, time-limited right to read a resource's data."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        EXPIRED = "expired", _("Expired")
        REVOKED = "revoked", _("Revoked")

    resource = models.ForeignKey(
        Resource, on_delete=models.PROTECT, related_name="grants", verbose_name=_("resource")
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="grants",
        verbose_name=_("consumer department"),
    )
    items = models.ManyToManyField(
        DataItem, related_name="grants", verbose_name=_("granted data items")
    )
    valid_from = models.DateTimeField(_("valid from"))
    valid_until = models.DateTimeField(_("valid until"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    purpose = models.CharField(_("purpose"), max_length=200, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoke_reason = models.TextField(_("reason for revocation"), blank=True)

    objects = GrantQuerySet.as_manager()

    class Meta:
        verbose_name = _("grant")
        verbose_name_plural = _("grants")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gt=F("valid_from")), name="grant_period_positive"
            ),
            models.CheckConstraint(
                condition=~Q(status="revoked") | Q(revoked_at__isnull=False),
                name="grant_revoked_has_time",
            ),
            # One active grant per department and resource: a second approval extends or
            # replaces it through the service, it never stacks.
            models.UniqueConstraint(
                fields=["resource", "department"],
                condition=Q(status="active"),
                name="grant_one_active_per_department",
            ),
        ]
        indexes = [
            models.Index(fields=["department", "status", "valid_until"], name="grant_dept_status")
        ]

    def __str__(self) -> str:
        return f"{self.department} → {self.resource}"

    def is_in_force(self, at=None) -> bool:
        """Return whether the grant is active and inside its period."""
        at = at or timezone.now()
        return self.status == self.Status.ACTIVE and self.valid_from <= at < self.valid_until

    # Data delivery scope. Row scope: a GB/T 2260 code prefix; only rows whose region item
    # starts with it are delivered (数据回流 to a district). Blank means every row.
    row_scope_region = models.CharField(  # noqa: DJ012 - appended after the methods on purpose
        _("row scope (region code prefix)"),
        max_length=6,
        blank=True,
        validators=[RegexValidator(r"^[0-9]{2,6}$", _("Give 2 to 6 digits of a region code."))],
    )
    # Personal-data items the consumer receives unmasked; all others stay masked.
    clear_items = models.ManyToManyField(
        DataItem,
        blank=True,
        related_name="clear_grants",
        verbose_name=_("items delivered in clear"),
    )
