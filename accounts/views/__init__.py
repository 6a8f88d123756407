"""Account administration (三员分立) and two-factor sign-in pages."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from kernel.keyset import CappedPaginator
from kernel.posted import posted_flag

from .. import selectors, services
from ..forms import (
    AccountFilterForm,
    AuthenticatorCodeForm,
    ClearanceForm,
    DepartmentCreateForm,
    PasswordResetForm,
    RoleForm,
    TokenForm,
    UserCreateForm,
)
from ..models import Department, User
from ..policies import (
    acts_on_another,
    can_grant_access,
    can_manage_accounts,
    can_reset_password,
)
from ..two_factor import has_confirmed_device, mark_second_factor_verified, recovery_codes_left

PAGE_SIZE = 50


def _errors_to_form(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


# --- accounts ---------------------------------------------------------------------------


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    """List accounts for the system and security administrators."""
    departments = selectors.departments_for_administration(user=request.user)
    form = AccountFilterForm(request.GET or None, departments=departments)
    query, department_id = "", None
    if form.is_valid():
        query = form.cleaned_data["q"]
        department_id = (
            form.cleaned_data["department"].pk if form.cleaned_data["department"] else None
        )
    users = selectors.users_for_administration(
        user=request.user, query=query, department_id=department_id
    )
    # Counted up to a cap: the city's accounts are never all counted on one request.
    page = CappedPaginator(users, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/user_list.html",
        {
            "form": form,
            "page_obj": page,
            "can_manage": can_manage_accounts(request.user),
            "elided_page_range": page.paginator.get_elided_page_range(page.number),
        },
    )


@login_required
def user_create(request: HttpRequest) -> HttpResponse:
    """Create an account (system administrator): staff role, clearance L1."""
    _require(
        can_manage_accounts(request.user), _("Only the system administrator may create accounts.")
    )
    departments = selectors.departments_for_administration(user=request.user).filter(is_active=True)
    form = UserCreateForm(request.POST or None, departments=departments)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.user_create(
                actor=request.user,  # type: ignore[arg-type]
                username=form.cleaned_data["username"],
                full_name=form.cleaned_data["full_name"],
                email=form.cleaned_data["email"],
                department=form.cleaned_data["department"],
                password=form.cleaned_data["password"],
                kind=form.cleaned_data["kind"],
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(
                request,
                _(
                    "Account %(user)s created with the staff role and clearance L1. Roles and "
                    "clearances are granted by the security administrator."
                )
                % {"user": created.username},
            )
            return redirect("accounts:user_detail", pk=created.pk)
    return render(request, "accounts/user_form.html", {"form": form})


@login_required
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show an account with the actions the viewer's administrator role allows."""
    try:
        account = selectors.user_for_administration(user=request.user, pk=pk)
    except User.DoesNotExist as exc:
        raise Http404 from exc
    return render(
        request,
        "accounts/user_detail.html",
        {
            "account": account,
            "is_self": not acts_on_another(request.user, account),
            "can_manage": can_manage_accounts(request.user),
            "can_grant": can_grant_access(request.user),
            "role_form": RoleForm(),
            "clearance_form": ClearanceForm(initial={"clearance": account.clearance}),
            "has_second_factor": has_confirmed_device(account),
            "may_reset_password": can_reset_password(request.user, account),
            "reset_form": PasswordResetForm(),
        },
    )


def _act_on_user(request: HttpRequest, pk: int, action: Any) -> HttpResponse:
    try:
        account = selectors.user_for_administration(user=request.user, pk=pk)
    except User.DoesNotExist as exc:
        raise Http404 from exc
    try:
        done = action(account)
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("You are not allowed to do this."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
    return redirect("accounts:user_detail", pk=pk)


@require_POST
@login_required
def user_set_active(request: HttpRequest, pk: int) -> HttpResponse:
    """Deactivate or reactivate an account (system administrator)."""
    active = posted_flag(request, "active")

    def act(account: User) -> str:
        services.user_set_active(actor=request.user, user=account, active=active)  # type: ignore[arg-type]
        return _("Account activated.") if active else _("Account deactivated.")

    return _act_on_user(request, pk, act)


@require_POST
@login_required
def user_role_change(request: HttpRequest, pk: int) -> HttpResponse:
    """Grant or revoke a role (security administrator)."""
    form = RoleForm(request.POST)
    revoke = request.POST.get("revoke") == "1"

    def act(account: User) -> str:
        if not form.is_valid():
            raise ValidationError(_("Choose a role."))
        role = form.cleaned_data["role"]
        if revoke:
            services.role_revoke(actor=request.user, user=account, role=role)  # type: ignore[arg-type]
            return _("Role revoked.")
        services.role_assign(actor=request.user, user=account, role=role)  # type: ignore[arg-type]
        return _("Role granted.")

    return _act_on_user(request, pk, act)


@require_POST
@login_required
def user_clearance_change(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a clearance (security administrator)."""
    form = ClearanceForm(request.POST)

    def act(account: User) -> str:
        if not form.is_valid():
            raise ValidationError(_("Clearance must be one of L1 to L4."))
        services.user_set_clearance(
            actor=request.user,  # type: ignore[arg-type]
            user=account,
            clearance=form.cleaned_data["clearance"],
        )
        return _("Clearance changed.")

    return _act_on_user(request, pk, act)


@require_POST
@login_required
def user_second_factor_reset(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove an account's second factors after a lost phone (security administrator)."""

    def act(account: User) -> str:
        services.otp_devices_reset(actor=request.user, user=account)  # type: ignore[arg-type]
        return _("Second factor reset: the user enrols again at the next sign-in.")

    return _act_on_user(request, pk, act)


# --- departments ------------------------------------------------------------------------


@login_required
def department_list(request: HttpRequest) -> HttpResponse:
    """List departments for the system administrator."""
    _require(
        can_manage_accounts(request.user), _("Only the system administrator manages departments.")
    )
    departments = selectors.departments_for_administration(user=request.user)
    page = Paginator(departments, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "accounts/department_list.html", {"page_obj": page})


@login_required
def department_create(request: HttpRequest) -> HttpResponse:
    """Create a department (system administrator)."""
    _require(
        can_manage_accounts(request.user), _("Only the system administrator manages departments.")
    )
    form = DepartmentCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.department_create(actor=request.user, **data)  # type: ignore[arg-type]
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("Department created."))
            return redirect("accounts:department_list")
    return render(request, "accounts/department_form.html", {"form": form})


@require_POST
@login_required
def department_set_active(request: HttpRequest, pk: int) -> HttpResponse:
    """Deactivate or reactivate a department (system administrator)."""
    try:
        department = selectors.department_for_administration(user=request.user, pk=pk)
    except Department.DoesNotExist as exc:
        raise Http404 from exc
    active = posted_flag(request, "active")
    services.department_set_active(actor=request.user, department=department, active=active)  # type: ignore[arg-type]
    messages.success(
        request, _("Department activated.") if active else _("Department deactivated.")
    )
    return redirect("accounts:department_list")


# --- two-factor sign-in -----------------------------------------------------------------

ENROL_DEVICE_KEY = "portal_otp_enrol_device"


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"


@login_required
def otp_enrol(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app: QR code, first code, then the recovery codes (shown once)."""
    user: User = request.user  # type: ignore[assignment]
    if has_confirmed_device(user) and not user.is_verified():  # type: ignore[attr-defined]
        return redirect("accounts:otp_verify")
    device = TOTPDevice.objects.filter(
        pk=request.session.get(ENROL_DEVICE_KEY), user=user, confirmed=False
    ).first()
    if device is None:
        device = services.totp_device_create(actor=user, user=user, confirmed=False)
        request.session[ENROL_DEVICE_KEY] = device.pk
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.totp_enrol_confirm(
                user=user, device=device, token=form.cleaned_data["token"]
            )
        except (ValidationError, PermissionDenied) as exc:
            form.add_error("token", exc.messages if isinstance(exc, ValidationError) else str(exc))
        else:
            request.session.pop(ENROL_DEVICE_KEY, None)
            otp_login(request, device)
            mark_second_factor_verified(request)
            # Rendered, not redirected: the codes exist in clear text only in this response.
            return render(
                request,
                "accounts/recovery_codes.html",
                {"codes": codes, "next": _next_url(request)},
            )
    import segno  # imported here: only this page draws a QR code

    qr = segno.make(device.config_url, error="m")
    return render(
        request,
        "accounts/otp_enrol.html",
        {
            "form": form,
            "qr_data_uri": qr.svg_data_uri(scale=5, border=2),
            "secret": _base32(device.bin_key),
            "next": _next_url(request),
        },
    )


def _base32(key: bytes) -> str:
    from base64 import b32encode

    text = b32encode(key).decode("ascii").rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


# At most this many recovery codes left, signing in warns and links to the page that makes new ones.
FEW_RECOVERY_CODES = 3


def _warn_if_few_recovery_codes(request: HttpRequest, user: User) -> None:
    left = recovery_codes_left(user)
    if left > FEW_RECOVERY_CODES:
        return
    if left == 0:
        text = _("You have no recovery codes left.")
    else:
        text = ngettext(
            "You have %(count)s recovery code left.",
            "You have %(count)s recovery codes left.",
            left,
        ) % {"count": left}
    messages.warning(
        request,
        format_html(
            '{} <a class="alert-link" href="{}">{}</a>',
            text,
            reverse("accounts:recovery_codes"),
            _("Create new recovery codes"),
        ),
    )


@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    """Ask for the second factor after the password."""
    user: User = request.user  # type: ignore[assignment]
    if not has_confirmed_device(user):
        return redirect("accounts:otp_enrol")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.otp_verify(user=user, token=form.cleaned_data["token"])
        except ValidationError as exc:
            form.add_error("token", exc.messages)
        else:
            otp_login(request, device)
            mark_second_factor_verified(request)
            _warn_if_few_recovery_codes(request, user)
            return redirect(_next_url(request))
    return render(request, "accounts/otp_verify.html", {"form": form, "next": _next_url(request)})


@login_required
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """Replace one's recovery codes, confirmed with a current code from the authenticator app.

    A session alone is not enough: new codes are a way to sign in later, so whoever makes them
    must hold the phone now (as for a privileged account's password change).
    """
    user: User = request.user  # type: ignore[assignment]
    if not has_confirmed_device(user):
        return redirect("accounts:otp_enrol")
    form = AuthenticatorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.totp_confirm(
                user=user, token=form.cleaned_data["token"], purpose="recovery_codes"
            )
        except ValidationError as exc:
            form.add_error("token", exc.messages)
        else:
            codes = services.recovery_codes_create(actor=user, user=user)
            # Rendered, not redirected: the codes exist in clear text only in this response.
            return render(
                request,
                "accounts/recovery_codes.html",
                {"codes": codes, "next": reverse("accounts:account"), "replaced": True},
            )
    return render(
        request,
        "accounts/recovery_codes_new.html",
        {"form": form, "left": recovery_codes_left(user)},
    )
