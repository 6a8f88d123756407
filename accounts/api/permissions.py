"""The token-scope gate of the API: a read token reads, a write token also writes."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from accounts.models import ApiToken


class TokenScope(BasePermission):
    """A token needs the read scope to read and the write scope to change anything.

    A session (the browsable API) acts with the person's full rights. A view whose POST only
    reads (a call of a live interface: its body carries the query) says so with a method
    ``reads_only(request)``; the read scope is then enough.
    """

    message = _("The API token does not have the scope this request needs.")

    def has_permission(self, request: Request, view: Any) -> bool:
        token = request.auth
        if not isinstance(token, ApiToken):
            return True
        reads_only = getattr(view, "reads_only", None)
        reads = request.method in SAFE_METHODS or (callable(reads_only) and reads_only(request))
        scope = ApiToken.Scope.READ if reads else ApiToken.Scope.WRITE
        return token.has_scope(scope)
