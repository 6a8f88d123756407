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


class ItemLink(models.Model):
    """Two departments' data items that hold "the same data" (数据打架 checked by values).

    Each side names its resource, the shared key item the rows are matched on (公民身份号码,
    统一社会信用代码, ...) and the compared item. One side is authoritative: a conflict is
    corrected on the other side. Created and deleted by the coordinator only.
    """

    class Side(models.TextChoices):
        LEFT = "left", _("Left")
        RIGHT = "right", _("Right")

    left_resource = models.ForeignKey(
        Resource, on_delete=models.CASCADE, related_name="+", verbose_name=_("left resource")
    )
    left_key = models.ForeignKey(
        "catalog.DataItem", on_delete=models.CASCADE, related_name="+", verbose_name=_("left key")
    )
    left_item = models.ForeignKey(
        "catalog.DataItem",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("left compared item"),
    )
    right_resource = models.ForeignKey(
        Resource, on_delete=models.CASCADE, related_name="+", verbose_name=_("right resource")
    )
    right_key = models.ForeignKey(
        "catalog.DataItem", on_delete=models.CASCADE, related_name="+", verbose_name=_("right key")
    )
    right_item = models.ForeignKey(
        "catalog.DataItem",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("right compared item"),
    )
    authoritative = models.CharField(
        _("authoritative side"), max_length=5, choices=Side.choices, default=Side.LEFT
    )
    # The newest finished run: the lists and the rates read it without a subquery.
    last_run = models.ForeignKey(
        "ComparisonRun",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("last comparison"),
    )
    created_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("item link")
        verbose_name_plural = _("item links")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["left_item", "right_item"], name="item_link_unique"),
            models.CheckConstraint(
                condition=~models.Q(left_resource=models.F("right_resource")),
                name="item_link_two_resources",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.left_item_id} ~ {self.right_item_id}"

    def side_of(self, department_id: int | None) -> str | None:
        """Return which side the department owns (left first), or None."""
        if self.left_resource.provider_id == department_id:
            return self.Side.LEFT
        if self.right_resource.provider_id == department_id:
            return self.Side.RIGHT
        return None


class ComparisonRun(models.Model):
    """One comparison of a link's two active dataset versions, run by the task worker."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        DONE = "done", _("Compared")
        FAILED = "failed", _("Failed")

    class Trigger(models.TextChoices):
        ACTIVATION = "activation", _("New data version")
        DEMAND = "demand", _("Asked by the coordinator")

    link = models.ForeignKey(ItemLink, on_delete=models.CASCADE, related_name="runs")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    trigger = models.CharField(_("trigger"), max_length=10, choices=Trigger.choices)
    left_version = models.ForeignKey(
        "datasets.DatasetVersion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    right_version = models.ForeignKey(
        "datasets.DatasetVersion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    matched = models.PositiveIntegerField(_("keys on both sides"), default=0)
    agreements = models.PositiveIntegerField(_("agreements"), default=0)
    conflicts = models.PositiveIntegerField(_("conflicts"), default=0)
    # One side empty, the other not: a gap, not a conflict of values.
    gaps = models.PositiveIntegerField(_("gaps"), default=0)
    # The first conflicts by key: [[key, left value, right value], ...], at most CONFLICTS_KEPT.
    conflict_rows = models.JSONField(_("conflicting keys"), default=list, blank=True)
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("comparison run")
        verbose_name_plural = _("comparison runs")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.link_id} #{self.pk} ({self.status})"

    @property
    def compared(self) -> int:
        return self.agreements + self.conflicts

    @property
    def conflict_rate(self) -> float | None:
        """Conflicts per hundred keys whose values both sides hold; None if none do."""
        return round(100.0 * self.conflicts / self.compared, 2) if self.compared else None


class FiguresRun(models.Model):
    """The evaluation's figures of one period, as one clearance sees them, stored for reading.

    Computing a period's figures reads the whole city (accountability.selectors.scorecards,
    ``scorecards_compute``); pages read a run and its rows instead. ``watermark`` is the audit
    trail's last sequence number when the computation started: every write of the portal
    appends an event, so a run whose watermark is the trail's head, evaluated at the same
    instant, equals a recomputation (docs/decisions.md, "Evaluation figures are stored").
    """

    period_key = models.CharField(_("period"), max_length=10)
    max_level = models.PositiveSmallIntegerField(_("clearance"))
    as_of = models.DateTimeField(_("evaluated at"))
    computed_at = models.DateTimeField(_("computed at"))
    watermark = models.BigIntegerField(_("last audit event seen"), default=0)
    # Counts the refreshes of the run: what was rendered from it is cached under this number.
    generation = models.PositiveIntegerField(_("refreshes"), default=0)
    # The city's sums of the rows' countable figures (``city_totals``), for the trends.
    totals = models.JSONField(_("city totals"), default=dict, blank=True)
    # City-wide figures that are not sums of the rows: the most requested resources of the
    # period, [[resource id, lines], ...] in rank order.
    most_requested = models.JSONField(_("most requested resources"), default=list, blank=True)

    class Meta:
        verbose_name = _("stored evaluation")
        verbose_name_plural = _("stored evaluations")
        constraints = [
            models.UniqueConstraint(fields=["period_key", "max_level"], name="figures_run_unique")
        ]

    def __str__(self) -> str:
        return f"{self.period_key} L{self.max_level} @ {self.as_of:%Y-%m-%d %H:%M}"


class DepartmentFigures(models.Model):
    """One department's scorecard figures in a stored run (the fields of ``Scorecard``)."""

    run = models.ForeignKey(FiguresRun, on_delete=models.CASCADE, related_name="rows")
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveIntegerField(_("rank"))
    overall = models.FloatField(_("overall score"))
    figures = models.JSONField(_("figures"))

    class Meta:
        verbose_name = _("department figures")
        verbose_name_plural = _("department figures")
        constraints = [
            models.UniqueConstraint(fields=["run", "department"], name="department_figures_unique")
        ]
        indexes = [models.Index(fields=["run", "rank"], name="department_figures_rank")]

    def __str__(self) -> str:
        return f"{self.run_id}: {self.department_id} #{self.rank}"


class DuplicateReport(models.Model):
    """The duplicate-collection report as one clearance sees it, stored for reading.

    Computing it groups every published data item of the city
    (accountability.selectors.duplicates ``duplicate_groups_compute``); the report page and the
    link suggestions read a page of stored groups instead. Refreshed with the evaluation
    figures, after audited writes and nightly, under the same watermark rule (``FiguresRun``).
    """

    max_level = models.PositiveSmallIntegerField(_("clearance"), unique=True)
    # The instant whose grants in force were counted: a recomputation at it reproduces the report.
    computed_at = models.DateTimeField(_("computed at"))
    watermark = models.BigIntegerField(_("last audit event seen"), default=0)
    generation = models.PositiveIntegerField(_("refreshes"), default=0)

    class Meta:
        verbose_name = _("stored duplicate report")
        verbose_name_plural = _("stored duplicate reports")

    def __str__(self) -> str:
        return f"L{self.max_level} @ {self.computed_at:%Y-%m-%d %H:%M}"


class DuplicateGroupRow(models.Model):
    """One group of a stored duplicate report: a data item collected by several departments.

    ``collectors`` holds the first ``DUPLICATE_COLLECTORS_STORED`` collecting departments in the
    proposal's order (the proposed authority first), each as ``[department id, first resource
    id, resource count, grants in force, in the base class]``; ``department_count`` counts all.
    """

    report = models.ForeignKey(DuplicateReport, on_delete=models.CASCADE, related_name="groups")
    position = models.PositiveIntegerField(_("position"))
    # NFKC can lengthen a name (one character may become several): no length limit here.
    key = models.TextField(_("normalised name"))
    data_type = models.CharField(_("data type"), max_length=20)
    names = models.JSONField(_("names"), default=list)
    department_count = models.PositiveIntegerField(_("collecting departments"))
    resource_count = models.PositiveIntegerField(_("resources"))
    collectors = models.JSONField(_("collecting departments"), default=list)

    class Meta:
        verbose_name = _("duplicate group")
        verbose_name_plural = _("duplicate groups")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "position"], name="duplicate_group_position_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.data_type})"
