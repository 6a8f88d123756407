"""Every model has a working admin list, with search and filters."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

from accounts.models import User

from .access_matrix import build_matrix

pytestmark = pytest.mark.django_db


def test_every_model_of_the_portal_is_in_the_admin():
    from django.apps import apps

    registered = set(admin.site._registry)
    # Row data is personal: it is read only through the dataset selectors (grants, masking, audit).
    kept_out = {"catalog.DatasetRow"}
    missing = [
        model._meta.label
        for app in ("accounts", "catalog", "sharing", "audit")
        for model in apps.get_app_config(app).get_models()
        if model not in registered and model._meta.label not in kept_out
    ]
    assert missing == []
    assert not any(m._meta.label in kept_out for m in registered)


def test_admin_changelists_search_and_detail_pages_render(client):
    build_matrix()
    operator = User.objects.create_superuser("operator", "op@example.com", "operator-pass-2026")
    client.force_login(operator)
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in {"accounts", "catalog", "sharing", "audit"}:
            continue
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert client.get(url).status_code == 200, url
        if model_admin.search_fields:
            assert client.get(url, {"q": "矩阵"}).status_code == 200, url
        obj = model.objects.first()
        if obj is not None:
            change = reverse(
                f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[obj.pk]
            )
            assert client.get(change).status_code == 200, change


def test_resources_and_grants_are_read_only_in_the_admin(client):
    matrix = build_matrix()
    operator = User.objects.create_superuser("operator", "op@example.com", "operator-pass-2026")
    client.force_login(operator)
    resource = matrix.resources["pub_cond_1"]
    url = reverse("admin:catalog_resource_change", args=[resource.pk])
    response = client.post(url, {"name": "改名"})
    assert response.status_code == 403
    resource.refresh_from_db()
    assert resource.name != "改名"
