"""Read-only admin of the datasets: versions, pushed batches and import jobs."""

from __future__ import annotations

from django.contrib import admin

from kernel.admin_mixins import ReadOnlyAdmin

from .models import DatasetBatch, DatasetVersion, ImportJob


@admin.register(DatasetVersion)
class DatasetVersionAdmin(ReadOnlyAdmin):
    list_display = (
        "resource",
        "number",
        "status",
        "source",
        "row_count",
        "created_by",
        "created_at",
    )
    list_filter = ("status", "source")
    search_fields = ("resource__name", "resource__code", "file_name")
    list_select_related = ("resource", "created_by")


@admin.register(DatasetBatch)
class DatasetBatchAdmin(ReadOnlyAdmin):
    list_display = ("resource", "batch_id", "created_by", "created_at")
    search_fields = ("resource__name", "batch_id")
    list_select_related = ("resource", "created_by")


@admin.register(ImportJob)
class ImportJobAdmin(ReadOnlyAdmin):
    list_display = (
        "resource",
        "status",
        "mode",
        "file_name",
        "rows_processed",
        "error_count",
        "created_at",
        "finished_at",
    )
    list_filter = ("status", "mode")
    search_fields = ("resource__name", "file_name")
    list_select_related = ("resource",)


# DatasetRow is deliberately not in the admin: row data is personal and is read only through
# dataset selectors, which apply grants, clearance and masking and audit every read.
