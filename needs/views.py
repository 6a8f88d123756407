"""Pages of data needs (需求清单): list, file, show, route, claim, answer, request."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.models import User

from . import policies, selectors, services
from .forms import LinkForm, NeedForm, RefuseForm, RegisterForm, RouteForm, apply_errors
from .models import Need

PAGE_SIZE = 25


class AuthedRequest(HttpRequest):
    user: User


def _get(request: AuthedRequest, pk: int) -> Need:
    try:
        return selectors.need_get_visible(user=request.user, pk=pk)
    except Need.DoesNotExist as exc:  # what the user may not see does not exist
        raise Http404 from exc


@login_required
@require_GET
def need_list(request: AuthedRequest) -> HttpResponse:
    """List every department's needs with their state; filter open, mine, waiting for me."""
    if not policies.may_see_needs(request.user):
        raise PermissionDenied
    state = request.GET.get("state", "")
    state = state if state in selectors.STATES else ""
    needs = selectors.needs_visible_to(user=request.user, state=state)
    context = {
        "page_obj": Paginator(needs, PAGE_SIZE).get_page(request.GET.get("page")),
        "state": state,
        "may_file": policies.may_file_need(request.user),
        "answers": policies.answers_for_department(request.user)
        or policies.may_route_needs(request.user),
    }
    return render(request, "needs/need_list.html", context)


@login_required
def need_new(request: AuthedRequest) -> HttpResponse:
    """File a need; ``?title=`` prefills it (from a search that found nothing)."""
    if not policies.may_file_need(request.user):
        raise PermissionDenied
    assert request.user.department_id is not None  # may_file_need
    departments = selectors.departments_to_suggest().exclude(pk=request.user.department_id)
    initial = {"title": request.GET.get("title", "")[:100]}
    form = NeedForm(request.POST or None, initial=initial, departments=departments)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                need = services.need_file(
                    actor=request.user,
                    title=data["title"],
                    description=data["description"],
                    data_items=form.items(),
                    legal_basis=data["legal_basis"],
                    purpose=data["purpose"],
                    purpose_other=data["purpose_other"],
                    business=data["business"],
                    suggested_provider_id=(
                        data["suggested_provider"].pk if data["suggested_provider"] else None
                    ),
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Your data need is filed; the coordinator routes it."))
                return redirect("needs:need_detail", pk=need.pk)
        status = 400
    title = form.data.get("title", "") if form.is_bound else initial["title"]
    similar = selectors.needs_similar(user=request.user, title=title)
    return render(request, "needs/need_new.html", {"form": form, "similar": similar}, status=status)


def _render(
    request: AuthedRequest, need: Need, forms: dict[str, Any] | None = None
) -> HttpResponse:
    user = request.user
    bound = forms or {}
    resources = selectors.resources_to_link(user=user, need=need)
    context = {
        "need": need,
        "show_resource": getattr(need, "resource_visible", False),
        "can_route": policies.can_route_need(user, need),
        "can_claim": policies.can_claim_need(user, need),
        "can_link": policies.can_answer_need(user, need),
        "can_register": policies.can_register_for_need(user, need),
        "can_refuse": policies.can_refuse_need(user, need),
        "can_request": policies.can_request_from_need(user, need) and need.share_request_id is None,
        "route_form": bound.get("route")
        or RouteForm(departments=selectors.departments_to_route(user=user, need=need)),
        "link_form": bound.get("link") or LinkForm(resources=resources),
        "register_form": bound.get("register") or RegisterForm(),
        "refuse_form": bound.get("refuse") or RefuseForm(),
        "similar": selectors.needs_similar(user=user, title=need.title, exclude_pk=need.pk),
        "timeline": selectors.need_timeline(need=need),
    }
    return render(request, "needs/need_detail.html", context, status=400 if forms else 200)


@login_required
@require_GET
def need_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """Show a need, its answer and its history, with the actions the viewer may take."""
    return _render(request, _get(request, pk))


def _post(
    request: AuthedRequest,
    pk: int,
    name: str,
    allowed: Callable[[User, Need], bool],
    form: Callable[[Need], Form],
    act: Callable[[Need, dict[str, Any]], object],
) -> HttpResponse:
    """Take one of the need page's forms: the need, the policy, the form, the service.

    403 unless ``allowed``; if the form is valid and ``act(need, cleaned_data)`` raises no
    ``ValidationError``, say so and go back to the need; otherwise show the page again with the
    errors on the form ``name``.
    """
    need = _get(request, pk)
    if not allowed(request.user, need):
        raise PermissionDenied
    bound = form(need)
    if bound.is_valid():
        try:
            act(need, bound.cleaned_data)
        except ValidationError as exc:
            apply_errors(bound, exc)
        else:
            messages.success(request, _("Recorded."))
            return redirect("needs:need_detail", pk=need.pk)
    return _render(request, _get(request, need.pk), {name: bound})


@login_required
@require_POST
def need_route(request: AuthedRequest, pk: int) -> HttpResponse:
    """Route the need to a provider (the coordinator)."""
    user = request.user
    return _post(
        request,
        pk,
        "route",
        policies.can_route_need,
        lambda need: RouteForm(
            request.POST, departments=selectors.departments_to_route(user=user, need=need)
        ),
        lambda need, d: services.need_route(actor=user, need=need, provider_id=d["provider"].pk),
    )


@login_required
@require_POST
def need_claim(request: AuthedRequest, pk: int) -> HttpResponse:
    """Claim the need for the viewer's department."""
    need = _get(request, pk)
    try:
        services.need_claim(actor=request.user, need=need)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Your department now answers this need."))
    return redirect("needs:need_detail", pk=pk)


@login_required
@require_POST
def need_link(request: AuthedRequest, pk: int) -> HttpResponse:
    """Answer the need with a resource of the provider's."""
    user = request.user
    return _post(
        request,
        pk,
        "link",
        policies.can_answer_need,
        lambda need: LinkForm(
            request.POST, resources=selectors.resources_to_link(user=user, need=need)
        ),
        lambda need, d: services.need_link(
            actor=user, need=need, resource_id=d["resource"].pk, answer=d["answer"]
        ),
    )


@login_required
@require_POST
def need_register(request: AuthedRequest, pk: int) -> HttpResponse:
    """Answer that a new resource will be registered for the need."""
    user = request.user
    return _post(
        request,
        pk,
        "register",
        policies.can_register_for_need,
        lambda need: RegisterForm(request.POST),
        lambda need, d: services.need_register(actor=user, need=need, answer=d["answer"]),
    )


@login_required
@require_POST
def need_refuse(request: AuthedRequest, pk: int) -> HttpResponse:
    """Refuse the need with a legal basis."""
    user = request.user
    return _post(
        request,
        pk,
        "refuse",
        policies.can_refuse_need,
        lambda need: RefuseForm(request.POST),
        lambda need, d: services.need_refuse(actor=user, need=need, reason=d["reason"]),
    )


@login_required
@require_POST
def need_request(request: AuthedRequest, pk: int) -> HttpResponse:
    """Turn the answered need into a share request for its resource, in one click."""
    need = _get(request, pk)
    try:
        share_request = services.need_request(actor=request.user, need=need)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("needs:need_detail", pk=pk)
    messages.success(request, _("The share request is made from your data need."))
    return redirect("sharing:request_detail", pk=share_request.pk)
