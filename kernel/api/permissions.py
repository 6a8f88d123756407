"""Permission classes of the API built from policy predicates; objects are gated by selectors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission
from rest_framework.request import Request


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
