from __future__ import annotations

from django.contrib import admin

from kernel.admin_mixins import ReadOnlyAdmin

from .models import AuditCheckpoint, AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = (
        "created_at",
        "actor_username",
        "department",
        "action",
        "object_repr",
        "result",
        "client_address",
    )
    list_filter = ("result", "action", "department")
    search_fields = ("actor_username", "action", "object_repr", "object_id")
    list_select_related = ("department",)
    date_hierarchy = "created_at"


@admin.register(AuditCheckpoint)
class AuditCheckpointAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "sequence", "purged_count", "cutoff", "hash")
