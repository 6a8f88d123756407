"""Navigation links and the import page follow the roles; the version page's queries are fixed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import Role
from catalog import services

from .maintenance_helpers import login

pytestmark = pytest.mark.django_db


def test_navigation_links_follow_roles(client, matrix):
    links = {
        "prov_editor_4": {"catalog:resource_mine", "catalog:system_list"},
        "coordinator_4": {"catalog:resource_review_queue", "catalog:system_list"},
        "cons_staff_4": {"catalog:system_list"},
    }
    every = {"catalog:resource_mine", "catalog:resource_review_queue", "catalog:system_list"}
    for user_key, expected in links.items():
        login(client, matrix.users[user_key])
        html = client.get(reverse("catalog:system_list")).content.decode()
        for name in every:
            assert (f'href="{reverse(name)}"' in html) == (name in expected), (user_key, name)


def test_import_page_access_follows_roles(client, matrix):
    for user_key, user in matrix.users.items():
        if not user.is_active:
            continue
        spec = matrix.user_specs[user_key]
        allowed = Role.COORDINATOR in spec.roles or (
            Role.EDITOR in spec.roles and spec.department is not None
        )
        login(client, user)
        response = client.get(reverse("catalog:resource_import"))
        assert response.status_code == (200 if allowed else 403), user_key
        # Only the coordinator is offered to publish at once.
        if allowed:
            offered = "publish" in response.context["form"].fields
            assert offered == (Role.COORDINATOR in spec.roles), user_key


def test_versions_page_query_count_does_not_grow(client, matrix, django_assert_max_num_queries):
    resource = matrix.resources["pub_unc_1"]
    login(client, matrix.users["prov_editor_4"])
    url = reverse("catalog:resource_versions", args=[resource.pk])
    services.resource_update(actor=None, resource=resource, summary="第一次修改")
    with django_assert_max_num_queries(12) as small:
        client.get(url)
    for n in range(10):
        services.resource_update(actor=None, resource=resource, summary=f"修改 {n}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert len(response.context["versions"]) == 12
