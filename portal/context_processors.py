"""Template context shared by every page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accountability import policies as accountability_policies
from accounts import policies as account_policies
from audit import policies as audit_policies
from catalog.navigation import MAINTENANCE_NAVIGATION
from sharing import policies as sharing_policies
from sharing.selectors import notifications_unread_count
from workcalendar.navigation import CALENDAR_NAVIGATION


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url: str
    active: bool
    icon: str = ""
    count: int | None = None


def _anyone(user: object) -> bool:
    return True


def _in_department(user) -> bool:
    return user.department_id is not None


def _unread_notifications(user) -> int:
    return notifications_unread_count(user=user)


# (label, URL name, icon, who sees the link). A link is a convenience, never the permission:
# every page checks access itself through its selectors and services.
NAVIGATION: list[tuple[str | Promise, str, str, Callable[..., bool]]] = [
    (_("Catalog"), "catalog:resource_list", "journal-text", _anyone),
    (_("Categories"), "catalog:category_list", "diagram-3", _anyone),
    (_("Departments"), "catalog:department_list", "building", _anyone),
    # Catalog maintenance: My resources, Review queue, Systems.
    *MAINTENANCE_NAVIGATION,
    (_("Share requests"), "sharing:request_list", "send", _in_department),
    (_("Requests awaiting me"), "sharing:inbox", "inbox", sharing_policies.may_open_inbox),
    (
        _("Coordination queue"),
        "sharing:negotiation_list",
        "people",
        sharing_policies.may_settle_requests,
    ),
    (_("Grants"), "sharing:grant_list", "key", _in_department),
    (_("Corrections"), "sharing:correction_list", "pencil-square", _in_department),
    (_("Notifications"), "sharing:notification_list", "bell", _anyone),
    (
        _("Who read our data"),
        "audit:data_reads",
        "eye",
        audit_policies.can_see_reads_of_own_data,
    ),
    (_("Accounts"), "accounts:user_list", "people", account_policies.can_list_accounts),
    (
        _("Manage departments"),
        "accounts:department_list",
        "building",
        account_policies.can_manage_accounts,
    ),
    (
        _("Department accounts"),
        "accounts:member_list",
        "people",
        account_policies.is_department_admin,
    ),
    (_("API tokens"), "accounts:token_list", "key", account_policies.is_department_admin),
    (_("Audit log"), "audit:event_list", "journal-check", audit_policies.can_read_audit_log),
    (
        _("Sharing evaluation"),
        "accountability:index",
        "bar-chart",
        accountability_policies.can_open_evaluation,
    ),
    # The working-day calendar, for those who keep it.
    *CALENDAR_NAVIGATION,
    (_("Service items"), "accountability:service_item_list", "list-check", _anyone),
]

# URL name -> a count shown as a badge next to the link (e.g. unread notifications).
NAV_COUNTERS: dict[str, Callable[..., int]] = {
    "sharing:notification_list": _unread_notifications,
}


def navigation(request: HttpRequest) -> dict[str, object]:
    """Return the main navigation for the signed-in user and the city's name."""
    items: list[NavItem] = []
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        for label, url_name, icon, allowed in NAVIGATION:
            if not allowed(user):
                continue
            try:
                url = reverse(url_name)
            except NoReverseMatch:  # a feature whose pages are not installed
                continue
            counter = NAV_COUNTERS.get(url_name)
            count = counter(user) if counter else None
            items.append(NavItem(label, url, request.path.startswith(url), icon, count))
    return {"nav_items": items, "city_name": settings.PORTAL_CITY_NAME}


__all__ = ["NAVIGATION", "NAV_COUNTERS", "NavItem", "navigation"]
