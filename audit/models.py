"""The audit trail: one row per important action or read of restricted data.

The trail is append-only and tamper-evident: every event carries the SHA-256 of its own content
and of its predecessor's hash (``audit.chain``), the ORM refuses to change or delete an event,
and on PostgreSQL a trigger refuses UPDATE and DELETE (migration 0001) except the retention purge,
and the database itself appends events (audit_append(), migration 0002).
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .actions import DATA_READ_ACTIONS, action_label
from .chain import HASH_VERSION, HASH_VERSION_DATABASE, compute_hash, compute_hash_v2


class AuditTrailImmutable(Exception):
    """Raised when code tries to change or delete an audit event through the ORM."""


def _refuse(what: str) -> NoReturn:
    raise AuditTrailImmutable(f"The audit trail is append-only: {what} is refused.")


class AppendOnlyQuerySet(models.QuerySet):
    """A queryset that refuses bulk UPDATE and DELETE."""

    def update(self, **kwargs: Any) -> int:
        _refuse("update")

    def delete(self) -> tuple[int, dict[str, int]]:
        _refuse("delete")

    def bulk_update(self, *args: Any, **kwargs: Any) -> int:
        _refuse("bulk_update")


class AppendOnlyModel(models.Model):
    """A row that may be inserted once and never changed or deleted through the ORM."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            _refuse("changing a saved row")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        _refuse("delete")


class AuditEvent(AppendOnlyModel):
    """An audit record: time, user, event, object, result and address (等级保护 2.0)."""

    class Result(models.TextChoices):
        SUCCESS = "success", _("Success")
        FAILURE = "failure", _("Failure")
        DENIED = "denied", _("Denied")

    # Position in the hash chain: contiguous, so a removed event leaves a visible gap.
    sequence = models.PositiveBigIntegerField(_("sequence"), unique=True, editable=False)
    # Set by record() before hashing (not auto_now_add, which would change it after hashing).
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    # PROTECT: deleting a person or department must not rewrite (SET_NULL) the audit trail.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("user"),
    )
    # Kept as text too, so the record still says who it was if the account is renamed; for a
    # failed login it is the name that was tried.
    actor_username = models.CharField(_("username"), max_length=150, blank=True)
    department = models.ForeignKey(
        "accounts.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("department"),
    )
    action = models.CharField(_("action"), max_length=60, db_index=True)
    object_type = models.CharField(_("object type"), max_length=60, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    # The sensitivity level of the object concerned: auditors see events up to their clearance.
    level = models.PositiveSmallIntegerField(_("level"), default=1)
    result = models.CharField(
        _("result"), max_length=10, choices=Result.choices, default=Result.SUCCESS
    )
    client_address = models.GenericIPAddressField(_("client address"), null=True, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64, blank=True, editable=False)
    hash = models.CharField(_("hash"), max_length=64, editable=False)
    # The canonical format the hash was computed over (audit.chain): 1 computed in Python,
    # 2 computed by PostgreSQL's audit_append().
    hash_version = models.PositiveSmallIntegerField(
        _("hash format"), default=1, db_default=1, editable=False
    )

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-sequence"]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
            models.Index(fields=["actor_username", "created_at"], name="audit_actor_time"),
            # The lists' "N events above your clearance" count (``level > clearance``, capped):
            # without it the count scanned the whole trail when no event is above the reader
            # (136 ms at city scale on the chain page, linear in the trail); with it, an index
            # range that is empty or stops at the cap.
            models.Index(fields=["level", "created_at"], name="audit_level_time"),
            # "Who read our data" (audit.selectors.data_reads_for_provider): one department's
            # reads in the page's period (the last 30 days unless asked), by the provider each
            # read records. Without it the page walked the whole trail backwards, comparing
            # each read with every resource of the department.
            models.Index(
                F("details__provider"),
                F("created_at"),
                condition=Q(action__in=DATA_READ_ACTIONS, object_type="catalog.resource"),
                name="audit_data_reads",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.actor_username} {self.action}"

    @property
    def action_label(self) -> str:
        """The action's readable name in the active language (the code if it has none)."""
        return action_label(self.action)

    def chain_values(self) -> dict[str, Any]:
        """Return the values the hash covers."""
        return {
            "sequence": self.sequence,
            "created_at": self.created_at,
            "actor_id": self.actor_id,
            "actor_username": self.actor_username,
            "department_id": self.department_id,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "object_repr": self.object_repr,
            "level": self.level,
            "result": self.result,
            "client_address": self.client_address,
            "details": self.details,
            "prev_hash": self.prev_hash,
        }

    def computed_hash(self) -> str:
        """Return the hash the event's current content should carry.

        Format 2 uses the database's rendering of ``details`` when the row was read with it
        (``details_text``, as the verifier reads), else renders it in Python.
        """
        if self.hash_version == HASH_VERSION_DATABASE:
            return compute_hash_v2(self.chain_values(), getattr(self, "details_text", None))
        if self.hash_version != HASH_VERSION:
            return ""  # an unknown format never matches
        return compute_hash(self.chain_values())


class AuditCheckpoint(AppendOnlyModel):
    """Where the chain resumes after a retention purge: the last purged event's hash."""

    created_at = models.DateTimeField(_("time"), default=timezone.now)
    sequence = models.PositiveBigIntegerField(_("last purged sequence"), unique=True)
    hash = models.CharField(_("last purged hash"), max_length=64)
    purged_count = models.PositiveBigIntegerField(_("events purged"))
    cutoff = models.DateTimeField(_("purged events older than"))

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit checkpoint")
        verbose_name_plural = _("audit checkpoints")
        ordering = ["-sequence"]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.hash[:12]}"
