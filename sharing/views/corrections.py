"""Pages of corrections (校核纠错): file one, list them, answer one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from catalog import selectors as catalog_selectors

from .. import policies, selectors, services
from ..forms import AnswerForm, CorrectionForm, apply_errors
from ..models import Correction
from .common import AuthedRequest, get_or_404, int_param, paginate


@login_required
def correction_list(request: AuthedRequest) -> HttpResponse:
    """List the corrections of the user's department, either side; filter open or overdue."""
    state = request.GET.get("state", "")
    corrections = selectors.corrections_visible_to(user=request.user, state=state)
    return render(
        request,
        "sharing/correction_list.html",
        {"page_obj": paginate(request, corrections), "state": state},
    )


@login_required
def correction_new(request: AuthedRequest) -> HttpResponse:
    """File a correction on a resource whose data the user can read (``?resource=<pk>``)."""
    resource = get_or_404(
        catalog_selectors.resource_get_visible,
        user=request.user,
        pk=int_param(request.GET.get("resource")),
    )
    if not policies.can_file_correction(request.user, resource):
        raise PermissionDenied
    form = CorrectionForm(
        request.POST or None,
        items=selectors.correctable_items(user=request.user, resource=resource),
    )
    if request.method == "POST" and form.is_valid():
        try:
            correction = services.correction_file(
                actor=request.user,
                resource=resource,
                item=form.cleaned_data["item"],
                description=form.cleaned_data["description"],
                evidence=form.cleaned_data["evidence"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Your correction is filed with the provider."))
            return redirect("sharing:correction_detail", pk=correction.pk)
    return render(request, "sharing/correction_new.html", {"resource": resource, "form": form})


def _render(
    request: AuthedRequest, correction: Correction, form: AnswerForm | None = None
) -> HttpResponse:
    context = {
        "correction": correction,
        "can_answer": policies.can_answer_correction(request.user, correction),
        "answer_form": form or AnswerForm(),
        "timeline": selectors.correction_timeline(correction=correction),
    }
    return render(request, "sharing/correction_detail.html", context, status=400 if form else 200)


@login_required
def correction_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """Show a correction, its answer and its history."""
    return _render(request, get_or_404(selectors.correction_get_visible, user=request.user, pk=pk))


@login_required
@require_POST
def correction_answer(request: AuthedRequest, pk: int) -> HttpResponse:
    """Answer a correction for the provider."""
    correction = get_or_404(selectors.correction_get_visible, user=request.user, pk=pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.correction_answer(
                actor=request.user,
                correction=correction,
                accepted=form.cleaned_data["accepted"],
                answer=form.cleaned_data["answer"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Your answer is recorded."))
            return redirect("sharing:correction_detail", pk=pk)
    correction = get_or_404(selectors.correction_get_visible, user=request.user, pk=pk)
    return _render(request, correction, form)
