"""Sections that apps above the catalog add to a resource's page.

The catalog sits below sharing and data delivery, so it cannot ask them what a viewer may do with
a resource's data. Instead each of them registers a panel when its app is ready; the resource page
renders every registered panel in the slot it names. A panel renders its own template with its own
selectors, and answers an empty string when it has nothing to show the viewer.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Literal

from django.http import HttpRequest
from django.utils.safestring import SafeString

from .models import Resource

# "main": below the data items; "aside": the side column, above the provider.
Slot = Literal["main", "aside"]
SLOTS: tuple[Slot, ...] = ("main", "aside")

ResourcePanel = Callable[[HttpRequest, Resource], Mapping[Slot, str]]

_panels: list[ResourcePanel] = []


def register_resource_panel(panel: ResourcePanel) -> ResourcePanel:
    """Add a panel to every resource page (once; an app's ``ready()`` may run twice in tests)."""
    if panel not in _panels:
        _panels.append(panel)
    return panel


def resource_panels(request: HttpRequest, resource: Resource) -> dict[Slot, list[SafeString]]:
    """Return the rendered panels of a resource page, by slot, in registration order."""
    rendered: dict[Slot, list[SafeString]] = {slot: [] for slot in SLOTS}
    for panel in _panels:
        for slot, html in panel(request, resource).items():
            if html:
                rendered[slot].append(SafeString(html))
    return rendered
