"""Data needs (需求清单): what a department needs, who is asked to provide it, and the answer."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Department
from catalog.models import Resource
from sharing.models import PurposeCategory, ShareRequest


class NeedStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("need state", "Awaiting routing")
    ROUTED = "routed", _("Awaiting the provider's answer")
    REGISTERING = "registering", _("New resource being registered")
    LINKED = "linked", _("Answered with a resource")
    REFUSED = "refused", pgettext_lazy("need state", "Refused")


# The need's state machine as data: action -> (states it may start from, state it leads to).
# Services consult this table only.
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    # The coordinator routes a new need, or routes again one its provider has not answered.
    "route": (frozenset({NeedStatus.OPEN, NeedStatus.ROUTED}), NeedStatus.ROUTED),
    "claim": (frozenset({NeedStatus.OPEN}), NeedStatus.ROUTED),
    "link": (frozenset({NeedStatus.ROUTED, NeedStatus.REGISTERING}), NeedStatus.LINKED),
    "register": (frozenset({NeedStatus.ROUTED}), NeedStatus.REGISTERING),
    "refuse": (frozenset({NeedStatus.ROUTED}), NeedStatus.REFUSED),
}
# Needs still looking for data: shown as "similar" when another department files one.
OPEN_STATUSES = frozenset({NeedStatus.OPEN, NeedStatus.ROUTED, NeedStatus.REGISTERING})


class Need(models.Model):
    """One department's need for data it cannot find in the catalog (数据需求)."""

    Status = NeedStatus

    requester_department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="needs_filed",
        verbose_name=_("requesting department"),
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("filed by"),
    )
    title = models.CharField(_("what is needed"), max_length=100)
    description = models.TextField(_("description"))
    # The data items wanted, as the requester names them (free text, one per entry).
    data_items = models.JSONField(_("data items wanted"), default=list)
    legal_basis = models.TextField(_("legal basis (使用依据)"))
    purpose = models.CharField(_("purpose"), max_length=20, choices=PurposeCategory.choices)
    purpose_other = models.CharField(_("other purpose"), max_length=100, blank=True)
    business = models.TextField(_("business it serves"))
    suggested_provider = models.ForeignKey(
        Department,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("department believed to hold it"),
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=NeedStatus.choices,
        default=NeedStatus.OPEN,
        db_index=True,
    )
    provider = models.ForeignKey(
        Department,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="needs_received",
        verbose_name=_("provider"),
    )
    created_at = models.DateTimeField(_("filed"), auto_now_add=True)
    routed_at = models.DateTimeField(_("routed"), null=True, blank=True)
    routed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_date = models.DateField(_("answer due"), null=True, blank=True)
    # Counted over a year whose calendar is not official yet.
    due_date_provisional = models.BooleanField(_("answer due date provisional"), default=False)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answer = models.TextField(_("answer"), blank=True)
    resource = models.ForeignKey(
        Resource,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="needs",
        verbose_name=_("resource"),
    )
    # The provider answered by registering a new resource (not one already in the catalog).
    new_resource = models.BooleanField(_("answered by a new resource"), default=False)
    share_request = models.ForeignKey(
        ShareRequest,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("share request"),
    )

    class Meta:
        verbose_name = _("data need")
        verbose_name_plural = _("data needs")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in NeedStatus]), name="need_status_known"
            ),
            models.CheckConstraint(
                condition=~Q(provider=F("requester_department")), name="need_not_own_department"
            ),
            models.CheckConstraint(
                condition=Q(status="open")
                | (Q(provider__isnull=False) & Q(due_date__isnull=False)),
                name="need_routed_has_provider",
            ),
            models.CheckConstraint(
                condition=~Q(status="refused") | ~Q(answer=""), name="need_refusal_has_basis"
            ),
            models.CheckConstraint(
                condition=~Q(status="linked") | Q(resource__isnull=False),
                name="need_linked_has_resource",
            ),
        ]
        indexes = [
            models.Index(fields=["provider", "status"], name="need_provider_status"),
            models.Index(fields=["routed_at"], name="need_routed_at"),
        ]

    def __str__(self) -> str:
        return _("Data need %(number)s") % {"number": self.number}

    @property
    def number(self) -> str:
        return f"XQ{self.pk:06d}" if self.pk else "XQ—"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES
