"""The information system registry (备案): list, detail, register, edit, file, decide, re-confirm
and retire. Thin: the policies say who may, the services do it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import policies, selectors, services
from ..forms import SystemForm, SystemReturnForm
from ..models import InformationSystem
from .common import current_user, form_errors, maintenance_view

PAGE_SIZE = 25
# A system's page lists its resources in pages: the largest provides thousands.
RESOURCE_PAGE_SIZE = 50


@maintenance_view
def system_list(request: HttpRequest) -> HttpResponse:
    """List the registered systems the user may see, with how many visible resources each provides."""
    user = current_user(request)
    systems = selectors.systems_visible_to(user=user)
    status = request.GET.get("status", "")
    if status in InformationSystem.Status.values:
        systems = systems.filter(status=status)
    page = Paginator(systems, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = selectors.system_resource_counts(user=user, system_ids=[s.pk for s in page])
    rows = [(system, counts.get(system.pk, 0)) for system in page]
    return render(
        request,
        "catalog/manage/system_list.html",
        {"page_obj": page, "rows": rows, "may_register": policies.can_register_systems(user)},
    )


@maintenance_view
def system_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show one system and the resources it provides that the user may see."""
    user = current_user(request)
    system = selectors.system_get_visible(user=user, pk=pk)
    resources = selectors.system_resources(user=user, system=system)
    page = Paginator(resources, RESOURCE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "catalog/manage/system_detail.html",
        {
            "system": system,
            "page_obj": page,
            "actions": selectors.system_actions(user=user, system=system),
            "return_form": SystemReturnForm(),
        },
    )


@maintenance_view
def system_create(request: HttpRequest) -> HttpResponse:
    """Register a system for the user's department (the coordinator chooses the department)."""
    user = current_user(request)
    if not policies.can_register_systems(user):
        raise PermissionDenied(_("You may not register systems for this department."))
    form = SystemForm(request.POST or None, choose_department=policies.can_manage_all_systems(user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        department = data.get("department") or user.department
        assert department is not None
        try:
            system = services.system_register(
                actor=user,
                department=department,
                name=data["name"],
                purpose=data["purpose"],
                project_name=data["project_name"],
                funding_stage=data["funding_stage"],
            )
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("The system “%(name)s” was registered.") % {"name": system})
            return redirect("catalog:system_detail", pk=system.pk)
    return render(request, "catalog/manage/system_form.html", {"form": form, "system": None})


@maintenance_view
def system_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct a system's registration."""
    user = current_user(request)
    system = selectors.system_get_visible(user=user, pk=pk)
    if not selectors.system_can_manage(user=user, system=system):
        raise PermissionDenied(_("You may not change this department's systems."))
    initial = {
        "name": system.name,
        "purpose": system.purpose,
        "project_name": system.project_name,
        "funding_stage": system.funding_stage,
    }
    form = SystemForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.system_update(actor=user, system=system, **form.cleaned_data)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("The system “%(name)s” was saved.") % {"name": system})
            return redirect("catalog:system_detail", pk=system.pk)
    return render(request, "catalog/manage/system_form.html", {"form": form, "system": system})


@require_POST
@maintenance_view
def system_retire(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark a system as retired."""
    user = current_user(request)
    system = selectors.system_get_visible(user=user, pk=pk)
    try:
        services.system_retire(actor=user, system=system)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The system “%(name)s” was retired.") % {"name": system})
    return redirect("catalog:system_detail", pk=system.pk)


def _step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    user = current_user(request)
    system = selectors.system_get_visible(user=user, pk=pk)
    try:
        if step == "file":
            services.system_file(actor=user, system=system)
            done = _("The system “%(name)s” was filed for approval.")
        elif step == "approve":
            system = services.system_approve(actor=user, system=system)
            done = _("The system “%(name)s” was approved with code %(code)s.")
        elif step == "return":
            # The service says when the reason is missing.
            reason = request.POST.get("reason", "")
            services.system_return(actor=user, system=system, reason=reason)
            done = _("The filing of “%(name)s” was returned.")
        else:
            services.system_reconfirm(actor=user, system=system)
            done = _("The system “%(name)s” was re-confirmed.")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done % {"name": system, "code": system.code or ""})
    return redirect("catalog:system_detail", pk=system.pk)


@require_POST
@maintenance_view
def system_file(request: HttpRequest, pk: int) -> HttpResponse:
    """File a draft or returned system with the coordinator (the department)."""
    return _step(request, pk, "file")


@require_POST
@maintenance_view
def system_approve(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve a filing and assign its code (the coordinator)."""
    return _step(request, pk, "approve")


@require_POST
@maintenance_view
def system_return(request: HttpRequest, pk: int) -> HttpResponse:
    """Return a filing to its department with a reason (the coordinator)."""
    return _step(request, pk, "return")


@require_POST
@maintenance_view
def system_reconfirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Re-confirm an approved system for the year (the department)."""
    return _step(request, pk, "reconfirm")
