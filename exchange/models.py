"""The live exchange's tables: the networks the portal may call out to.

An ``EgressNetwork`` is one network (CIDR) the coordinator allows as a target of the portal's
outgoing calls (the broker's calls to departments' interfaces, webhook deliveries). Nothing
outside the listed networks is ever called (``exchange.egress.check_target``).
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.core.exceptions import ValidationError
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
