"""Every endpoint through the access matrix: what each user sees, and what each may do."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import transaction
from rest_framework.response import Response

from accounts.models import Role
from sharing.models import Grant

from ..access_matrix import GRANTS
from .conftest import ids

pytestmark = pytest.mark.django_db

INACTIVE = "prov_inactive_4"


def attempt(call: Callable[..., Response], *args, **kwargs) -> Response:
    """Make a call whose writes are rolled back, so every case starts from the same matrix."""
    with transaction.atomic():
        response = call(*args, **kwargs)
        transaction.set_rollback(True)
    return response


def test_resource_list_shows_exactly_what_the_matrix_allows(matrix, call):
    for user_key in matrix.users:
        response = call(user_key, "get", "resources/?page_size=200")
        if user_key == INACTIVE:
            assert response.status_code == 401
            continue
        expected = {matrix.resources[r].pk for r in matrix.visible_keys(user_key)}
        assert ids(response) == expected, user_key


def test_resource_detail_is_200_when_visible_and_404_otherwise(matrix, call):
    for user_key, resource_key in matrix.cases():
        if user_key == INACTIVE:
            continue
        response = call(user_key, "get", f"resources/{matrix.resources[resource_key].pk}/")
        expected = 200 if matrix.expect_view(user_key, resource_key) else 404
        assert response.status_code == expected, (user_key, resource_key)
        if expected == 200:
            # Every item's definition of a visible entry, whatever the caller's clearance.
            levels = {item["name"]: item["level"] for item in response.json()["items"]}
            level = matrix.resource_specs[resource_key].level
            assert levels == {"编号": 1, "名称": min(2, level), "敏感项": level}
        else:
            assert response.json()["error"]["code"] == "not_found"


def _steward_status(matrix, user_key: str, resource_key: str, may: bool, valid: bool) -> int:
    if not matrix.expect_view(user_key, resource_key):
        return 404
    if not may:
        return 403
    return 200 if valid else 409  # the resource's state refuses the step


def test_update_follows_the_change_rule(matrix, call):
    for user_key, resource_key in matrix.cases():
        if user_key == INACTIVE:
            continue
        spec = matrix.resource_specs[resource_key]
        response = attempt(
            call,
            user_key,
            "patch",
            f"resources/{matrix.resources[resource_key].pk}/",
            {"summary": "接口修改的摘要"},
        )
        expected = _steward_status(
            matrix,
            user_key,
            resource_key,
            matrix.expect_change(user_key, resource_key),
            spec.status != "retired",
        )
        assert response.status_code == expected, (user_key, resource_key, response.json())


def test_submit_follows_the_change_rule(matrix, call):
    for user_key, resource_key in matrix.cases():
        if user_key == INACTIVE:
            continue
        spec = matrix.resource_specs[resource_key]
        response = attempt(
            call, user_key, "post", f"resources/{matrix.resources[resource_key].pk}/submit/"
        )
        expected = _steward_status(
            matrix,
            user_key,
            resource_key,
            matrix.expect_change(user_key, resource_key),
            spec.status == "draft",
        )
        assert response.status_code == expected, (user_key, resource_key, response.json())


@pytest.mark.parametrize(
    ("action", "body"), [("publish", None), ("return", {"comment": "请补充信息项说明"})]
)
def test_publish_and_return_are_the_coordinators(matrix, call, action, body):
    for user_key, resource_key in matrix.cases():
        if user_key == INACTIVE:
            continue
        spec = matrix.resource_specs[resource_key]
        response = attempt(
            call, user_key, "post", f"resources/{matrix.resources[resource_key].pk}/{action}/", body
        )
        if Role.COORDINATOR not in matrix.user_specs[user_key].roles:
            expected = 403  # refused for any id: reveals nothing about the resource
        elif not matrix.expect_view(user_key, resource_key):
            expected = 404
        else:
            expected = 200 if spec.status == "submitted" else 409
        assert response.status_code == expected, (user_key, resource_key, response.json())


def test_retire_is_for_changers_and_the_coordinator(matrix, call):
    for user_key, resource_key in matrix.cases():
        if user_key == INACTIVE:
            continue
        spec = matrix.resource_specs[resource_key]
        response = attempt(
            call,
            user_key,
            "post",
            f"resources/{matrix.resources[resource_key].pk}/retire/",
            {"reason": "数据源停用"},
        )
        may = matrix.expect_change(user_key, resource_key) or (
            Role.COORDINATOR in matrix.user_specs[user_key].roles
        )
        expected = _steward_status(matrix, user_key, resource_key, may, spec.status == "published")
        assert response.status_code == expected, (user_key, resource_key, response.json())


def test_only_editors_create_resources(matrix, call, db):
    from catalog.models import Category

    category = Category.objects.get(code="101")
    body = {
        "category": category.pk,
        "name": "接口登记的资源",
        "summary": "由接口登记",
        "format_class": "database",
        "share_type": "unconditional",
        "share_method": "api",
        "update_cycle": "daily",
        "level": 1,
        "items": [{"name": "编号", "data_type": "C", "length": 18, "level": 1}],
    }
    for user_key, spec in matrix.user_specs.items():
        if user_key == INACTIVE:
            continue
        response = attempt(call, user_key, "post", "resources/", body)
        expected = 201 if Role.EDITOR in spec.roles else 403
        assert response.status_code == expected, (user_key, response.json())
        if expected == 201:
            created = response.json()
            assert created["status"] == "draft"
            assert created["provider"] == matrix.departments[spec.department].pk


# --- grants --------------------------------------------------------------------------------


def expect_grant_visible(matrix, user_key: str, resource_key: str, dept_key: str) -> bool:
    """The grant rule written plainly: parties and the coordinator, within the entry's scope."""
    user, resource = matrix.user_specs[user_key], matrix.resource_specs[resource_key]
    if not matrix.expect_in_scope(user_key, resource_key):
        return False
    if Role.COORDINATOR in user.roles:
        return True
    return user.department is not None and user.department in (dept_key, resource.provider)


def _grants(matrix) -> dict[tuple[str, str], Grant]:
    return {
        (resource_key, dept_key): Grant.objects.get(
            resource=matrix.resources[resource_key], department=matrix.departments[dept_key]
        )
        for resource_key, dept_key, _state in GRANTS
    }


def test_grant_list_and_detail_follow_the_parties_rule(matrix, call):
    grants = _grants(matrix)
    for user_key in matrix.users:
        if user_key == INACTIVE:
            continue
        expected = {
            grant.pk
            for (resource_key, dept_key), grant in grants.items()
            if expect_grant_visible(matrix, user_key, resource_key, dept_key)
        }
        assert ids(call(user_key, "get", "grants/")) == expected, user_key
        for grant in grants.values():
            response = call(user_key, "get", f"grants/{grant.pk}/")
            assert response.status_code == (200 if grant.pk in expected else 404)


def test_revoke_is_for_the_providers_deciders_and_the_coordinator(matrix, call):
    grants = _grants(matrix)
    states = {(r, d): state for r, d, state in GRANTS}
    for user_key in matrix.users:
        if user_key == INACTIVE:
            continue
        for (resource_key, dept_key), grant in grants.items():
            response = attempt(
                call, user_key, "post", f"grants/{grant.pk}/revoke/", {"reason": "用途已结束"}
            )
            spec = matrix.user_specs[user_key]
            may = matrix.expect_decide(user_key, resource_key) or (
                Role.COORDINATOR in spec.roles
                and matrix.resource_specs[resource_key].level <= spec.clearance
            )
            if not expect_grant_visible(matrix, user_key, resource_key, dept_key):
                expected = 404
            elif not may:
                expected = 403
            else:
                expected = 409 if states[(resource_key, dept_key)] == "revoked" else 200
            assert response.status_code == expected, (user_key, resource_key, response.json())


# --- directory -----------------------------------------------------------------------------


def test_me_describes_the_caller(matrix, call):
    for user_key, spec in matrix.user_specs.items():
        response = call(user_key, "get", "me/")
        if not spec.active:
            assert response.status_code == 401
            continue
        body = response.json()
        assert body["username"] == user_key
        assert body["clearance"] == spec.clearance
        assert set(body["roles"]) == set(spec.roles)
        department = matrix.departments.get(spec.department) if spec.department else None
        assert (body["department"] or {}).get("id") == (department.pk if department else None)


def test_directory_lists_are_for_signed_in_callers(matrix, call, client):
    from tests.builders import system

    prov = matrix.departments["prov"]
    active = system(prov, "在用系统")
    retired = system(prov, "停用系统", status="retired")
    draft = system(prov, "草稿系统", status="draft")
    for path in ("departments/", "categories/", "systems/"):
        assert client.get(f"/api/v1/{path}").status_code == 401
        assert call(INACTIVE, "get", path).status_code == 401
        assert call("other_staff_3", "get", path).status_code == 200
    systems = ids(call("other_staff_3", "get", "systems/"))
    assert active.pk in systems and retired.pk not in systems and draft.pk not in systems
    assert call("other_staff_3", "get", f"systems/{retired.pk}/").status_code == 404
    assert call("other_staff_3", "get", f"systems/{draft.pk}/").status_code == 404
    shown = call("other_staff_3", "get", f"systems/{active.pk}/").json()
    assert shown["status"] == "approved" and shown["code"] == active.code
    assert shown["funding_stage"] == "initiation" and shown["confirmed_at"]
    assert shown["project_name"] == "测试建设项目" and shown["registration_code"] == active.code
    # Their own department sees its draft, without a code.
    own = call("prov_staff_1", "get", f"systems/{draft.pk}/").json()
    assert own["status"] == "draft" and own["code"] is None
    departments = ids(call("cons_staff_1", "get", "departments/?page_size=200"))
    assert {d.pk for d in matrix.departments.values()} <= departments


def test_filters_do_not_reveal_what_the_caller_cannot_see(matrix, call):
    hidden = matrix.resources["provider_cond_2"]  # limited to its provider, granted to cons
    for path in (f"grants/?resource={hidden.pk}", "grants/?resource=999999"):
        response = call("cons_staff_3", "get", path)
        assert response.status_code == 200 and response.json()["results"] == []
    prov = matrix.departments["prov"].pk
    # Of prov's L3 entries, cons_staff_1 sees those every department sees, not the cleared one.
    response = call("cons_staff_1", "get", f"resources/?provider={prov}&level=3&status=published")
    names = {r["name"] for r in response.json()["results"]}
    assert "矩阵资源pub_cond_3" in names and "矩阵资源cleared_cond_3" not in names
    other = matrix.departments["other"].pk
    for path in (f"resources/?provider={other}&level=3", "resources/?provider=999999"):
        response = call("cons_staff_1", "get", path)
        assert response.status_code == 200 and response.json()["results"] == []
