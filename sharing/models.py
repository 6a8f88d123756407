"""Share requests, grants, corrections and notifications."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Department
from catalog.models import DataItem, Resource
from kernel.models import ChoiceLabels


class GrantQuerySet(models.QuerySet["Grant"]):
    def in_force(self, at=None) -> GrantQuerySet:
        """Return grants that are active and inside their period at the given time."""
        at = at or timezone.now()
        return self.filter(status=Grant.Status.ACTIVE, valid_from__lte=at, valid_until__gt=at)


class Grant(ChoiceLabels):
    """A consumer department's scoped, time-limited right to read a resource's data."""

    class Status(models.TextChoices):
        ACTIVE = "active", pgettext_lazy("grant state", "Active")
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
    # The resource's provider, copied when the grant is made (a resource never changes its
    # provider), so "the grants given on our resources" is one index range, newest first.
    provider = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        db_index=False,  # grant_provider_recent leads with it
        verbose_name=_("provider"),
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
    request = models.ForeignKey(
        "ShareRequest",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="grants",
        verbose_name=_("share request"),
    )
    expiry_notified = models.BooleanField(default=False, editable=False)
    # Data delivery scope. Row scope: a GB/T 2260 code prefix; only rows whose region item
    # starts with it are delivered (数据回流 to a district). Blank means every row.
    row_scope_region = models.CharField(
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
    # Why the approver delivers those items unmasked, against the request's legal basis.
    clear_reason = models.TextField(_("reason for delivery in clear"), blank=True)

    objects = GrantQuerySet.as_manager()

    class Meta:
        verbose_name = _("grant")
        verbose_name_plural = _("grants")
        # Newest first, the id breaking ties so that pages never repeat or skip a grant.
        ordering = ["-created_at", "-id"]
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
            models.Index(fields=["department", "status", "valid_until"], name="grant_dept_status"),
            # Grants in force by their end (the "ending soon" queue and the expiry sweep): both
            # sides of a department's grants read one short range instead of every grant.
            models.Index(
                fields=["valid_until", "id"],
                condition=Q(status="active"),
                name="grant_active_ending",
            ),
            # A department's grants list, newest first: thousands for the largest consumers.
            models.Index(fields=["department", "-created_at", "-id"], name="grant_dept_recent"),
            # The grants given on a provider's resources, newest first: tens of thousands for
            # the largest providers at province scale.
            models.Index(fields=["provider", "-created_at", "-id"], name="grant_provider_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.department} → {self.resource}"

    def is_in_force(self, at=None) -> bool:
        """Return whether the grant is active and inside its period."""
        at = at or timezone.now()
        return self.status == self.Status.ACTIVE and self.valid_from <= at < self.valid_until

    @property
    def first_day(self) -> date:
        """The first day the grant is in force (local time)."""
        return timezone.localtime(self.valid_from).date()

    @property
    def last_day(self) -> date:
        """The last day the grant is in force, inclusive.

        ``valid_until`` is the exclusive end instant: a grant entered to end on 30 June is stored
        as 1 July 00:00, and reads as ending on 30 June.
        """
        return (timezone.localtime(self.valid_until) - timedelta(microseconds=1)).date()

    def state_display(self, at=None) -> str:
        """Return the one state a person reads: in force, approved for later, expired, revoked."""
        at = at or timezone.now()
        if self.status == self.Status.ACTIVE:
            if at < self.valid_from:
                return _("Approved, in force from %(date)s") % {"date": self.first_day.isoformat()}
            if at >= self.valid_until:
                return str(self.Status.EXPIRED.label)
        return str(self.get_status_display())


class PurposeCategory(models.TextChoices):
    """用途: what the requesting department will use the data for."""

    ADMINISTRATIVE = "administrative", _("Administrative basis")
    REFERENCE = "reference", _("Work reference")
    VERIFICATION = "verification", _("Data verification")
    COLLABORATION = "collaboration", _("Business collaboration")
    OTHER = "other", _("Other")


class BasketEntry(models.Model):
    """A resource a user has put in their request basket, not yet requested."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="basket_entries"
    )
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("basket entry")
        verbose_name_plural = _("basket entries")
        ordering = ["resource__provider_id", "added_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "resource"], name="basket_entry_unique")
        ]

    def __str__(self) -> str:
        return str(self.resource)


class Follow(models.Model):
    """A user following a resource: told when it is retired, changes or gets new data."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="followers")
    created_at = models.DateTimeField(_("followed since"), auto_now_add=True)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "resource"], name="follow_unique")]

    def __str__(self) -> str:
        return str(self.resource)


class RequestStatus(models.TextChoices):
    SIGNOFF = "signoff", _("Awaiting own department's sign-off")
    SUBMITTED = "submitted", _("Awaiting the provider's decision")
    CHANGES_REQUESTED = "changes", _("Changes requested")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    NEGOTIATION = "negotiation", _("In coordination")
    REFUSED = "refused", _("Refused after coordination")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# The request state machine as data: action -> (states it may start from, state it leads to).
# Services consult this table only; the property test in tests/sharing drives random sequences of
# actions through the services and checks the result against the same table.
TRANSITIONS: dict[str, tuple[frozenset[str], str | None]] = {
    # "submit" leads to SIGNOFF or SUBMITTED, or NEGOTIATION for a not-shared resource.
    "submit": (frozenset(), None),
    # "signoff" leads to SUBMITTED, or NEGOTIATION for a not-shared resource.
    "signoff": (frozenset({RequestStatus.SIGNOFF}), None),
    "return": (frozenset({RequestStatus.SIGNOFF}), RequestStatus.CHANGES_REQUESTED),
    "ask_changes": (frozenset({RequestStatus.SUBMITTED}), RequestStatus.CHANGES_REQUESTED),
    # "resubmit" leads to SIGNOFF or SUBMITTED, like "submit".
    "resubmit": (frozenset({RequestStatus.CHANGES_REQUESTED}), None),
    "approve": (frozenset({RequestStatus.SUBMITTED}), RequestStatus.APPROVED),
    "reject": (frozenset({RequestStatus.SUBMITTED}), RequestStatus.REJECTED),
    "escalate": (frozenset({RequestStatus.REJECTED}), RequestStatus.NEGOTIATION),
    "settle_approve": (frozenset({RequestStatus.NEGOTIATION}), RequestStatus.APPROVED),
    "settle_refuse": (frozenset({RequestStatus.NEGOTIATION}), RequestStatus.REFUSED),
    "withdraw": (
        frozenset(
            {RequestStatus.SIGNOFF, RequestStatus.SUBMITTED, RequestStatus.CHANGES_REQUESTED}
        ),
        RequestStatus.WITHDRAWN,
    ),
}
OPEN_STATUSES = frozenset(
    {
        RequestStatus.SIGNOFF,
        RequestStatus.SUBMITTED,
        RequestStatus.CHANGES_REQUESTED,
        RequestStatus.NEGOTIATION,
    }
)
DECIDED_STATUSES = frozenset(
    {RequestStatus.APPROVED, RequestStatus.REJECTED, RequestStatus.REFUSED}
)


class ShareRequest(ChoiceLabels):
    """One department's request to one provider for some of its resources (申请)."""

    Status = RequestStatus

    requester_department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="share_requests_made",
        verbose_name=_("requesting department"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="share_requests",
        verbose_name=_("requested by"),
    )
    provider = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="share_requests_received",
        verbose_name=_("provider"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=RequestStatus.choices, db_index=True
    )
    # A not-shared (不予共享) resource can only be obtained through coordination.
    to_coordinator = models.BooleanField(_("for coordination only"), default=False)
    legal_basis = models.TextField(_("legal basis (使用依据)"))
    purpose = models.CharField(_("purpose"), max_length=20, choices=PurposeCategory.choices)
    purpose_other = models.CharField(_("other purpose"), max_length=100, blank=True)
    scenario = models.TextField(_("application scenario"))
    valid_from = models.DateField(_("period from"))
    valid_until = models.DateField(_("period until"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    due_date = models.DateField(_("reply due"), null=True, blank=True, db_index=True)
    # Counted over a year whose calendar is not official yet; recomputed when it becomes so.
    due_date_provisional = models.BooleanField(_("reply due date provisional"), default=False)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decision_reason = models.TextField(_("reason"), blank=True)
    changes_comment = models.TextField(_("changes asked"), blank=True)
    escalation_reason = models.TextField(_("reason for coordination"), blank=True)
    # Set once by the periodic reminder so each notice goes out once per deadline.
    reminded_due_date = models.DateField(null=True, blank=True, editable=False)
    overdue_notified_date = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("share request")
        verbose_name_plural = _("share requests")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in RequestStatus]),
                name="share_request_status_known",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__gte=F("valid_from")), name="share_request_period_positive"
            ),
            models.CheckConstraint(
                condition=~Q(requester_department=F("provider")),
                name="share_request_not_own_department",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["rejected", "refused"]) | ~Q(decision_reason=""),
                name="share_request_refusal_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["approved", "rejected", "refused"])
                | Q(decided_at__isnull=False),
                name="share_request_decision_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status="submitted") | Q(due_date__isnull=False),
                name="share_request_submitted_has_deadline",
            ),
        ]
        indexes = [
            models.Index(fields=["provider", "status", "due_date"], name="share_request_inbox"),
            models.Index(fields=["requester_department", "status"], name="share_request_mine"),
            # A provider's received requests newest first (the evaluation's drill-down, which
            # classifies them a page at a time): the page's rows, not the period's.
            models.Index(
                fields=["provider", "-submitted_at", "-id"], name="share_request_provider_recent"
            ),
            # The approvers' inboxes in their order: only the requests still waiting, so the
            # most urgent are found without walking the decided history (most of the table).
            models.Index(
                fields=["due_date", "submitted_at", "id"],
                condition=Q(status__in=["submitted", "signoff"]),
                name="share_request_waiting",
            ),
            # The coordinator's negotiation queue in its order (first submitted first): its
            # first rows without sorting the thousands a city can hold.
            models.Index(
                fields=["submitted_at", "id"],
                condition=Q(status="negotiation"),
                name="share_request_negotiation",
            ),
        ]

    def __str__(self) -> str:
        return _("Share request %(number)s") % {"number": self.number}

    @property
    def number(self) -> str:
        return f"SQ{self.pk:06d}" if self.pk else "SQ—"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class RequestLine(models.Model):
    """One resource of a request, with the data items asked for (and, once approved, granted)."""

    request = models.ForeignKey(ShareRequest, on_delete=models.CASCADE, related_name="lines")
    resource = models.ForeignKey(
        Resource, on_delete=models.PROTECT, related_name="request_lines", verbose_name=_("resource")
    )
    items = models.ManyToManyField(DataItem, related_name="+", verbose_name=_("data items"))

    class Meta:
        verbose_name = _("requested resource")
        verbose_name_plural = _("requested resources")
        # By the key column: naming the relation would join its table on every query to
        # sort by that model's own ordering.
        ordering = ["request_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["request", "resource"], name="request_line_unique")
        ]

    def __str__(self) -> str:
        return str(self.resource)


class Correction(ChoiceLabels):
    """校核纠错: a reader's report that a resource's data is wrong, and the provider's answer."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("correction state", "Open")
        ACCEPTED = "accepted", _("Accepted and fixed")
        REJECTED = "rejected", _("Rejected")

    resource = models.ForeignKey(
        Resource, on_delete=models.PROTECT, related_name="corrections", verbose_name=_("resource")
    )
    item = models.ForeignKey(
        DataItem,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("data item"),
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="corrections_filed",
        verbose_name=_("reporting department"),
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("filed by"),
    )
    description = models.TextField(_("what is wrong"))
    evidence = models.TextField(_("evidence"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    created_at = models.DateTimeField(_("filed"), auto_now_add=True)
    due_date = models.DateField(_("answer due"))
    # Counted over a year whose calendar is not official yet; recomputed when it becomes so.
    due_date_provisional = models.BooleanField(_("answer due date provisional"), default=False)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    overdue_notified_date = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open") | (~Q(answer="") & Q(answered_at__isnull=False)),
                name="correction_answer_recorded",
            )
        ]

    def __str__(self) -> str:
        return _("Correction %(number)s") % {"number": f"JC{self.pk or 0:06d}"}


class Notification(ChoiceLabels):
    """A message in a user's in-portal inbox (also sent by e-mail when the user has an address)."""

    class Kind(models.TextChoices):
        REQUEST_SUBMITTED = "request_submitted", _("Request submitted")
        SIGNOFF_NEEDED = "signoff_needed", _("Sign-off needed")
        CHANGES_ASKED = "changes_asked", _("Changes asked")
        REQUEST_DECIDED = "request_decided", _("Request decided")
        DEADLINE_SOON = "deadline_soon", _("Deadline in 2 working days")
        OVERDUE = "overdue", _("Overdue")
        NEGOTIATION = "negotiation", _("Coordination requested")
        GRANT_EXPIRING = "grant_expiring", _("Grant expiring")
        GRANT_REVOKED = "grant_revoked", _("Grant revoked")
        CORRECTION_FILED = "correction_filed", _("Correction filed")
        CORRECTION_ANSWERED = "correction_answered", _("Correction answered")
        DEADLINE_MOVED = "deadline_moved", _("Deadline recounted")
        CALENDAR_MISSING = "calendar_missing", _("Calendar not official")
        IMPORT_FAILED = "import_failed", _("Import failed")
        RESOURCE_RETURNED = "resource_returned", _("Resource sent back")
        NEED_FILED = "need_filed", _("Data need filed")
        NEED_ROUTED = "need_routed", _("Data need routed")
        NEED_ANSWERED = "need_answered", _("Data need answered")
        RESOURCE_RETIRED = (
            "resource_retired",
            pgettext_lazy("notification kind", "Resource retired"),
        )
        RESOURCE_CHANGED = (
            "resource_changed",
            pgettext_lazy("notification kind", "Resource changed"),
        )
        RESOURCE_NEW_DATA = "resource_new_data", _("New data version")
        CATALOG_IMPORT_FAILED = "catalog_import_failed", _("Catalog import failed")
        SYSTEM_APPROVED = "system_approved", _("System filing approved")
        SYSTEM_RETURNED = "system_returned", _("System filing returned")
        RESOURCE_QUALITY_DROP = "resource_quality_drop", _("Data quality dropped")
        CONFLICTS_FOUND = "conflicts_found", _("Conflicts with another department")
        INTERFACE_DOWN = "interface_down", _("Interface failing")
        WEBHOOK_DISABLED = "webhook_disabled", _("Webhook subscription disabled")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    # The text is rendered when shown, in the reader's language, from the kind and these values.
    params = models.JSONField(default=dict, blank=True)
    url = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        """Return the message in the active language."""
        template = NOTIFICATION_TEXT.get(self.kind, "%(object)s")
        params = dict(self.params)
        if "status" in params:  # stored as a code, shown as a label
            labels = {**dict(RequestStatus.choices), **dict(Correction.Status.choices)}
            params["status"] = labels.get(params["status"], params["status"])
        if "change" in params:  # likewise: what changed in a resource
            params["change"] = str(RESOURCE_CHANGES.get(params["change"], params["change"]))
        try:
            return str(template) % params
        except (KeyError, TypeError, ValueError):
            return str(self.get_kind_display())


NOTIFICATION_TEXT: dict[str, Any] = {
    Notification.Kind.REQUEST_SUBMITTED: _(
        "%(object)s from %(department)s awaits your decision by %(due)s."
    ),
    Notification.Kind.SIGNOFF_NEEDED: _(
        "%(object)s of your department awaits your sign-off before it goes to %(department)s."
    ),
    Notification.Kind.CHANGES_ASKED: _("%(department)s asks for changes to %(object)s: %(reason)s"),
    Notification.Kind.REQUEST_DECIDED: _("%(object)s was decided: %(status)s. %(reason)s"),
    Notification.Kind.DEADLINE_SOON: _("%(object)s must be answered by %(due)s (2 working days)."),
    Notification.Kind.OVERDUE: _("%(object)s is overdue: it was due on %(due)s."),
    Notification.Kind.NEGOTIATION: _(
        "%(department)s asks the coordinator to settle %(object)s: %(reason)s"
    ),
    Notification.Kind.GRANT_EXPIRING: _("The grant on %(resource)s expires on %(until)s."),
    Notification.Kind.GRANT_REVOKED: _("The grant on %(resource)s was revoked: %(reason)s"),
    Notification.Kind.CORRECTION_FILED: _(
        "%(department)s reports wrong data in %(resource)s (%(object)s), answer due %(due)s."
    ),
    Notification.Kind.CORRECTION_ANSWERED: _(
        "%(object)s on %(resource)s was answered: %(status)s."
    ),
    Notification.Kind.DEADLINE_MOVED: _(
        "The working-day calendar is now official: %(object)s is due on %(due)s "
        "(provisionally %(old)s)."
    ),
    Notification.Kind.CALENDAR_MISSING: _(
        "The working-day calendar for %(year)s is not official yet: deadlines reaching into it "
        "are provisional. Enter the State Council's schedule and mark the year official."
    ),
    Notification.Kind.IMPORT_FAILED: _(
        "The import of %(file)s into %(resource)s stopped: the task worker stopped answering. "
        "Nothing was stored and the file was removed; upload it again."
    ),
    Notification.Kind.RESOURCE_RETURNED: _(
        "The catalog review sent %(resource)s back to draft: %(comment)s"
    ),
    Notification.Kind.NEED_FILED: _(
        "%(department)s filed %(object)s: “%(title)s”. Route it to the department that holds "
        "the data."
    ),
    Notification.Kind.NEED_ROUTED: _(
        "%(object)s of %(department)s (“%(title)s”) is routed to your department: answer by "
        "%(due)s."
    ),
    Notification.Kind.NEED_ANSWERED: _("%(department)s answered %(object)s; see its answer."),
    Notification.Kind.RESOURCE_RETIRED: _("%(resource)s was retired (下架): %(reason)s"),
    Notification.Kind.RESOURCE_QUALITY_DROP: _(
        "The data quality of %(resource)s dropped in version %(version)s: score %(score)s "
        "(was %(previous)s); items less complete: %(items)s."
    ),
    Notification.Kind.CONFLICTS_FOUND: _(
        "Comparing “%(item)s” of %(resource)s with the same data held by %(department)s found "
        "%(conflicts)s conflicting values (%(previous)s before). See the conflict list."
    ),
    Notification.Kind.INTERFACE_DOWN: _(
        "The interface %(interface)s of %(resource)s failed repeatedly (%(reason)s); the portal "
        "pauses calls to it. Check your system and its address."
    ),
    Notification.Kind.WEBHOOK_DISABLED: _(
        "The webhook subscription to %(target)s was disabled after %(failures)s failed "
        "deliveries in a row. Check the receiver, then enable it again."
    ),
    Notification.Kind.RESOURCE_CHANGED: _(
        "%(resource)s changed in version %(version)s: %(change)s. Check how you use it."
    ),
    Notification.Kind.RESOURCE_NEW_DATA: _(
        "A new version of the data of %(resource)s is in use (data version %(version)s)."
    ),
    Notification.Kind.CATALOG_IMPORT_FAILED: _(
        "The catalog import of %(file)s stopped: the task worker stopped answering. Nothing was "
        "imported and the workbook was removed; upload it again."
    ),
    Notification.Kind.SYSTEM_APPROVED: _(
        "The coordinator approved the filing of %(system)s; its system code is %(code)s."
    ),
    Notification.Kind.SYSTEM_RETURNED: _(
        "The coordinator returned the filing of %(system)s: %(reason)s"
    ),
}

# What a ``resource_changed`` notification names, stored as a code and shown in the reader's
# language.
RESOURCE_CHANGES: dict[str, Any] = {
    "items": _("its data items changed"),
    "level": _("its level changed"),
    "items_level": _("its data items and its level changed"),
    "scope": _("who sees its catalog entry changed"),
}
