"""What every maintenance page shares: refusals and 404s in the house style."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render

from accounts.models import User

View = Callable[..., HttpResponseBase]


def refuse(request: HttpRequest, message: str) -> HttpResponse:
    """Render a clear refusal (403) for something the user may see but not do."""
    return render(request, "catalog/manage/refused.html", {"message": message}, status=403)


def maintenance_view(view: View) -> View:
    """Require sign-in; turn "not visible" into 404 and a service's refusal into a clear 403.

    What a user may not see does not exist for them, so ``DoesNotExist`` from a visibility
    selector becomes the same 404 as a wrong id.
    """

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            return view(request, *args, **kwargs)
        except ObjectDoesNotExist as exc:
            raise Http404 from exc
        except PermissionDenied as exc:
            return refuse(request, str(exc) or "")

    return wrapper


def current_user(request: HttpRequest) -> User:
    """Return the signed-in user (the views are behind ``login_required``)."""
    user = request.user
    assert isinstance(user, User)
    return user


def form_errors(form: Any, exc: ValidationError, fallback: str | None = None) -> None:
    """Attach a service's errors to the form fields they name (others to ``fallback``)."""
    if not hasattr(exc, "error_dict"):
        for message in exc.messages:
            form.add_error(fallback, message)
        return
    for field, errors in exc.message_dict.items():
        if field == "items":
            continue  # the item rows carry these
        for error in errors:
            form.add_error(field if field in form.fields else fallback, error)
