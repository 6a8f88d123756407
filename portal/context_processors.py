"""Template context shared by every page."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    active: bool


def navigation(request: HttpRequest) -> dict[str, object]:
    """Return the main navigation for the signed-in user and the city's name."""
    items: list[NavItem] = []
    return {"nav_items": items, "city_name": settings.PORTAL_CITY_NAME}
