"""The coordinator's synonym dictionary: list, add, edit, delete groups of terms."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import policies, selectors, synonyms
from ..forms import SynonymGroupForm
from ..services import synonyms as services
from .common import current_user, form_errors, maintenance_view

PAGE_SIZE = 50


def _require(request: HttpRequest) -> None:
    if not policies.can_manage_synonyms(current_user(request)):
        raise PermissionDenied(
            _("Only the platform coordinator may change the synonym dictionary.")
        )


@maintenance_view
def synonym_list(request: HttpRequest) -> HttpResponse:
    """List the synonym groups, optionally those holding a word."""
    _require(request)
    q = synonyms.normalize_term(request.GET.get("q", ""))[:30]
    page = Paginator(selectors.synonym_groups(contains=q), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "catalog/manage/synonym_list.html", {"page_obj": page, "q": q})


@maintenance_view
def synonym_create(request: HttpRequest) -> HttpResponse:
    """Add a synonym group."""
    _require(request)
    form = SynonymGroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.synonym_group_create(
                actor=current_user(request), terms=synonyms.split_terms(form.cleaned_data["terms"])
            )
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("The synonym group was added."))
            return redirect("catalog:synonym_list")
    return render(request, "catalog/manage/synonym_form.html", {"form": form, "group": None})


@maintenance_view
def synonym_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a synonym group's terms."""
    _require(request)
    group = selectors.synonym_group_get(pk=pk)
    initial = {"terms": group.terms_text}
    form = SynonymGroupForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.synonym_group_update(
                actor=current_user(request),
                group=group,
                terms=synonyms.split_terms(form.cleaned_data["terms"]),
            )
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("The synonym group was saved."))
            return redirect("catalog:synonym_list")
    return render(request, "catalog/manage/synonym_form.html", {"form": form, "group": group})


@require_POST
@maintenance_view
def synonym_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete a synonym group, as the coordinator saw it.

    The form sends the terms it showed: if the group changed since (another coordinator edited
    it), or the form sent nothing, nothing is deleted.
    """
    _require(request)
    group = selectors.synonym_group_get(pk=pk)
    if request.POST.get("seen", "") != group.terms_text:
        messages.error(
            request, _("The group has changed since the page was shown; nothing was deleted.")
        )
        return redirect("catalog:synonym_list")
    services.synonym_group_delete(actor=current_user(request), group=group)
    messages.success(request, _("The synonym group was deleted."))
    return redirect("catalog:synonym_list")
