"""The live exchange's tables: the networks the portal may call out to.

An ``EgressNetwork`` is one network (CIDR) the coordinator allows as a target of the portal's
outgoing calls (the broker's calls to departments' interfaces, webhook deliveries). Nothing
outside the listed networks is ever called (``exchange.egress.check_target``).
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


def validate_cidr(value: str) -> None:
    """Refuse anything that is not one network in CIDR form (host bits clear)."""
    try:
        ipaddress.ip_network(value, strict=True)
    except ValueError:
        raise ValidationError(
            _("Enter one network in CIDR form with its host bits clear, e.g. 10.12.0.0/16."),
            code="invalid",
        ) from None


class EgressNetwork(models.Model):
    """A network the portal's outgoing calls may reach (kept by the coordinator)."""

    cidr = models.CharField(
        _("network (CIDR)"), max_length=49, unique=True, validators=[validate_cidr]
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ("cidr",)
        verbose_name = _("allowed outgoing network")
        verbose_name_plural = _("allowed outgoing networks")

    def __str__(self) -> str:
        return self.cidr

    def network(self) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
        return ipaddress.ip_network(self.cidr, strict=False)


INTERFACE_NAME = RegexValidator(
    r"^[A-Za-z][A-Za-z0-9_]{0,39}\Z",
    _("Use one word: a letter, then letters, digits or underscores (at most 40)."),
)
UPSTREAM_NAME = RegexValidator(
    r"^[A-Za-z_][A-Za-z0-9_.\-]{0,63}\Z",
    _("Use the upstream field's own name: letters, digits, _ . - (at most 64)."),
)


class Interface(models.Model):
    """A live interface (服务接口) a provider offers for one resource, called through the broker.

    The portal calls ``base_url`` with the caller's input parameters and returns the output
    fields the caller may read. The secret the portal sends to the upstream is stored encrypted
    (``exchange.secrets``) and never shown again.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted for review")
        PUBLISHED = "published", _("Published")
        RETIRED = "retired", _("Retired")

    class Method(models.TextChoices):
        GET = "GET", "GET"
        POST = "POST", "POST"

    class AuthKind(models.TextChoices):
        NONE = "none", _("None")
        HEADER = "header", _("Key in a header")
        BEARER = "bearer", _("Bearer token")

    resource = models.ForeignKey(
        "catalog.Resource",
        on_delete=models.PROTECT,
        related_name="interfaces",
        verbose_name=_("resource"),
    )
    name = models.CharField(_("name"), max_length=40, validators=[INTERFACE_NAME])
    description = models.CharField(_("description"), max_length=200, blank=True)
    base_url = models.CharField(_("upstream address"), max_length=500)
    method = models.CharField(_("method"), max_length=4, choices=Method.choices)
    timeout_ms = models.PositiveIntegerField(_("timeout (ms)"), default=3000)
    auth_kind = models.CharField(
        _("authentication"), max_length=6, choices=AuthKind.choices, default=AuthKind.NONE
    )
    auth_header = models.CharField(_("authentication header"), max_length=64, blank=True)
    secret_encrypted = models.TextField(blank=True, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    review_comment = models.CharField(_("review comment"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        ordering = ("resource_id", "name", "id")
        verbose_name = _("interface")
        verbose_name_plural = _("interfaces")
        constraints = [
            models.UniqueConstraint(fields=["resource", "name"], name="interface_name_unique"),
            models.CheckConstraint(
                condition=models.Q(timeout_ms__gte=100) & models.Q(timeout_ms__lte=30000),
                name="interface_timeout_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def has_secret(self) -> bool:
        return bool(self.secret_encrypted)

    @property
    def level(self) -> int:
        """The resource's level: the audit trail classifies the interface's events by it."""
        return int(self.resource.level)


class InterfaceParameter(models.Model):
    """One data item of the resource an interface takes (input) or returns (output)."""

    class Direction(models.TextChoices):
        INPUT = "input", _("Input")
        OUTPUT = "output", _("Output")

    interface = models.ForeignKey(Interface, on_delete=models.CASCADE, related_name="parameters")
    data_item = models.ForeignKey(
        "catalog.DataItem", on_delete=models.PROTECT, related_name="+", verbose_name=_("data item")
    )
    direction = models.CharField(_("direction"), max_length=6, choices=Direction.choices)
    upstream_name = models.CharField(_("upstream name"), max_length=64, validators=[UPSTREAM_NAME])

    class Meta:
        ordering = ("interface_id", "direction", "id")
        verbose_name = _("interface parameter")
        verbose_name_plural = _("interface parameters")
        constraints = [
            models.UniqueConstraint(
                fields=["interface", "direction", "data_item"], name="interface_parameter_item"
            ),
            models.UniqueConstraint(
                fields=["interface", "direction", "upstream_name"],
                name="interface_parameter_upstream",
            ),
        ]

    def __str__(self) -> str:
        return self.upstream_name


# Upper bounds (ms) of the latency buckets of the daily figures; the last bucket is open.
LATENCY_BUCKETS = (10, 25, 50, 100, 250, 500, 1000, 2500, 5000)


class InterfaceDailyStat(models.Model):
    """One interface's calls by one consumer department on one day, counted as they happen.

    Each call adds to its row with ``F()`` updates (``exchange.services.availability``): no
    page ever scans the calls. Latency is kept as a histogram (``lat_0`` … ``lat_9``: the
    buckets of ``LATENCY_BUCKETS``, then the rest), from which p50 and p95 are read.
    """

    interface = models.ForeignKey(Interface, on_delete=models.CASCADE, related_name="daily_stats")
    department = models.ForeignKey(
        "accounts.Department", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    day = models.DateField(_("day"))
    calls = models.PositiveIntegerField(_("calls"), default=0)
    timeouts = models.PositiveIntegerField(default=0)
    connect_errors = models.PositiveIntegerField(default=0)
    status_errors = models.PositiveIntegerField(default=0)
    bad_responses = models.PositiveIntegerField(default=0)
    circuit_open = models.PositiveIntegerField(default=0)
    target_refused = models.PositiveIntegerField(default=0)
    lat_0 = models.PositiveIntegerField(default=0)
    lat_1 = models.PositiveIntegerField(default=0)
    lat_2 = models.PositiveIntegerField(default=0)
    lat_3 = models.PositiveIntegerField(default=0)
    lat_4 = models.PositiveIntegerField(default=0)
    lat_5 = models.PositiveIntegerField(default=0)
    lat_6 = models.PositiveIntegerField(default=0)
    lat_7 = models.PositiveIntegerField(default=0)
    lat_8 = models.PositiveIntegerField(default=0)
    lat_9 = models.PositiveIntegerField(default=0)

    ERROR_FIELDS = (
        "timeouts",
        "connect_errors",
        "status_errors",
        "bad_responses",
        "circuit_open",
        "target_refused",
    )

    class Meta:
        verbose_name = _("interface daily figures")
        verbose_name_plural = _("interface daily figures")
        constraints = [
            models.UniqueConstraint(
                fields=["interface", "department", "day"], name="interface_daily_stat_unique"
            )
        ]
        indexes = [models.Index(fields=["day", "interface"], name="interface_stat_day")]

    def __str__(self) -> str:
        return f"{self.interface_id} {self.department_id} {self.day}"


class InterfaceProbe(models.Model):
    """One health probe of an interface: did it answer, how, how fast."""

    interface = models.ForeignKey(Interface, on_delete=models.CASCADE, related_name="probes")
    checked_at = models.DateTimeField(_("checked at"))
    up = models.BooleanField(_("up"))
    result = models.CharField(_("result"), max_length=20)
    status = models.PositiveSmallIntegerField(null=True, blank=True)
    latency_ms = models.FloatField(default=0)

    class Meta:
        ordering = ("-checked_at", "-id")
        verbose_name = _("interface probe")
        verbose_name_plural = _("interface probes")
        indexes = [models.Index(fields=["interface", "-checked_at"], name="interface_probe_latest")]

    def __str__(self) -> str:
        return f"{self.interface_id} {self.checked_at:%Y-%m-%d %H:%M} {self.up}"
