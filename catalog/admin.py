from __future__ import annotations

from typing import Any

from django.contrib import admin

from kernel.admin_mixins import ReadOnlyAdmin

from .models import (
    CatalogImportJob,
    Category,
    DataItem,
    InformationSystem,
    PersonalDataConfirmation,
    Resource,
    ResourceGroupObjectPermission,
    ResourceUserObjectPermission,
    ResourceVersion,
    SynonymGroup,
    SynonymTerm,
    SystemCodeCounter,
)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "name_en", "depth", "parent", "last_sequence")
    list_filter = ("depth",)
    search_fields = ("code", "name", "name_en")
    readonly_fields = ("last_sequence",)
    autocomplete_fields = ("parent",)


@admin.register(InformationSystem)
class InformationSystemAdmin(ReadOnlyAdmin):
    """Read-only: filing, decisions and codes go through the services (and their audit events)."""

    list_display = ("code", "legacy_code", "name", "department", "status", "created_at")
    list_filter = ("status", "department")
    search_fields = ("code", "legacy_code", "name", "department__name")
    list_select_related = ("department",)


@admin.register(SystemCodeCounter)
class SystemCodeCounterAdmin(ReadOnlyAdmin):
    """Read-only: only an approval advances a counter."""

    list_display = ("region_code", "year", "last")
    list_filter = ("year",)


class DataItemInline(admin.TabularInline):
    model = DataItem
    extra = 0
    fields = ("position", "name", "data_type", "length", "level", "kind", "is_key")
    readonly_fields = fields
    can_delete = False


@admin.register(Resource)
class ResourceAdmin(ReadOnlyAdmin):
    list_display = (
        "code",
        "name",
        "provider",
        "share_type",
        "level",
        "status",
        "update_cycle",
        "published_at",
    )
    list_filter = (
        "status",
        "share_type",
        "level",
        "update_cycle",
        "format_class",
        "open_type",
        "provider",
    )
    search_fields = ("code", "name", "summary", "provider__name", "items__name")
    list_select_related = ("provider", "category")
    inlines = [DataItemInline]
    date_hierarchy = "published_at"


@admin.register(DataItem)
class DataItemAdmin(ReadOnlyAdmin):
    list_display = ("name", "resource", "data_type", "length", "level", "kind", "is_key")
    list_filter = ("data_type", "level", "kind", "is_key")
    search_fields = ("name", "resource__name", "resource__code")
    list_select_related = ("resource",)


@admin.register(ResourceVersion)
class ResourceVersionAdmin(ReadOnlyAdmin):
    list_display = ("resource", "number", "level", "created_by", "created_at", "change_note")
    list_filter = ("level",)
    search_fields = ("resource__name", "resource__code", "change_note")
    list_select_related = ("resource", "created_by")


@admin.register(ResourceGroupObjectPermission)
class ResourceGroupPermissionAdmin(ReadOnlyAdmin):
    """Data-access permissions of department groups, written only with their grants."""

    list_display = ("content_object", "group", "permission")
    search_fields = ("content_object__name", "content_object__code", "group__name")
    list_select_related = ("content_object", "group", "permission")


@admin.register(ResourceUserObjectPermission)
class ResourceUserPermissionAdmin(ReadOnlyAdmin):
    """Per-user stewardship delegations."""

    list_display = ("content_object", "user", "permission")
    search_fields = ("content_object__name", "content_object__code", "user__username")
    list_select_related = ("content_object", "user", "permission")


# The synonym dictionary changes on its screen (validated and audited); the admin only reads it.
class SynonymTermInline(admin.TabularInline):
    model = SynonymTerm
    fields = ("term", "position")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(SynonymGroup)
class SynonymGroupAdmin(ReadOnlyAdmin):
    list_display = ("id", "__str__", "updated_at")
    search_fields = ("terms__term",)
    inlines = [SynonymTermInline]


@admin.register(SynonymTerm)
class SynonymTermAdmin(ReadOnlyAdmin):
    list_display = ("term", "group", "position")
    search_fields = ("term",)


@admin.register(CatalogImportJob)
class CatalogImportJobAdmin(ReadOnlyAdmin):
    list_display = ("file_name", "status", "confirmed", "publish", "created_by", "created_at")
    list_filter = ("status", "confirmed")
    search_fields = ("file_name",)
    list_select_related = ("created_by",)


@admin.register(PersonalDataConfirmation)
class PersonalDataConfirmationAdmin(ReadOnlyAdmin):
    """Editors' confirmations that a flagged item is not personal data (read-only evidence)."""

    list_display = ("item", "detected_kind", "reason", "confirmed_by", "confirmed_at")
    search_fields = ("reason", "item__name")
    list_select_related = ("item", "confirmed_by")
