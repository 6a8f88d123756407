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

from accounts.models import Role


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url: str
    active: bool
    icon: str = ""


def _anyone(user) -> bool:
    return True


def _role(*roles: str) -> Callable[[Any], bool]:
    return lambda user: user.has_role(*roles)


# (label, URL name, icon, who sees the link). A link is a convenience, never the permission:
# every page checks access itself through its selectors and services.
NAVIGATION: list[tuple[str | Promise, str, str, Callable[..., bool]]] = [
    (_("Catalog"), "catalog:resource_list", "journal-text", _anyone),
    (_("API tokens"), "accounts:token_list", "key", _role(Role.DEPARTMENT_ADMIN)),
]


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
            items.append(NavItem(label, url, request.path.startswith(url), icon))
    return {"nav_items": items, "city_name": settings.PORTAL_CITY_NAME}


__all__ = ["NAVIGATION", "NavItem", "Role", "navigation"]
