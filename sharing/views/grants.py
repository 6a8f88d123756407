"""Pages of grants: the consumer's and the provider's lists, detail with history, revocation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kernel.keyset import CappedPaginator

from .. import policies, selectors, services
from ..forms import ReasonForm, apply_errors
from ..models import Grant
from .common import PAGE_SIZE, AuthedRequest, get_or_404

# How far a grants list counts ("of more than 2,000"): each grant is checked against the
# catalog scope of its resource, so counting 10,000 of a large consumer's cost 100-140 ms at
# province scale. Eighty pages, newest first; older grants by their state or resource's page.
GRANT_COUNT_CAP = 2_000


@login_required
def grant_list(request: AuthedRequest) -> HttpResponse:
    """List grants held by the user's department (consumer) or given on its resources (provider)."""
    side = request.GET.get("side")
    if side == "provider":
        grants = selectors.grants_as_provider(user=request.user)
    elif side == "all":
        grants = selectors.grants_visible_to(user=request.user)
    elif side == "expiring":  # either side, ending within 30 days
        grants = selectors.grants_expiring(user=request.user)
    else:
        side = "consumer"
        grants = selectors.grants_as_consumer(user=request.user)
    status = request.GET.get("status", "")
    if status in Grant.Status.values:
        grants = grants.filter(status=status)
    else:
        status = ""
    # Counted up to a cap: a department holding tens of thousands of grants had every one
    # joined to its resource for the visibility rule on each view; older ones are reached by
    # their state (most are expired or revoked).
    # The list shows how many items each grant covers, not the items: counted for the page's
    # grants in one query rather than every item of each loaded.
    page = CappedPaginator(grants.prefetch_related(None), PAGE_SIZE, cap=GRANT_COUNT_CAP).get_page(
        request.GET.get("page")
    )
    page.object_list = selectors.grants_count_items(page.object_list)
    return render(
        request,
        "sharing/grant_list.html",
        {
            "page_obj": page,
            "side": side,
            "status": status,
            "statuses": Grant.Status.choices,
        },
    )


def _render(request: AuthedRequest, grant: Grant, form: ReasonForm | None = None) -> HttpResponse:
    context = {
        "grant": grant,
        "can_revoke": policies.can_revoke_grant(request.user, grant),
        "in_force": grant.is_in_force(),
        "clear_items": grant.clear_items.order_by("position", "id"),
        "timeline": selectors.grant_timeline(grant=grant),
        "revoke_form": form or ReasonForm(),
    }
    return render(request, "sharing/grant_detail.html", context, status=400 if form else 200)


@login_required
def grant_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """Show a grant: items, period, the request behind it and its history."""
    return _render(request, get_or_404(selectors.grant_get_visible, user=request.user, pk=pk))


@login_required
@require_POST
def grant_revoke(request: AuthedRequest, pk: int) -> HttpResponse:
    """Revoke a grant with a reason."""
    grant = get_or_404(selectors.grant_get_visible, user=request.user, pk=pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.grant_revoke(
                actor=request.user, grant=grant, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The grant is revoked."))
            return redirect("sharing:grant_detail", pk=pk)
    return _render(request, get_or_404(selectors.grant_get_visible, user=request.user, pk=pk), form)
