"""A department administrator's pages: the accounts of their own department.

They list, create (staff role, clearance L1), deactivate and reactivate their department's
accounts and hand out the department roles (staff, editor, approver). Accounts of other
departments do not exist for them (404); administrator roles and clearances stay with the
security administrator (accounts.services enforces both).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kernel.posted import posted_flag

from .. import policies, selectors, services
from ..forms import DepartmentRoleForm, MemberCreateForm, MemberFilterForm, PasswordResetForm
from ..models import User
from . import PAGE_SIZE, _errors_to_form


@login_required
def member_list(request: HttpRequest) -> HttpResponse:
    """List the accounts of the administrator's department."""
    form = MemberFilterForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    members = selectors.department_members_for(user=request.user, query=query)
    page = Paginator(members, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/member_list.html",
        {
            "form": form,
            "page_obj": page,
            "department": request.user.department,  # type: ignore[union-attr]
            "elided_page_range": page.paginator.get_elided_page_range(page.number),
        },
    )


@login_required
def member_create(request: HttpRequest) -> HttpResponse:
    """Create an account in the administrator's department: staff role, clearance L1."""
    selectors.department_members_for(user=request.user)  # refuses non-administrators
    form = MemberCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.user_create(
                actor=request.user,  # type: ignore[arg-type]
                username=form.cleaned_data["username"],
                full_name=form.cleaned_data["full_name"],
                email=form.cleaned_data["email"],
                department=request.user.department,  # type: ignore[union-attr]
                password=form.cleaned_data["password"],
                kind=form.cleaned_data["kind"],
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(
                request,
                _("Account %(user)s created with the staff role and clearance L1.")
                % {"user": created.username},
            )
            return redirect("accounts:member_detail", pk=created.pk)
    return render(request, "accounts/member_form.html", {"form": form})


def _member(request: HttpRequest, pk: int) -> User:
    try:
        return selectors.department_member_get(user=request.user, pk=pk)
    except User.DoesNotExist as exc:
        raise Http404 from exc


@login_required
def member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show one account of the department with the actions a department administrator has."""
    member = _member(request, pk)
    return render(
        request,
        "accounts/member_detail.html",
        {
            "account": member,
            "is_self": not policies.acts_on_another(request.user, member),
            # Accounts holding other roles are managed by the system and security administrators.
            "may_manage": policies.can_manage_department_member(request.user, member),
            "role_form": DepartmentRoleForm(),
            "may_reset_password": policies.can_reset_password(request.user, member),
            "reset_form": PasswordResetForm(),
        },
    )


def _act(request: HttpRequest, pk: int, action: Any) -> HttpResponse:
    member = _member(request, pk)
    try:
        done = action(member)
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("You are not allowed to do this."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
    return redirect("accounts:member_detail", pk=pk)


@require_POST
@login_required
def member_set_active(request: HttpRequest, pk: int) -> HttpResponse:
    """Deactivate or reactivate an account of the department."""
    active = posted_flag(request, "active")

    def act(member: User) -> str:
        services.user_set_active(actor=request.user, user=member, active=active)  # type: ignore[arg-type]
        return _("Account activated.") if active else _("Account deactivated.")

    return _act(request, pk, act)


@require_POST
@login_required
def member_role_change(request: HttpRequest, pk: int) -> HttpResponse:
    """Grant or revoke a department role (staff, editor, approver)."""
    form = DepartmentRoleForm(request.POST)
    revoke = request.POST.get("revoke") == "1"

    def act(member: User) -> str:
        if not form.is_valid():
            raise ValidationError(_("Choose one of the department roles: staff, editor, approver."))
        role = form.cleaned_data["role"]
        if revoke:
            services.role_revoke(actor=request.user, user=member, role=role)  # type: ignore[arg-type]
            return _("Role revoked.")
        services.role_assign(actor=request.user, user=member, role=role)  # type: ignore[arg-type]
        return _("Role granted.")

    return _act(request, pk, act)
