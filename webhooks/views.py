"""Pages of webhooks: the department's subscriptions, one subscription with its deliveries."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.models import User

from . import policies, selectors, services
from .forms import SubscriptionForm, apply_errors
from .models import Delivery, Subscription

DELIVERIES_SHOWN = 50


class AuthedRequest(HttpRequest):
    user: User


def _get(request: AuthedRequest, pk: int) -> Subscription:
    found = selectors.subscriptions_visible_to(user=request.user).filter(pk=pk).first()
    if found is None:  # what the user may not see does not exist
        raise Http404
    return found


def _secret_page(request: AuthedRequest, subscription: Subscription, secret: str) -> HttpResponse:
    return render(
        request,
        "webhooks/secret.html",
        {"subscription": subscription, "secret": secret},
    )


@login_required
def subscription_list(request: AuthedRequest) -> HttpResponse:
    """List the department's subscriptions; POST subscribes a new endpoint."""
    if not policies.can_manage_webhooks(request.user):
        raise PermissionDenied
    form = SubscriptionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                subscription, secret = services.subscription_create(
                    actor=request.user,
                    target_url=form.cleaned_data["target_url"],
                    kinds=form.cleaned_data["kinds"],
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                return _secret_page(request, subscription, secret)
        status = 400
    context = {
        "subscriptions": selectors.subscriptions_visible_to(user=request.user),
        "form": form,
    }
    return render(request, "webhooks/subscription_list.html", context, status=status)


@login_required
@require_GET
def subscription_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """One subscription: its settings, and its latest deliveries with every attempt."""
    subscription = _get(request, pk)
    deliveries = list(
        selectors.deliveries_of(user=request.user, subscription=subscription)[:DELIVERIES_SHOWN]
    )
    log = selectors.attempts_of(deliveries=deliveries)
    context = {
        "subscription": subscription,
        "deliveries": [(d, log[d.pk]) for d in deliveries],
        "shown": DELIVERIES_SHOWN,
    }
    return render(request, "webhooks/subscription_detail.html", context)


def _refused(request: AuthedRequest, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


@login_required
@require_POST
def subscription_rotate(request: AuthedRequest, pk: int) -> HttpResponse:
    subscription, secret = services.subscription_rotate_secret(
        actor=request.user, subscription=_get(request, pk)
    )
    return _secret_page(request, subscription, secret)


@login_required
@require_POST
def subscription_enable(request: AuthedRequest, pk: int) -> HttpResponse:
    try:
        services.subscription_enable(actor=request.user, subscription=_get(request, pk))
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("The subscription is active again."))
    return redirect("webhooks:subscription_detail", pk=pk)


@login_required
@require_POST
def subscription_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    services.subscription_delete(actor=request.user, subscription=_get(request, pk))
    messages.success(request, _("The subscription is deleted."))
    return redirect("webhooks:subscription_list")


@login_required
@require_POST
def delivery_replay(request: AuthedRequest, pk: int, delivery: int) -> HttpResponse:
    subscription = _get(request, pk)
    found: Delivery | None = (
        selectors.deliveries_of(user=request.user, subscription=subscription)
        .filter(pk=delivery)
        .first()
    )
    if found is None:
        raise Http404
    try:
        services.delivery_replay(actor=request.user, delivery=found)
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("The delivery is queued to be sent again."))
    return redirect("webhooks:subscription_detail", pk=pk)
