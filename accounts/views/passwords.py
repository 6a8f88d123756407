"""The holder's own account page and password change; administrators' password resets.

The reset answers with a page, not a redirect: the temporary password exists in clear only in
that response, as the recovery codes do (``otp_enrol``).
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import policies, selectors
from ..forms import PasswordChangeForm, PasswordResetForm
from ..models import User
from ..services import passwords
from ..two_factor import has_confirmed_device
from . import _errors_to_form


@login_required
def account(request: HttpRequest) -> HttpResponse:
    """Show the signed-in user's own account and their sign-in history."""
    user: User = request.user  # type: ignore[assignment]
    return render(
        request,
        "accounts/account.html",
        {
            "account": user,
            "sign_ins": selectors.sign_in_history_for(user=user),
            "has_second_factor": has_confirmed_device(user),
            "may_change_password": policies.can_change_password(user, user),
        },
    )


@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    """Change one's own password: the old one, twice the new one, and a code if the role asks."""
    user: User = request.user  # type: ignore[assignment]
    needs_code = policies.password_change_needs_second_factor(user)
    form = PasswordChangeForm(request.POST or None, needs_code=needs_code)
    if request.method == "POST" and form.is_valid():
        try:
            passwords.password_change(
                actor=user,
                user=user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password1"],
                otp_token=form.cleaned_data.get("otp_token", ""),
                keep_session_key=request.session.session_key,
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            update_session_auth_hash(request, user)  # this session stays signed in
            messages.success(
                request, _("Password changed. Your other sessions have been signed out.")
            )
            return redirect("accounts:account")
    return render(
        request,
        "accounts/password_change.html",
        {
            "form": form,
            "needs_code": needs_code,
            "has_second_factor": has_confirmed_device(user),
            "forced": user.must_change_password,
        },
    )


def _reset(
    request: HttpRequest, pk: int, find: Callable[..., User], detail_url: str
) -> HttpResponse:
    try:
        account = find(user=request.user, pk=pk)
    except User.DoesNotExist as exc:
        raise Http404 from exc
    form = PasswordResetForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Confirm the identity of the person who asked for the reset."))
        return redirect(detail_url, pk=pk)
    try:
        temporary = passwords.password_reset(actor=request.user, user=account)  # type: ignore[arg-type]
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("You are not allowed to do this."))
        return redirect(detail_url, pk=pk)
    # Rendered, not redirected: the temporary password exists in clear only in this response.
    return render(
        request,
        "accounts/password_reset_done.html",
        {"account": account, "temporary": temporary, "back": detail_url},
    )


@require_POST
@login_required
def user_password_reset(request: HttpRequest, pk: int) -> HttpResponse:
    """Reset an account's password (security administrator)."""
    return _reset(request, pk, selectors.user_for_administration, "accounts:user_detail")


@require_POST
@login_required
def member_password_reset(request: HttpRequest, pk: int) -> HttpResponse:
    """Reset the password of an account of one's department (department administrator)."""
    return _reset(request, pk, selectors.department_member_get, "accounts:member_detail")
