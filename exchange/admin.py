from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from . import policies
from .models import EgressNetwork
from .services.egress import egress_network_changed, egress_network_deleted


class EgressAccess:
    """The coordinator (and the superuser) keep the allowlist; nobody else sees it here."""

    def _allowed(self, request: HttpRequest) -> bool:
        return policies.can_manage_egress(request.user)  # type: ignore[arg-type]

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


# The networks the portal's outgoing calls may reach (exchange/egress.py). Every save and delete
# is audited in the admin's own transaction.
@admin.register(EgressNetwork)
class EgressNetworkAdmin(EgressAccess, admin.ModelAdmin):
    list_display = ("cidr", "note", "created_by", "created_at")
    search_fields = ("cidr", "note")
    list_select_related = ("created_by",)
    fields = ("cidr", "note", "created_by", "created_at")
    readonly_fields = ("created_by", "created_at")

    def save_model(self, request: HttpRequest, obj: EgressNetwork, form: Any, change: bool) -> None:
        if not change:
            obj.created_by = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)
        egress_network_changed(
            actor=request.user,  # type: ignore[arg-type]
            network=obj,
            created=not change,
            changes=form.changed_data,
        )

    def delete_model(self, request: HttpRequest, obj: EgressNetwork) -> None:
        egress_network_deleted(actor=request.user, network=obj)  # type: ignore[arg-type]
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for network in queryset:
            self.delete_model(request, network)
