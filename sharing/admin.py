from __future__ import annotations

from django.contrib import admin

from kernel.admin_mixins import ReadOnlyAdmin

from .models import (
    BasketEntry,
    Correction,
    Follow,
    Grant,
    Notification,
    RequestLine,
    ShareRequest,
)


@admin.register(Grant)
class GrantAdmin(ReadOnlyAdmin):
    list_display = ("resource", "department", "status", "valid_from", "valid_until", "granted_by")
    list_filter = ("status", "department")
    search_fields = ("resource__name", "resource__code", "department__name")
    list_select_related = ("resource", "department", "granted_by")
    date_hierarchy = "valid_until"


class RequestLineInline(admin.TabularInline):
    model = RequestLine
    extra = 0
    fields = ("resource",)
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ShareRequest)
class ShareRequestAdmin(ReadOnlyAdmin):
    list_display = (
        "pk",
        "requester_department",
        "provider",
        "status",
        "purpose",
        "submitted_at",
        "due_date",
        "decided_at",
    )
    list_filter = ("status", "purpose", "to_coordinator", "provider")
    search_fields = ("requester_department__name", "provider__name", "legal_basis", "scenario")
    list_select_related = ("requester_department", "provider")
    date_hierarchy = "submitted_at"
    inlines = [RequestLineInline]


@admin.register(Correction)
class CorrectionAdmin(ReadOnlyAdmin):
    list_display = (
        "pk",
        "resource",
        "department",
        "status",
        "created_at",
        "due_date",
        "answered_at",
    )
    list_filter = ("status",)
    search_fields = ("resource__name", "resource__code", "department__name", "description")
    list_select_related = ("resource", "department")


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "recipient", "kind", "read_at")
    list_filter = ("kind",)
    search_fields = ("recipient__username",)
    list_select_related = ("recipient",)


@admin.register(BasketEntry)
class BasketEntryAdmin(ReadOnlyAdmin):
    list_display = ("user", "resource", "added_at")
    search_fields = ("user__username", "resource__name")
    list_select_related = ("user", "resource")


@admin.register(Follow)
class FollowAdmin(ReadOnlyAdmin):
    list_display = ("user", "resource", "created_at")
    search_fields = ("user__username", "resource__name")
    list_select_related = ("user", "resource")


@admin.register(RequestLine)
class RequestLineAdmin(ReadOnlyAdmin):
    list_display = ("request", "resource")
    search_fields = ("resource__name", "resource__code")
    list_select_related = ("request", "resource")
