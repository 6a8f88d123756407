"""Service items (权力事项 / 政务服务事项清单) and the materials citizens must bring to each."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Department
from catalog.models import Resource


class ServiceItem(models.Model):
    """A power or public-service item handled by a department (e.g. 企业设立登记)."""

    class Kind(models.TextChoices):
        POWER = "power", _("Power item")
        SERVICE = "service", _("Public service item")

    code = models.CharField(_("item code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SERVICE)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="service_items",
        verbose_name=_("handling department"),
    )
    produces = models.ManyToManyField(
        Resource,
        blank=True,
        related_name="produced_by_items",
        verbose_name=_("resources it produces"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("service item")
        verbose_name_plural = _("service items")
        ordering = ["department__name", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ServiceMaterial(models.Model):
    """A material (申请材料) the item requires; a linked resource may make it unnecessary."""

    item = models.ForeignKey(
        ServiceItem, on_delete=models.CASCADE, related_name="materials", verbose_name=_("item")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name = models.CharField(_("name"), max_length=200)
    resource = models.ForeignKey(
        Resource,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="service_materials",
        verbose_name=_("resource holding the data"),
    )

    class Meta:
        verbose_name = _("required material")
        verbose_name_plural = _("required materials")
        ordering = ["item", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["item", "name"], name="service_material_name_unique")
        ]

    def __str__(self) -> str:
        return self.name
