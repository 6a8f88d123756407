"""Pages where a department administrator issues and revokes the department's API tokens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from ..forms import TokenCreateForm
from ..models import ApiToken, User
from ..policies import can_manage_api_tokens
from ..selectors import token_holders_for, tokens_visible_to
from ..services.tokens import token_create, token_revoke


def _admin(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    if not can_manage_api_tokens(user):
        raise PermissionDenied(_("Only the department administrator manages API tokens."))
    return user


def _list(request: HttpRequest, form: TokenCreateForm, status: int = 200) -> HttpResponse:
    tokens = tokens_visible_to(user=_admin(request))
    return render(
        request, "accounts/tokens/list.html", {"tokens": tokens, "form": form}, status=status
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    """List the department's tokens and issue a new one; the key is shown on this answer only."""
    admin = _admin(request)
    holders = token_holders_for(user=admin)
    if request.method != "POST":
        return _list(request, TokenCreateForm(holders=holders))
    form = TokenCreateForm(request.POST, holders=holders)
    if form.is_valid():
        try:
            token, key = token_create(
                actor=admin,
                user=form.cleaned_data["user"],
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                days=form.cleaned_data["days"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            # Rendered, not redirected: the key must not travel through a URL or the session.
            return render(request, "accounts/tokens/created.html", {"token": token, "key": key})
    return _list(request, form, status=400)


@login_required
@require_POST
def token_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke one of the department's tokens."""
    admin = _admin(request)
    try:
        token = tokens_visible_to(user=admin).get(pk=pk)
    except ApiToken.DoesNotExist as exc:
        raise Http404 from exc
    try:
        token_revoke(actor=admin, token=token)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The token %(prefix)s… is revoked.") % {"prefix": token.prefix})
    return redirect("accounts:token_list")
