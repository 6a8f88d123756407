"""Following a resource: the button on its page and its panel (``catalog.panels``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import User
from catalog import selectors as catalog_selectors
from catalog.models import Resource
from catalog.panels import Slot

from .. import policies, selectors, services
from .common import AuthedRequest, get_or_404


@login_required
@require_POST
def resource_follow(request: AuthedRequest, pk: int) -> HttpResponse:
    """Follow (POST ``follow=1``) or stop following (``follow=0``) a resource one may see.

    A resource the user may not see is a 404, for following and for stopping alike.
    """
    resource = get_or_404(catalog_selectors.resource_get_visible, user=request.user, pk=pk)
    if request.POST.get("follow") == "0":
        services.resource_unfollow(actor=request.user, resource_id=resource.pk)
        messages.success(
            request, _("You no longer follow %(resource)s.") % {"resource": resource.name}
        )
    else:
        services.resource_follow(actor=request.user, resource=resource)
        messages.success(
            request,
            _("You follow %(resource)s: you are told when it changes or gets new data.")
            % {"resource": resource.name},
        )
    return redirect("catalog:resource_detail", pk=resource.pk)


def follow_panel(request: HttpRequest, resource: Resource) -> dict[Slot, str]:
    """Render the follow button of a resource page, for whoever may follow the resource."""
    user = request.user
    if not isinstance(user, User) or not policies.can_follow_resource(user, resource):
        return {}
    context = {
        "resource": resource,
        "following": selectors.resource_followed(user=user, resource=resource),
        # The panel is rendered without the request: the form's token is passed by hand.
        "csrf_token": get_token(request),
    }
    return {"aside": render_to_string("sharing/panels/follow.html", context)}
