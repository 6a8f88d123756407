"""Permission classes of the API. They gate by scope and role; objects are gated by selectors."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from accounts.models import ApiToken, Role


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


class HasRole(BasePermission):
    """The caller holds one of the roles; build with ``HasRole.of(...)``."""

    roles: tuple[str, ...] = ()
    message = _("You are not allowed to do this.")

    @classmethod
    def of(cls, *roles: str) -> type[HasRole]:
        """Return a permission class requiring one of the roles."""
        return type(f"HasRole_{'_'.join(roles)}", (cls,), {"roles": roles})

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.has_role(*self.roles))


IsEditor = HasRole.of(Role.EDITOR)
IsCoordinator = HasRole.of(Role.COORDINATOR)
