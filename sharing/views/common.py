"""Small helpers shared by the sharing views."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from accounts.models import User

T = TypeVar("T")

PAGE_SIZE = 25


def get_or_404(getter: Callable[..., T], **kwargs) -> T:
    """Call a ``*_get_visible`` selector; what the user may not see is a 404."""
    try:
        return getter(**kwargs)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc


def paginate(request: HttpRequest, queryset: QuerySet) -> Page:
    """Return the requested page of a list."""
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def int_param(value: str | None) -> int:
    """Return a positive integer from a query or form parameter, or raise Http404."""
    try:
        number = int(value or "")
    except ValueError as exc:
        raise Http404 from exc
    if number <= 0:
        raise Http404
    return number


class AuthedRequest(HttpRequest):
    """A request behind ``login_required``: its user is a signed-in ``User``."""

    user: User
