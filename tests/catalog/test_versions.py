"""Published resources keep a version history; the code never changes after publication."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.models import Role
from catalog import selectors, services
from catalog.models import Category, ResourceVersion
from tests import builders

from .maintenance_helpers import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    department = builders.department("版本测试部门")
    editor = builders.user(department, clearance=4, roles=(Role.STAFF, Role.EDITOR))
    resource = builders.resource(department, level=3, name="版本测试资源")
    return department, editor, resource


def _items(resource):
    return [
        {f: getattr(i, f) for f in services.ITEM_FIELDS}
        for i in resource.items.order_by("position")
    ]


def test_publication_writes_the_first_version(world):
    _dept, _editor, resource = world
    version = ResourceVersion.objects.get(resource=resource)
    assert version.number == 1 and resource.version == 1
    assert version.snapshot["code"] == resource.code
    assert [i["name"] for i in version.snapshot["items"]] == ["编号", "名称"]


def test_editing_a_published_resource_adds_a_version_with_a_diff(world):
    _dept, editor, resource = world
    code = resource.code
    items = _items(resource)
    items[1]["length"] = 40  # 名称 changed
    items.append({**items[0], "name": "地址", "is_key": False})  # added
    items.pop(0)  # 编号 removed
    services.resource_update(
        actor=editor,
        resource=resource,
        items=items,
        name="版本测试资源（新）",
        category=Category.objects.get(code="102"),
        change_note="补充地址",
    )
    resource.refresh_from_db()
    # The code is permanent, even though the category changed.
    assert resource.code == code and resource.version == 2
    entries = selectors.resource_versions(user=editor, resource=resource)
    assert [e.version.number for e in entries] == [2, 1]
    diff = entries[0].diff
    labels = {c.label: (c.before, c.after) for c in diff.fields}
    assert labels["名称"] == ("版本测试资源", "版本测试资源（新）")
    assert labels["信息资源分类"] == ("101 人口", "102 法人单位")
    assert diff.items_added == ["地址"] and diff.items_removed == ["编号"]
    assert [name for name, _changes in diff.items_changed] == ["名称"]
    assert entries[0].version.change_note == "补充地址"
    assert entries[1].is_first


def test_drafts_have_no_versions_and_publish_keeps_the_code(world):
    department, editor, _resource = world
    draft = builders.resource(department, level=1, status="draft")
    services.resource_update(actor=editor, resource=draft, name="草稿改名")
    assert not ResourceVersion.objects.filter(resource=draft).exists()
    submitted = services.resource_submit(actor=editor, resource=draft)
    published = services.resource_publish(actor=None, resource=submitted)
    code = published.code
    services.resource_update(actor=editor, resource=published, summary="新的摘要")
    published.refresh_from_db()
    assert published.code == code


def test_versions_above_the_users_clearance_are_absent(world):
    _department, editor, resource = world
    services.resource_update(
        actor=editor,
        resource=resource,
        level=2,
        items=[{**i, "level": min(i["level"], 2)} for i in _items(resource)],
    )
    resource.refresh_from_db()
    reader = builders.user(builders.department(), clearance=2)
    entries = selectors.resource_versions(user=reader, resource=resource)
    # Only version 2 (L2): version 1 was L3 and is not compared against either.
    assert [e.version.number for e in entries] == [2]
    assert entries[0].is_first
    assert len(selectors.resource_versions(user=editor, resource=resource)) == 2


def test_related_codes_the_user_may_not_see_are_not_shown(world):
    department, editor, resource = world
    secret = builders.resource(department, level=4, name="高敏感资源", catalog_scope="cleared")
    services.resource_update(actor=editor, resource=resource, related=[secret], change_note="关联")
    reader = builders.user(builders.department(), clearance=3)
    entries = selectors.resource_versions(user=reader, resource=resource)
    assert entries[0].diff is not None and not entries[0].diff  # nothing visible changed
    html = render_to_string("catalog/manage/_versions.html", {"versions": entries})
    assert secret.code not in html
    owner_view = selectors.resource_versions(user=editor, resource=resource)
    assert secret.code in render_to_string(
        "catalog/manage/_versions.html", {"versions": owner_view}
    )


def test_versions_page_is_404_when_the_resource_is_not_visible(client, world):
    _dept, _editor, resource = world
    services.resource_scope_set(
        actor=None, resource=resource, scope="cleared", reason="存在本身敏感"
    )
    low = builders.user(builders.department(), clearance=2)
    login(client, low)
    assert client.get(reverse("catalog:resource_versions", args=[resource.pk])).status_code == 404
    high = builders.user(builders.department(), clearance=3)
    login(client, high)
    response = client.get(reverse("catalog:resource_versions", args=[resource.pk]))
    assert response.status_code == 200
    assert "版本 1" in response.content.decode() or "Version 1" in response.content.decode()


def test_a_refused_edit_of_a_published_resource_changes_nothing(world):
    _dept, editor, resource = world
    with pytest.raises(ValidationError):
        services.resource_update(
            actor=editor, resource=resource, share_type="none", share_condition=""
        )
    resource.refresh_from_db()
    assert resource.version == 1 and resource.share_type == "conditional"
    assert resource.versions.count() == 1
