from __future__ import annotations

from django.contrib import admin

from portal.admin_mixins import ReadOnlyAdmin

from .models import Grant


@admin.register(Grant)
class GrantAdmin(ReadOnlyAdmin):
    list_display = ("resource", "department", "status", "valid_from", "valid_until", "granted_by")
    list_filter = ("status", "department")
    search_fields = ("resource__name", "resource__code", "department__name")
    list_select_related = ("resource", "department", "granted_by")
    date_hierarchy = "valid_until"
