"""Tables of the datasets: versions, rows (one JSON row table), push batches and import jobs."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DatasetVersion(models.Model):
    """One version of a resource's data; exactly one version per resource is active."""

    class Status(models.TextChoices):
        BUILDING = "building", _("Building")
        ACTIVE = "active", pgettext_lazy("dataset version state", "Active")
        SUPERSEDED = "superseded", _("Superseded")
        FAILED = "failed", _("Failed")

    class Source(models.TextChoices):
        UPLOAD = "upload", _("File upload")
        PUSH = "push", _("Pushed through the API")

    resource = models.ForeignKey(
        "catalog.Resource",
        on_delete=models.CASCADE,
        related_name="dataset_versions",
        verbose_name=_("resource"),
    )
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.BUILDING
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    # The item names in stored order: a row's ``data`` is a list aligned with them, so renaming
    # or adding items later never reinterprets rows that were validated against the old list.
    columns = models.JSONField(_("columns"), default=list)
    # The key items whose values, joined, make each row's ``key`` in this version.
    key_columns = models.JSONField(_("key columns"), default=list)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("dataset version")
        verbose_name_plural = _("dataset versions")
        # By the key column: naming the relation would join its table on every query to
        # sort by that model's own ordering.
        ordering = ["resource_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["resource", "number"], name="dataset_version_unique"),
            models.UniqueConstraint(
                fields=["resource"],
                condition=Q(status="active"),
                name="dataset_one_active_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resource_id} v{self.number} ({self.status})"


class DatasetRow(models.Model):
    """One data row: the values as a JSON list aligned with the version's columns.

    ``key`` is the canonical join of the key items' values (NULL when the resource has no key
    item) and ``region`` the row's GB/T 2260 region code, both copied out of ``data`` at load time
    so key lookups and row scopes use plain indexed columns.
    """

    # No index of its own: the (version, key) and (version, id) indexes both start with it.
    version = models.ForeignKey(
        DatasetVersion, on_delete=models.CASCADE, related_name="rows", db_index=False
    )
    # NULL, not "", for "no key": the partial unique index then skips keyless rows.
    key = models.TextField(null=True, blank=True)  # noqa: DJ001
    region = models.CharField(max_length=12, blank=True, default="")
    data = models.JSONField()

    class Meta:
        verbose_name = _("dataset row")
        verbose_name_plural = _("dataset rows")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "key"],
                condition=Q(key__isnull=False),
                name="dataset_row_key_unique",
            )
        ]
        # Keyset pages walk (version, id). Region scopes filter along that walk rather than
        # having an index of their own: one index less to maintain during a million-row COPY.
        indexes = [models.Index(fields=["version", "id"], name="dataset_row_page")]

    def __str__(self) -> str:
        return f"{self.version_id}/{self.pk}"


class DatasetBatch(models.Model):
    """A pushed batch, remembered so that the same batch id stores once and replays its result."""

    resource = models.ForeignKey(
        "catalog.Resource", on_delete=models.CASCADE, related_name="dataset_batches"
    )
    batch_id = models.CharField(_("batch id"), max_length=100)
    result = models.JSONField(_("result"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("pushed batch")
        verbose_name_plural = _("pushed batches")
        constraints = [
            models.UniqueConstraint(fields=["resource", "batch_id"], name="dataset_batch_unique")
        ]

    def __str__(self) -> str:
        return self.batch_id


class ImportJob(models.Model):
    """A file import run by the task worker, with its progress and error report."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        VALIDATING = "validating", _("Validating")
        STORING = "storing", _("Storing")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    resource = models.ForeignKey(
        "catalog.Resource", on_delete=models.CASCADE, related_name="import_jobs"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    mode = models.CharField(_("mode"), max_length=10)
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/", max_length=255, blank=True)
    file_name = models.CharField(_("file name"), max_length=255)
    file_size = models.PositiveBigIntegerField(_("file size"), default=0)
    rows_processed = models.PositiveIntegerField(_("rows processed"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    error_count = models.PositiveIntegerField(_("error count"), default=0)
    # Not errors (the rows are stored): columns whose values look like personal data although
    # their items are tagged "not personal" ({"column", "kind", "rows"}).
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    version = models.ForeignKey(
        DatasetVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    task_id = models.CharField(max_length=64, blank=True)
    # Set by the worker when it starts and renewed as it validates; once it has run out, the
    # worker is taken for dead and the sweep fails the job (see services.jobs).
    lease_until = models.DateTimeField(_("lease until"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)


class VersionQuality(models.Model):
    """The quality profile of one dataset version, computed by the task worker on activation.

    ``items`` holds one entry per data item: ``name``, ``filled`` (non-empty values),
    ``completeness`` (0–1), ``checked``/``valid``/``validity`` (for items with a validity rule,
    else ``None``), ``distinct``, ``min``/``max`` (numbers and dates) and ``top`` (the most
    frequent values with their counts, for items that are not personal data only). No personal
    value is ever stored here. docs/data-quality.md defines every figure and the score.
    """

    version = models.OneToOneField(
        DatasetVersion, on_delete=models.CASCADE, related_name="quality", verbose_name=_("version")
    )
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    score = models.PositiveSmallIntegerField(_("quality score"))
    completeness = models.FloatField(_("completeness"))
    validity = models.FloatField(_("validity"), null=True, blank=True)
    # Key uniqueness: rows with a distinct key / rows; None when the resource has no key item.
    uniqueness = models.FloatField(_("key uniqueness"), null=True, blank=True)
    duplicate_keys = models.PositiveIntegerField(_("duplicate keys"), default=0)
    missing_keys = models.PositiveIntegerField(_("rows without a key"), default=0)
    # Did this version arrive within the update cycle of the one before it? None: no cycle or
    # no earlier version to measure from.
    on_cycle = models.BooleanField(_("delivered on cycle"), null=True, blank=True)
    items = models.JSONField(_("data items"), default=list)
    profiled_at = models.DateTimeField(_("profiled"), auto_now_add=True)

    class Meta:
        verbose_name = _("version quality")
        verbose_name_plural = _("version qualities")
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=0, score__lte=100), name="version_quality_score_range"
            )
        ]

    def __str__(self) -> str:
        return f"{self.version_id}: {self.score}"


__all__ = ["DatasetBatch", "DatasetRow", "DatasetVersion", "ImportJob", "VersionQuality"]
