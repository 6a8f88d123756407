"""Sections that apps above the catalog add to a resource's page.

The catalog sits below sharing and data delivery, so it cannot ask them what a viewer may do with
a resource's data. Instead each of them registers a panel when its app is ready; the resource page
renders every registered panel in the slot it names. A panel renders its own template with its own
selectors, and answers an empty string when it has nothing to show the viewer.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Literal

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


# The live interfaces of a resource (服务接口, a share method), which the exchange app above the
# catalog keeps: it registers a lister when ready; the resource's API detail names what it lists.
InterfaceLister = Callable[[Any, Resource], list[dict[str, Any]]]

_interface_listers: list[InterfaceLister] = []


def register_interface_lister(lister: InterfaceLister) -> InterfaceLister:
    """Add a lister of a resource's published interfaces (once)."""
    if lister not in _interface_listers:
        _interface_listers.append(lister)
    return lister


def resource_interfaces(user: Any, resource: Resource) -> list[dict[str, Any]]:
    """Return the published interfaces of the resource the user sees, from every lister."""
    return [entry for lister in _interface_listers for entry in lister(user, resource)]
