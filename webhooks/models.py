"""Webhooks: a department's subscriptions to portal events, and each event's delivery to them."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Department


class EventKind(models.TextChoices):
    """The events a subscription may choose; the value is the ``X-Portal-Event`` header."""

    REQUEST_DECIDED = "request.decided", pgettext_lazy("webhook event", "Share request decided")
    REQUEST_RETURNED = (
        "request.returned",
        pgettext_lazy("webhook event", "Share request returned for changes"),
    )
    GRANT_CREATED = "grant.created", pgettext_lazy("webhook event", "Grant created")
    GRANT_EXPIRING = "grant.expiring", pgettext_lazy("webhook event", "Grant expiring")
    GRANT_REVOKED = "grant.revoked", pgettext_lazy("webhook event", "Grant revoked")
    RESOURCE_CHANGED = "resource.changed", pgettext_lazy("webhook event", "Resource changed")
    RESOURCE_RETIRED = "resource.retired", pgettext_lazy("webhook event", "Resource retired")
    DATA_VERSION = "data.version", pgettext_lazy("webhook event", "New data version")
    CORRECTION_ANSWERED = (
        "correction.answered",
        pgettext_lazy("webhook event", "Correction answered"),
    )
    INTERFACE_DOWN = "interface.down", pgettext_lazy("webhook event", "Interface down")
    INTERFACE_UP = "interface.up", pgettext_lazy("webhook event", "Interface up")


class Subscription(models.Model):
    """One department's endpoint for the events it chose (the secret signs every delivery)."""

    department = models.ForeignKey(
        Department,
        on_delete=models.CASCADE,
        related_name="webhook_subscriptions",
        verbose_name=_("department"),
    )
    target_url = models.URLField(_("target URL"), max_length=500)
    # The chosen EventKind values; the service accepts only known ones.
    kinds = models.JSONField(_("events"), default=list)
    # The signing secret, encrypted (webhooks.signing); shown once at creation and rotation.
    secret_encrypted = models.TextField(editable=False)
    active = models.BooleanField(_("active"), default=True)
    disabled_reason = models.CharField(_("why disabled"), max_length=200, blank=True)
    consecutive_failures = models.PositiveIntegerField(_("consecutive failures"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    secret_rotated_at = models.DateTimeField(_("secret rotated"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(active=True) | ~Q(disabled_reason=""),
                name="webhook_disabled_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(target_url__startswith="http://")
                | Q(target_url__startswith="https://"),
                name="webhook_target_http",
            ),
        ]
        indexes = [models.Index(fields=["department", "active"], name="webhook_department")]

    def __str__(self) -> str:
        return self.target_url


class DeliveryState(models.TextChoices):
    PENDING = "pending", pgettext_lazy("delivery state", "Pending")
    DELIVERED = "delivered", pgettext_lazy("delivery state", "Delivered")
    FAILED = "failed", pgettext_lazy("delivery state", "Failed, will retry")
    GAVE_UP = "gave_up", pgettext_lazy("delivery state", "Gave up")


class Delivery(models.Model):
    """One event for one subscription: its payload, and where its attempts stand."""

    State = DeliveryState

    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    event_id = models.UUIDField(default=uuid.uuid4, editable=False)
    kind = models.CharField(_("event"), max_length=30, choices=EventKind.choices)
    payload = models.JSONField(default=dict)
    state = models.CharField(
        _("state"), max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(_("last status"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "event_id"], name="webhook_delivery_once"
            ),
            models.CheckConstraint(
                condition=Q(state__in=DeliveryState.values), name="webhook_delivery_state_known"
            ),
            models.CheckConstraint(
                condition=~Q(state=DeliveryState.DELIVERED) | Q(delivered_at__isnull=False),
                name="webhook_delivered_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="webhook_delivery_due"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.event_id}"


class DeliveryAttempt(models.Model):
    """One POST of a delivery to its target: when, the answer's status code or the error."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempt_log")
    at = models.DateTimeField(_("time"))
    status_code = models.PositiveSmallIntegerField(_("status code"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)

    class Meta:
        verbose_name = _("webhook delivery attempt")
        verbose_name_plural = _("webhook delivery attempts")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.status_code or self.error}"
