"""The API and the portal's selectors give every matrix user the same answers."""

from __future__ import annotations

import pytest

from accounts.models import User
from catalog import selectors

from .conftest import ids
from .test_access_matrix_api import attempt

pytestmark = pytest.mark.django_db


def test_api_and_selectors_agree_on_seeing_and_changing(matrix, call):
    disagreements = []
    for user_key, user in matrix.users.items():
        if not user.is_active:
            continue
        fresh = User.objects.get(pk=user.pk)
        portal_visible = set(
            selectors.resources_visible_to(user=fresh).values_list("pk", flat=True)
        )
        portal_changeable = set(
            selectors.resources_changeable_by(user=fresh).values_list("pk", flat=True)
        )
        api_visible = ids(call(user_key, "get", "resources/?page_size=200"))
        if api_visible != portal_visible:
            disagreements.append(f"{user_key} list: api {api_visible} portal {portal_visible}")
        for resource_key, resource in matrix.resources.items():
            answer = call(user_key, "get", f"resources/{resource.pk}/")
            detail = answer.status_code
            if (detail == 200) != (resource.pk in portal_visible):
                disagreements.append(f"{user_key} detail {resource_key}: {detail}")
            if detail != 200:
                continue
            # May the user change it? The API says 403 when not; the selector says by membership.
            response = attempt(
                call, user_key, "patch", f"resources/{resource.pk}/", {"summary": "核对"}
            )
            api_may_change = response.status_code != 403
            if api_may_change != (resource.pk in portal_changeable):
                disagreements.append(f"{user_key} change {resource_key}: {response.status_code}")
            # The items the API shows are the ones the portal's selectors let the user see.
            shown = {item["id"] for item in answer.json()["items"]}
            portal_items = set(
                selectors.data_items_visible_to(user=fresh)
                .filter(resource=resource)
                .values_list("pk", flat=True)
            )
            if shown != portal_items:
                disagreements.append(f"{user_key} items {resource_key}")
    assert disagreements == []
