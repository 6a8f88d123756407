"""Template context shared by every page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accountability import policies as accountability_policies
from accounts import policies as account_policies
from audit import policies as audit_policies
from catalog.navigation import BROWSE_NAVIGATION, MAINTENANCE_COUNTERS, MAINTENANCE_NAVIGATION
from needs import policies as needs_policies
from sharing import policies as sharing_policies
from sharing import selectors as sharing_selectors
from sharing.selectors import BADGE_CAP
from webhooks import policies as webhooks_policies
from workcalendar.navigation import CALENDAR_NAVIGATION

from .kept import kept


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url: str
    active: bool
    icon: str = ""
    count: int | None = None
    count_label: str | Promise = ""  # what the badge counts, for screen readers

    @property
    def badge(self) -> str:
        return _badge(self.count or 0)


def _badge(count: int) -> str:
    """Return a badge's text: the count, or "99+" past the cap the counts stop at."""
    return f"{BADGE_CAP}+" if count > BADGE_CAP else str(count)


@dataclass(frozen=True)
class NavMenu:
    """A top-level entry of the navigation: one link, or a dropdown of several."""

    label: str | Promise
    icon: str
    items: list[NavItem]
    count_label: str | Promise = ""  # what the badge counts, for screen readers

    @property
    def single(self) -> bool:
        return len(self.items) == 1

    @property
    def active(self) -> bool:
        return any(item.active for item in self.items)

    @property
    def count(self) -> int:
        """Return the work waiting in the whole menu (the sum of its items' badges)."""
        return sum(item.count or 0 for item in self.items)

    @property
    def badge(self) -> str:
        return _badge(self.count)


def _anyone(user: object) -> bool:
    return True


def _in_department(user) -> bool:
    return user.department_id is not None


Entry = tuple[str | Promise, str, str, Callable[..., bool]]

# (label, icon, entries): the navigation's menus, each entry (label, URL name, icon, who sees the
# link). A menu left with one visible entry is shown as that link; one with none is not shown. A
# link is a convenience, never the permission: every page checks access itself through its
# selectors and services.
NAVIGATION_MENUS: list[tuple[str | Promise, str, list[Entry]]] = [
    (
        pgettext_lazy("navigation menu", "Catalog"),
        "journal-text",
        [
            (_("Catalog"), "catalog:resource_list", "journal-text", _anyone),
            (_("Categories"), "catalog:category_list", "diagram-3", _anyone),
            (_("Departments"), "catalog:department_list", "building", _anyone),
            *BROWSE_NAVIGATION,
            (_("Data needs"), "needs:need_list", "megaphone", needs_policies.may_see_needs),
            (_("Service items"), "accountability:service_item_list", "list-check", _anyone),
        ],
    ),
    (
        _("Request basket"),
        "basket",
        [(_("Request basket"), "sharing:basket", "basket", sharing_policies.may_request)],
    ),
    (
        _("My work"),
        "briefcase",
        [
            # Catalog maintenance: My resources, Review queue.
            *MAINTENANCE_NAVIGATION,
            (_("Share requests"), "sharing:request_list", "send", _in_department),
            (_("Data conflicts"), "accountability:conflicts", "intersect", _in_department),
            (
                _("Requests awaiting me"),
                "sharing:inbox",
                "inbox",
                sharing_policies.may_open_inbox,
            ),
            (
                _("Coordination queue"),
                "sharing:negotiation_list",
                "people",
                sharing_policies.may_settle_requests,
            ),
            (_("Grants"), "sharing:grant_list", "key", _in_department),
            (_("Corrections"), "sharing:correction_list", "pencil-square", _in_department),
        ],
    ),
    (
        _("Notifications"),
        "bell",
        [(_("Notifications"), "sharing:notification_list", "bell", _anyone)],
    ),
    (
        _("Administration"),
        "gear",
        [
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
            (
                _("Webhooks"),
                "webhooks:subscription_list",
                "broadcast",
                webhooks_policies.can_manage_webhooks,
            ),
            (
                _("Audit log"),
                "audit:event_list",
                "journal-check",
                audit_policies.can_read_audit_log,
            ),
            (
                _("Sharing evaluation"),
                "accountability:index",
                "bar-chart",
                accountability_policies.can_open_evaluation,
            ),
            # The working-day calendar, for those who keep it.
            *CALENDAR_NAVIGATION,
        ],
    ),
]

# Every entry, in order (for those who look one up by URL name).
NAVIGATION: list[Entry] = [entry for _l, _i, entries in NAVIGATION_MENUS for entry in entries]


# URL name -> the sharing queue its badge counts (``sharing.selectors.WORK_QUEUES``): every
# sharing badge of a page comes from one query.
SHARING_QUEUES: dict[str, str] = {
    "sharing:notification_list": "notifications",
    "sharing:basket": "basket",
    "sharing:request_list": "returned",
    "sharing:inbox": "inbox",
    "sharing:negotiation_list": "negotiation",
    "sharing:correction_list": "corrections",
}

# URL name -> a count of its own (one COUNT query each, run only for users who see the link,
# called with ``limit=``: how far to count).
NAV_COUNTERS: dict[str, Callable[..., int]] = {**MAINTENANCE_COUNTERS}


def _count_links(user: Any, shown: tuple[str, ...]) -> dict[str, int]:
    """Count what waits behind each shown link that has a badge (one query for the queues)."""
    counts = sharing_selectors.work_counts(
        user=user, queues=[q for name, q in SHARING_QUEUES.items() if name in shown]
    )
    found = {name: counts[queue] for name, queue in SHARING_QUEUES.items() if name in shown}
    for url_name in shown:
        if url_name in NAV_COUNTERS:
            # Counted as far as the badge shows ("99+"), like the sharing badges: the
            # coordinator's review queue is the city's submitted resources.
            found[url_name] = NAV_COUNTERS[url_name](user, limit=BADGE_CAP + 1)
    return found


def nav_counts(user: Any, shown: tuple[str, ...]) -> dict[str, int]:
    """The navigation's badges, kept a few seconds per user (``portal.kept``)."""
    _shown, counts = kept(
        "nav-counts",
        user.pk,
        lambda: (shown, _count_links(user, shown)),
        fits=lambda value: value[0] == shown,
    )
    return dict(counts)


def navigation(request: HttpRequest) -> dict[str, object]:
    """Return the main navigation for the signed-in user and the city's name.

    ``nav_menus`` holds the menus as shown; ``nav_items`` every visible link, in order.
    """
    menus: list[NavMenu] = []
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        Link = tuple[str | Promise, str, str, str]  # label, URL name, icon, URL
        visible: list[tuple[str | Promise, str, list[Link]]] = []
        for menu_label, menu_icon, entries in NAVIGATION_MENUS:
            links: list[Link] = []
            for label, url_name, icon, allowed in entries:
                if not allowed(user):
                    continue
                try:
                    url = reverse(url_name)
                except NoReverseMatch:  # a feature whose pages are not installed
                    continue
                links.append((label, url_name, icon, url))
            if links:
                visible.append((menu_label, menu_icon, links))
        shown = tuple(url_name for _m, _i, links in visible for _l, url_name, _c, _u in links)
        counts = nav_counts(user, shown)
        for menu_label, menu_icon, links in visible:
            items: list[NavItem] = []
            for label, url_name, icon, url in links:
                count = counts.get(url_name)
                items.append(
                    NavItem(
                        label,
                        url,
                        request.path.startswith(url),
                        icon,
                        count,
                        _("unread") if url_name == "sharing:notification_list" else _("waiting"),
                    )
                )
            menus.append(NavMenu(menu_label, menu_icon, items, _("waiting")))
    return {
        "nav_menus": menus,
        "nav_items": [item for menu in menus for item in menu.items],
        "city_name": settings.PORTAL_CITY_NAME,
    }


__all__ = [
    "NAVIGATION",
    "NAVIGATION_MENUS",
    "NAV_COUNTERS",
    "SHARING_QUEUES",
    "NavItem",
    "NavMenu",
    "nav_counts",
    "navigation",
]
