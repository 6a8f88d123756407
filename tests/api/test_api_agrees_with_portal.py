"""The API and the portal's selectors give every matrix user the same answers."""

from __future__ import annotations

import pytest

from accounts.models import User
from catalog import selectors
from sharing import policies as sharing_policies
from sharing import selectors as sharing_selectors

from ..sampling import page_pair_sampled
from .conftest import ids
from .sharing_matrix import build_requests
from .test_access_matrix_api import attempt

pytestmark = pytest.mark.django_db


def test_api_and_selectors_agree_on_seeing_and_changing(matrix, call):
    disagreements = []
    for user_index, (user_key, user) in enumerate(matrix.users.items()):
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
        for resource_index, (resource_key, resource) in enumerate(matrix.resources.items()):
            # Every list in full; the per-resource answers on a sample (tests/sampling.py).
            if not page_pair_sampled(user_index, resource_index):
                continue
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


def test_api_and_sharing_selectors_agree_on_requests_and_grants(matrix, call):
    """Requests (built on top of the matrix) and grants: the same lists, the same actions."""
    requests = build_requests(matrix)
    disagreements = []
    for user_index, (user_key, user) in enumerate(matrix.users.items()):
        if not user.is_active:
            continue
        fresh = User.objects.get(pk=user.pk)
        lists = {
            "share-requests/": sharing_selectors.requests_visible_to(user=fresh),
            "share-requests/?side=made": sharing_selectors.requests_of_my_department(user=fresh),
            "share-requests/?side=received": sharing_selectors.requests_to_my_department(
                user=fresh
            ),
            "grants/": sharing_selectors.grants_visible_to(user=fresh),
        }
        for path, portal in lists.items():
            joiner = "&" if "?" in path else "?"
            api = ids(call(user_key, "get", f"{path}{joiner}page_size=200"))
            expected = set(portal.values_list("pk", flat=True))
            if api != expected:
                disagreements.append(f"{user_key} {path}: api {api} portal {expected}")
        visible = set(lists["share-requests/"].values_list("pk", flat=True))
        for request_index, (request_key, request) in enumerate(requests.items()):
            if not page_pair_sampled(user_index, request_index):
                continue
            detail = call(user_key, "get", f"share-requests/{request.pk}/").status_code
            if (detail == 200) != (request.pk in visible):
                disagreements.append(f"{user_key} detail {request_key}: {detail}")
            if detail != 200:
                continue
            # What the request page offers is what the API lets the user do.
            offered = sharing_selectors.request_actions(user=fresh, request=request)
            for action, body, portal_may in (
                ("approve", {}, offered.decide),
                ("withdraw", None, offered.withdraw),
                ("escalate", {"reason": "请协调"}, offered.escalate),
            ):
                path = f"share-requests/{request.pk}/{action}/"
                api_may = attempt(call, user_key, "post", path, body).status_code == 200
                if api_may != portal_may:
                    disagreements.append(f"{user_key} {action} {request_key}: api {api_may}")
        for grant in lists["grants/"]:
            response = attempt(
                call, user_key, "post", f"grants/{grant.pk}/revoke/", {"reason": "核对"}
            )
            portal_may = grant.status == "active" and sharing_policies.can_revoke_grant(
                fresh, grant
            )
            if (response.status_code == 200) != portal_may:
                disagreements.append(f"{user_key} revoke {grant.pk}: {response.status_code}")
    assert disagreements == []
