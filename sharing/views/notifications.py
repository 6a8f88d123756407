"""The in-portal notification inbox."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from .. import selectors, services
from .common import AuthedRequest, paginate


@login_required
def notification_list(request: AuthedRequest) -> HttpResponse:
    """Show the user's notifications, newest first."""
    page = paginate(request, selectors.notifications_for(user=request.user))
    unread = selectors.notifications_unread_count(user=request.user)
    return render(request, "sharing/notification_list.html", {"page_obj": page, "unread": unread})


@login_required
@require_POST
def notifications_read(request: AuthedRequest) -> HttpResponse:
    """Mark all the user's notifications read (or one, with ``notification_id``)."""
    pk = request.POST.get("notification_id")
    pks = [int(pk)] if pk and pk.isascii() and pk.isdigit() else None
    services.notifications_mark_read(actor=request.user, pks=pks)
    target = request.POST.get("next", "")
    if pks and target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect("sharing:notification_list")
