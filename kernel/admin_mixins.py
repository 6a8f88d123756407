"""Shared behaviour of the portal's admin pages."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest


class ReadOnlyAdmin(admin.ModelAdmin):
    """Admin page that shows rows but leaves every change to the portal's services.

    Grants, audit events, role assignments and resources change state through services that
    keep their invariants (guardian rows, code assignment, the audit trail); the admin only reads.
    """

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
