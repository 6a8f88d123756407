"""The API token page: every person's own tokens; a department administrator's department's.

A person creates tokens for themself (a holder of a privileged role only within minutes of
passing the second factor); a department administrator also issues tokens for the department's
service accounts and revokes any of the department's tokens (accounts.policies).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from ..forms import TokenCreateForm
from ..models import ApiToken, User
from ..policies import (
    can_manage_api_tokens,
    can_use_token_page,
    holds_second_factor_role,
    second_factor_is_fresh,
)
from ..selectors import token_holders_for, tokens_visible_to
from ..services.tokens import token_create, token_revoke
from ..two_factor import second_factor_verified_at


def _person(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    if not can_use_token_page(user):
        raise PermissionDenied(_("Service accounts have no token page."))
    return user


def _list(request: HttpRequest, form: TokenCreateForm, status: int = 200) -> HttpResponse:
    user = _person(request)
    needs_code = holds_second_factor_role(user) and not second_factor_is_fresh(
        second_factor_verified_at(request)
    )
    verify_url = reverse("accounts:otp_verify") + "?" + urlencode({"next": request.path})
    context = {
        "tokens": tokens_visible_to(user=user),
        "form": form,
        "is_token_admin": can_manage_api_tokens(user),
        "needs_code": needs_code,
        "verify_url": verify_url,
    }
    return render(request, "accounts/tokens/list.html", context, status=status)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    """List the tokens and create a new one; the key is shown on this answer only."""
    user = _person(request)
    holders = token_holders_for(user=user)
    if request.method != "POST":
        return _list(request, TokenCreateForm(holders=holders, initial={"user": user.pk}))
    form = TokenCreateForm(request.POST, holders=holders)
    status = 400
    if form.is_valid():
        try:
            token, key = token_create(
                actor=user,
                user=form.cleaned_data["user"],
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                days=form.cleaned_data["days"],
                allowed_networks=form.cleaned_data["allowed_networks"],
                second_factor_at=second_factor_verified_at(request),
            )
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
            status = 403
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            # Rendered, not redirected: the key must not travel through a URL or the session.
            return render(request, "accounts/tokens/created.html", {"token": token, "key": key})
    return _list(request, form, status=status)


@login_required
@require_POST
def token_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke one of the tokens on the page."""
    user = _person(request)
    try:
        token = tokens_visible_to(user=user).get(pk=pk)
    except ApiToken.DoesNotExist as exc:
        raise Http404 from exc
    try:
        token_revoke(actor=user, token=token)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The token %(prefix)s… is revoked.") % {"prefix": token.prefix})
    return redirect("accounts:token_list")
