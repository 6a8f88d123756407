from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from kernel.admin_mixins import ReadOnlyAdmin

from . import policies
from .models import (
    CatalogImportJob,
    Category,
    CodeList,
    CodeListEntry,
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
from .services.code_lists import code_list_changed, code_list_deleted


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


# Code lists are data the coordinator keeps here: the list with its entries inline, or, for a
# long list (GB/T 2260 has thousands of codes), its entries on their own admin list. Every save
# and delete is audited (catalog/services/code_lists.py) in the admin's own transaction. A list
# that data items use cannot be deleted (PROTECT); make it inactive instead.
INLINE_ENTRIES_MAX = 200


class CodeListAccess:
    """The coordinator (and the superuser) keep the code lists; nobody else sees them here."""

    def _allowed(self, request: HttpRequest) -> bool:
        return policies.can_manage_code_lists(request.user)  # type: ignore[arg-type]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)


class CodeListEntryInline(CodeListAccess, admin.TabularInline):
    model = CodeListEntry
    fields = ("position", "value", "label", "active")
    extra = 1
    ordering = ("position", "id")


@admin.register(CodeList)
class CodeListAdmin(CodeListAccess, admin.ModelAdmin):
    list_display = ("code", "name", "source", "active", "updated_at")
    list_filter = ("active",)
    search_fields = ("code", "name")
    fields = ("code", "name", "description", "source", "active", "entries_link")
    readonly_fields = ("entries_link",)
    inlines = [CodeListEntryInline]

    @admin.display(description=_("code list entries"))
    def entries_link(self, obj: CodeList) -> str:
        if obj.pk is None:
            return "—"
        url = reverse("admin:catalog_codelistentry_changelist") + f"?code_list__id__exact={obj.pk}"
        return format_html('<a href="{}">{}</a>', url, obj.entries.count())

    def get_inlines(self, request: HttpRequest, obj: Any) -> list[Any]:
        # A long list's entries are kept on their own pages: thousands of inline rows would not
        # fit in one form (nor in the request's field limit).
        if obj is not None and obj.entries.count() > INLINE_ENTRIES_MAX:
            return []
        return list(self.inlines)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        code_list_changed(
            actor=request.user,  # type: ignore[arg-type]
            code_list=form.instance,
            created=not change,
            changes=self.construct_change_message(request, form, formsets, not change),
        )

    def delete_model(self, request: HttpRequest, obj: CodeList) -> None:
        code_list_deleted(actor=request.user, code_list=obj)  # type: ignore[arg-type]
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for code_list in queryset:
            self.delete_model(request, code_list)


@admin.register(CodeListEntry)
class CodeListEntryAdmin(CodeListAccess, admin.ModelAdmin):
    """The entries of every list, one at a time: how a long list's codes are kept."""

    list_display = ("value", "label", "code_list", "position", "active")
    list_filter = ("active", "code_list")
    search_fields = ("value", "label")
    list_select_related = ("code_list",)
    fields = ("code_list", "position", "value", "label", "active")
    autocomplete_fields = ("code_list",)

    def save_model(self, request: HttpRequest, obj: CodeListEntry, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        code_list_changed(
            actor=request.user,  # type: ignore[arg-type]
            code_list=obj.code_list,
            created=False,
            changes=[{"entry": obj.value, "added" if not change else "changed": form.changed_data}],
        )

    def delete_model(self, request: HttpRequest, obj: CodeListEntry) -> None:
        code_list = obj.code_list
        super().delete_model(request, obj)
        code_list_changed(
            actor=request.user,  # type: ignore[arg-type]
            code_list=code_list,
            created=False,
            changes=[{"entry": obj.value, "deleted": True}],
        )

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for entry in queryset.select_related("code_list"):
            self.delete_model(request, entry)
