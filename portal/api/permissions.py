"""Permission classes of the API. They gate by scope and role; objects are gated by selectors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from accounts.models import ApiToken


class TokenScope(BasePermission):
    """A token needs the read scope to read and the write scope to change anything.

    A session (the browsable API) acts with the person's full rights.
    """

    message = _("The API token does not have the scope this request needs.")

    def has_permission(self, request: Request, view: Any) -> bool:
        token = request.auth
        if not isinstance(token, ApiToken):
            return True
        scope = ApiToken.Scope.READ if request.method in SAFE_METHODS else ApiToken.Scope.WRITE
        return token.has_scope(scope)


class Allowed(BasePermission):
    """The caller satisfies a policy predicate; build with ``Allowed.by(predicate)``.

    Only the predicate decides (it lives in the app's ``policies`` module); the services still
    check the object itself.
    """

    message = _("You are not allowed to do this.")

    @staticmethod
    def predicate(user: Any) -> bool:
        return False

    @classmethod
    def by(cls, predicate: Callable[[Any], bool]) -> type[Allowed]:
        """Return a permission class that asks the predicate about the caller."""
        return type(f"Allowed_{predicate.__name__}", (cls,), {"predicate": staticmethod(predicate)})

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and self.predicate(user))
