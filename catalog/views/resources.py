"""Editors maintain their department's resources; the coordinator reviews them."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kernel.keyset import CappedPaginator, cursor, keyset_page

from .. import policies, selectors, services
from ..forms import (
    BaseDataItemFormSet,
    DataItemFormSet,
    ReasonForm,
    ResourceForm,
    ReviewForm,
    ScopeForm,
    code_list_choices,
    item_initial,
)
from ..models import Resource
from .common import current_user, form_errors, maintenance_view

ACTIVITY_PAGE_SIZE = 30

PAGE_SIZE = 25


def _page(request: HttpRequest, queryset: Any) -> Any:
    # Counted up to a cap: a large department's list costs a page, not a count of it all.
    return CappedPaginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _item_errors(
    form: ResourceForm, formset: Any, specs: list[dict[str, Any]], indexes: list[int]
) -> bool:
    """Put item problems on the item rows they concern; return whether there were any."""
    level = form.cleaned_data.get("level") or 4
    _built, problems = services.item_problems(
        specs, level, keep_code_lists=services.kept_code_lists(form.instance)
    )
    for problem in problems:
        if problem.position == 0:
            formset.non_form_errors().append(problem.message)
            continue
        row = formset.forms[indexes[problem.position - 1]]
        row.add_error(problem.field if problem.field in row.fields else None, problem.message)
    return bool(problems)


def _save(request: HttpRequest, resource: Resource | None) -> HttpResponse:
    user = current_user(request)
    provider_id = resource.provider_id if resource else user.department_id
    form = ResourceForm(
        request.POST or None, instance=resource or Resource(), provider_id=provider_id
    )
    formset = DataItemFormSet(
        request.POST or None,
        prefix="items",
        initial=item_initial(resource) if resource and not request.POST else None,
        form_kwargs={"code_lists": code_list_choices(resource)},
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        assert isinstance(formset, BaseDataItemFormSet)
        specs, indexes = formset.item_specs()
        related_codes = form.cleaned_data["related_codes"]
        related = selectors.resource_related_by_codes(user=user, codes=related_codes)
        unknown = [c for c in related_codes if c not in related]
        if unknown:
            form.add_error(
                "related_codes",
                _("No published resource you can see has the code(s) %(codes)s.")
                % {"codes": "、".join(unknown)},
            )
        items_bad = _item_errors(form, formset, specs, indexes)
        try:
            if unknown:
                raise ValidationError({})
            with transaction.atomic():
                arguments = {
                    "actor": user,
                    "items": specs,
                    "state_secret": form.cleaned_data["state_secret"],
                    "related": list(related.values()),
                    **form.service_fields(),
                }
                if resource is None:
                    assert user.department is not None
                    saved = services.resource_create(provider=user.department, **arguments)
                else:
                    saved = services.resource_update(
                        resource=resource,
                        change_note=form.cleaned_data.get("change_note") or "",
                        **arguments,
                    )
                for name, reason in formset.personal_reasons().items():
                    services.item_personal_confirm(
                        actor=user, item=saved.items.get(name=name), reason=reason
                    )
        except ValidationError as exc:
            form_errors(exc=exc, form=form)
        else:
            if not items_bad:
                messages.success(
                    request, _("The resource “%(name)s” was saved.") % {"name": saved.name}
                )
                unconfirmed = services.unconfirmed_personal_items(saved)
                if unconfirmed:
                    # Saved, but it cannot be submitted yet: back to the rows that say why.
                    messages.warning(
                        request,
                        _(
                            "Some data items look like personal data but are tagged “not "
                            "personal”: choose their kind, or give a reason on each, before "
                            "the resource is submitted."
                        ),
                    )
                    return redirect("catalog:resource_edit", saved.pk)
                return redirect("catalog:resource_mine")
    confirmations = selectors.personal_confirmations(resource=resource)
    for item_form in formset.forms:
        item_form.annotate_personal(confirmations)
    return render(
        request,
        "catalog/manage/resource_form.html",
        {"form": form, "formset": formset, "resource": resource},
    )


@maintenance_view
def resource_create(request: HttpRequest) -> HttpResponse:
    """Register a new resource of the editor's department, with its data items."""
    user = current_user(request)
    if not policies.is_catalog_editor_of(user, user.department_id):
        raise PermissionDenied(
            _("Only catalog editors of the provider department may register its resources.")
        )
    return _save(request, None)


@maintenance_view
def resource_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a resource and its data items; a published one gets a new version."""
    user = current_user(request)
    resource = selectors.resource_get_changeable(user=user, pk=pk)
    if resource.status == Resource.Status.RETIRED:
        raise PermissionDenied(_("A retired resource cannot be changed."))
    return _save(request, resource)


@maintenance_view
def resource_mine(request: HttpRequest) -> HttpResponse:
    """List the resources the user maintains, in every state, with the coordinator's comments."""
    user = current_user(request)
    queryset = selectors.resources_of_my_department(user=user)
    if not policies.can_list_maintained_resources(user):
        raise PermissionDenied(_("This list is for catalog editors."))
    status = request.GET.get("status", "")
    if status in Resource.Status.values:
        queryset = queryset.filter(status=status)
    expired = request.GET.get("expired") == "1"
    if expired:
        queryset = selectors.resources_expired(user=user)
        if status in Resource.Status.values:
            queryset = queryset.filter(status=status)
    return render(
        request,
        "catalog/manage/resource_mine.html",
        {
            "page_obj": _page(request, queryset),
            "statuses": Resource.Status.choices,
            "status": status,
            "expired": expired,
            "may_register": policies.is_catalog_editor_of(user, user.department_id),
        },
    )


@require_POST
@maintenance_view
def resource_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Send a draft to the coordinator for review."""
    user = current_user(request)
    resource = selectors.resource_get_changeable(user=user, pk=pk)
    try:
        services.resource_submit(actor=user, resource=resource)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("“%(name)s” was submitted for review.") % {"name": resource.name}
        )
    return redirect("catalog:resource_mine")


@maintenance_view
def resource_retire(request: HttpRequest, pk: int) -> HttpResponse:
    """Withdraw (下架) a published resource, with a reason."""
    user = current_user(request)
    resource = selectors.resource_get_visible(user=user, pk=pk)
    if not policies.can_retire_resource(user, resource):
        raise PermissionDenied(_("You may see this resource but not change it."))
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.resource_retire(
                actor=user, resource=resource, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("“%(name)s” was retired.") % {"name": resource.name})
            return redirect(
                "catalog:resource_mine"
                if policies.is_catalog_editor(user)
                else "catalog:resource_review_queue"
            )
    back = (
        "catalog:resource_mine" if policies.is_catalog_editor(user) else "catalog:resource_versions"
    )
    return render(
        request,
        "catalog/manage/resource_retire.html",
        {"form": form, "resource": resource, "back": back},
    )


@maintenance_view
def resource_scope(request: HttpRequest, pk: int) -> HttpResponse:
    """Set who sees the entry: its editors, or the coordinator overriding them."""
    user = current_user(request)
    resource = selectors.resource_get_visible(user=user, pk=pk)
    if not policies.can_set_catalog_scope(user, resource):
        raise PermissionDenied(_("You may see this resource but not change it."))
    form = ScopeForm(
        request.POST or None,
        initial={
            "catalog_scope": resource.catalog_scope,
            "catalog_scope_reason": resource.catalog_scope_reason,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.resource_scope_set(
                actor=user,
                resource=resource,
                scope=form.cleaned_data["catalog_scope"],
                reason=form.cleaned_data["catalog_scope_reason"],
            )
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(
                request, _("Who sees “%(name)s” was changed.") % {"name": resource.name}
            )
            return redirect("catalog:resource_detail", pk=resource.pk)
    return render(
        request, "catalog/manage/resource_scope.html", {"form": form, "resource": resource}
    )


@maintenance_view
def resource_review_queue(request: HttpRequest) -> HttpResponse:
    """List the resources submitted for the coordinator's review."""
    user = current_user(request)
    if not policies.can_review_resources(user):
        raise PermissionDenied(_("Only the platform coordinator reviews the catalog."))
    queryset = selectors.resources_review_queue(user=user)
    return render(
        request, "catalog/manage/review_queue.html", {"page_obj": _page(request, queryset)}
    )


@maintenance_view
def resource_review(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve (publish, code assigned) or return a submitted resource with a comment."""
    user = current_user(request)
    resource = selectors.resource_get_visible(user=user, pk=pk)
    if not policies.can_review_resources(user):
        raise PermissionDenied(_("Only the platform coordinator reviews the catalog."))
    if not policies.can_return_resource(user, resource):
        raise PermissionDenied(_("You may see this resource but not change it."))
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["decision"] == "approve":
                done = services.resource_publish(actor=user, resource=resource)
                message = _("“%(name)s” was published with the code %(code)s.") % {
                    "name": done.name,
                    "code": done.code,
                }
            else:
                done = services.resource_return(
                    actor=user, resource=resource, comment=form.cleaned_data["comment"]
                )
                message = _("“%(name)s” was returned to its editors.") % {"name": done.name}
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, message)
            return redirect("catalog:resource_review_queue")
    items = list(resource.items.all())
    return render(
        request,
        "catalog/manage/resource_review.html",
        {"form": form, "resource": resource, "items": items},
    )


@maintenance_view
def resource_versions(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a resource's published versions and what changed between them."""
    user = current_user(request)
    resource = selectors.resource_get_visible(user=user, pk=pk)
    versions = selectors.resource_versions(user=user, resource=resource)
    return render(
        request,
        "catalog/manage/resource_versions.html",
        {"resource": resource, "versions": versions},
    )


@maintenance_view
def resource_activity(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a resource's activity, newest first, in keyset pages (``?before=`` / ``?after=``)."""
    user = current_user(request)
    resource = selectors.resource_get_visible(user=user, pk=pk)
    page = keyset_page(
        selectors.resource_activity_events(user=user, resource=resource),
        key="sequence",
        size=ACTIVITY_PAGE_SIZE,
        before=cursor(request.GET, "before"),
        after=cursor(request.GET, "after"),
    )
    entries = selectors.resource_activity_entries(user=user, resource=resource, events=page)
    return render(
        request,
        "catalog/resource_activity.html",
        {"resource": resource, "page": page, "entries": entries},
    )
