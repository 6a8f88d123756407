"""Authentication backend that answers object permissions from the access policies."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import BaseBackend, ModelBackend
from django.db import models

from catalog import policies as catalog_policies
from catalog.models import Resource
from sharing import policies as sharing_policies


class PolicyBackend(BaseBackend):
    """Answer ``user.has_perm(perm, obj)`` with the same predicates the selectors compile to SQL.

    Model-level permissions (``obj is None``) are left to ``ModelBackend``; they only matter to
    the Django admin.
    """

    def get_user(self, user_id: Any) -> Any:
        """Load the session's user, so a session begun through this backend stays valid."""
        return ModelBackend().get_user(user_id)

    def has_perm(self, user_obj: Any, perm: str, obj: models.Model | None = None) -> bool:
        if obj is None:
            return False
        # Looked up on each call, so a test that swaps a predicate reaches the backend too.
        predicate = catalog_policies.RESOURCE_PREDICATES.get(
            perm
        ) or sharing_policies.RESOURCE_PREDICATES.get(perm)
        if predicate is None or not isinstance(obj, Resource):
            return False
        return bool(predicate(user_obj, obj))
