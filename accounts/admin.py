from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from audit.services import record
from kernel.admin_mixins import ReadOnlyAdmin

from . import services
from .models import ApiToken, Department, RoleAssignment, User


class DepartmentAdminForm(forms.ModelForm):
    """The department form of the admin site: the credit-code rule holds on edits too."""

    class Meta:
        model = Department
        fields = "__all__"  # noqa: DJ007 - the admin's own field list decides

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("uscc"):
            data["uscc_exception_reason"] = services.department_uscc_check(
                uscc=data["uscc"], exception_reason=data.get("uscc_exception_reason", "")
            )
        return data


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    form = DepartmentAdminForm
    list_display = (
        "name",
        "short_name",
        "uscc",
        "region_code",
        "admin_level",
        "vertically_managed",
        "clearance",
        "is_active",
    )
    list_filter = ("admin_level", "vertically_managed", "clearance", "is_active", "region_code")
    search_fields = ("name", "short_name", "name_en", "uscc")
    autocomplete_fields = ("parent",)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # A department with a filing number keeps its region: its system codes name both.
        fields = tuple(super().get_readonly_fields(request, obj))
        if obj is not None and obj.filing_number is not None:
            return (*fields, "region_code")
        return fields

    def save_model(self, request: HttpRequest, obj: Department, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            record(actor=request.user, action="department.update", obj=obj)  # type: ignore[arg-type]
            if "uscc_exception_reason" in form.changed_data and obj.uscc_exception_reason:
                record(
                    actor=request.user,  # type: ignore[arg-type]
                    action="department.uscc_exception",
                    obj=obj,
                    details={"uscc": obj.uscc, "reason": obj.uscc_exception_reason},
                )
            return
        created = services.department_create(
            actor=None,  # the admin site itself is restricted to staff accounts
            name=obj.name,
            short_name=obj.short_name,
            uscc=obj.uscc,
            region_code=obj.region_code,
            parent=obj.parent,
            admin_level=obj.admin_level,
            vertically_managed=obj.vertically_managed,
            clearance=obj.clearance,
            name_en=obj.name_en,
            uscc_exception_reason=obj.uscc_exception_reason,
        )
        obj.pk = created.pk
        obj.group = created.group


class RoleInline(admin.TabularInline):
    model = RoleAssignment
    fk_name = "user"
    extra = 0
    readonly_fields = ("role", "granted_by", "granted_at")
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = (
        "username",
        "full_name",
        "kind",
        "department",
        "clearance",
        "is_active",
        "last_login",
    )
    # The kind is shown, never edited here: a service account holds no privileged role, which
    # only the role service checks (accounts.services.role_assign).
    list_filter = ("kind", "clearance", "is_active", "role_assignments__role", "department")
    search_fields = ("username", "full_name", "email", "department__name")
    list_select_related = ("department",)
    inlines = [RoleInline]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("full_name", "email", "department")}),
        (_("Access"), {"fields": ("is_active", "last_login", "date_joined")}),
    )
    readonly_fields = ("last_login", "date_joined")
    add_fieldsets = (
        (
            None,
            {"classes": ("wide",), "fields": ("username", "department", "password1", "password2")},
        ),
    )


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(ReadOnlyAdmin):
    list_display = ("user", "role", "granted_by", "granted_at")
    list_filter = ("role",)
    search_fields = ("user__username", "user__full_name")
    list_select_related = ("user", "granted_by")


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    # Only the prefix is stored in clear; the key itself exists nowhere after it was shown.
    list_display = (
        "prefix",
        "name",
        "user",
        "scopes",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
        "revoke_reason",
    )
    list_filter = ("scopes", "revoke_reason")
    search_fields = ("prefix", "name", "user__username")
    list_select_related = ("user",)
