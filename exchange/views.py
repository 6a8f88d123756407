"""Web pages of the live exchange, thin: the resource page's interface panel, the lister that
names a resource's published interfaces in its API detail, an interface's availability page
(its provider's editors, the coordinator) and the city's availability view (the coordinator)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.models import User
from catalog.models import Resource
from catalog.panels import Slot

from . import policies, selectors
from .models import Interface

PAGE_SIZE = 25


def call_path(interface: Interface, resource: Resource) -> str:
    """Return the stable API path of a call of the interface ('' before the resource's code)."""
    if not resource.code:
        return ""
    return reverse(
        "api:interface-call-by-path",
        kwargs={"code": resource.code, "interface_name": interface.name},
    )


def resource_interfaces(user: Any, resource: Resource) -> list[dict[str, Any]]:
    """Return the published interfaces of the resource the user sees, as the API names them."""
    if not isinstance(user, User):
        return []
    return [
        {
            "id": interface.pk,
            "name": interface.name,
            "description": interface.description,
            "method": interface.method,
            "call_url": call_path(interface, resource),
        }
        for interface in selectors.interfaces_published_of(user=user, resource=resource)
    ]


def resource_panel(request: HttpRequest, resource: Resource) -> dict[Slot, str]:
    """Render the resource page's "interfaces" section: its share method 接口, if it has any."""
    user = request.user
    if not isinstance(user, User):
        return {}
    interfaces = selectors.interfaces_of_resource(user=user, resource=resource)
    if not interfaces:
        return {}
    rows = [(i, call_path(i, resource)) for i in interfaces]
    html = render_to_string(
        "exchange/resource_interfaces.html",
        {
            "resource": resource,
            "rows": rows,
            # The interfaces whose availability page the viewer may open.
            "availability": selectors.interfaces_with_availability(user=user, resource=resource),
        },
        request=request,
    )
    return {"main": html}


class AuthedRequest(HttpRequest):
    user: User


@login_required
@require_GET
def interface_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """An interface's page for its provider and the coordinator: its availability by day and by
    consumer department over the last 30 days, and its latest health probes."""
    interface = selectors.interface_get_for_availability(user=request.user, pk=pk)
    today = timezone.localdate()
    days = selectors.interface_days(interface=interface, today=today)
    departments = Paginator(
        selectors.interface_departments(interface=interface, today=today), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    context = {
        "interface": interface,
        "days": days,
        "page_obj": departments,
        "department_rows": [(row, selectors.figures_of(row)) for row in departments],
        "probes": selectors.interface_probes(interface=interface),
        "call_path": call_path(interface, interface.resource),
        "period": selectors.AVAILABILITY_DAYS,
    }
    return render(request, "exchange/interface_detail.html", context)


@login_required
@require_GET
def city_availability(request: AuthedRequest) -> HttpResponse:
    """Every interface's availability over the last 30 days, for the coordinator, paginated."""
    if not policies.can_see_city_availability(request.user):
        raise PermissionDenied
    page = Paginator(
        selectors.interfaces_city(user=request.user, today=timezone.localdate()), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    context = {
        "page_obj": page,
        "rows": [(row, selectors.figures_of(row)) for row in page],
        "period": selectors.AVAILABILITY_DAYS,
    }
    return render(request, "exchange/city_availability.html", context)
