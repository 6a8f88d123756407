"""A client that knows only the published schema runs the flows an integrator runs today.

Operations are found by their ``operationId`` and paths filled from the schema's templates, so a
renamed path, parameter or field breaks this test the way it would break a generated client.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from catalog.models import Category

pytestmark = pytest.mark.django_db


class SchemaClient:
    """Call operations by operationId, with a token, checking the documented status codes."""

    def __init__(self, key: str) -> None:
        self.http = APIClient()
        self.http.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
        schema = self.http.get("/api/v1/schema/?format=json").json()
        self.operations = {
            operation["operationId"]: (method, path, operation)
            for path, item in schema["paths"].items()
            for method, operation in item.items()
        }

    def __call__(self, operation_id: str, body: Any = None, **params: Any) -> tuple[int, Any]:
        method, template, operation = self.operations[operation_id]
        path = template.format(
            **{k: params.pop(k) for k in list(params) if "{" + k + "}" in template}
        )
        documented = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
        assert set(params) <= documented, f"{operation_id}: undocumented {set(params) - documented}"
        response = getattr(self.http, method)(
            path, body if body is not None else params, format="json" if body is not None else None
        )
        assert str(response.status_code) in operation["responses"], (
            operation_id,
            response.status_code,
        )
        return response.status_code, response.json()


def test_find_a_conditional_resource_read_the_grant_and_revoke_it(matrix, keys):
    consumer = SchemaClient(keys["cons_staff_3"])
    provider = SchemaClient(keys["prov_approver_4"])

    status, page = consumer(
        "resources_list", share_type="conditional", search="pub_cond", page_size=50
    )
    assert status == 200
    found = {row["name"]: row for row in page["results"]}
    resource = found["矩阵资源pub_cond_3"]
    assert (
        resource["share_type"] == "conditional"
        and resource["provider"] == matrix.departments["prov"].pk
    )

    status, grants = consumer("grants_list", resource=resource["id"], status="active")
    assert status == 200 and len(grants["results"]) == 1
    grant_id = grants["results"][0]["id"]
    status, grant = consumer("grants_retrieve", id=grant_id)
    assert grant["in_force"] and grant["department"] == matrix.departments["cons"].pk
    assert {item["name"] for item in grant["items"]} == {"编号", "名称"}

    status, refused = consumer("grants_revoke", {"reason": "自行撤销"}, id=grant_id)
    assert status == 403 and refused["error"]["code"] == "permission_denied"
    status, revoked = provider("grants_revoke", {"reason": "用途已结束"}, id=grant_id)
    assert status == 200 and revoked["status"] == "revoked" and not revoked["in_force"]
    status, again = provider("grants_revoke", {"reason": "再次撤销"}, id=grant_id)
    assert status == 409 and again["error"]["code"] == "conflict"
    status, grant = consumer("grants_retrieve", id=grant_id)
    assert grant["status"] == "revoked"


def test_register_submit_and_publish_a_resource(matrix, keys):
    editor = SchemaClient(keys["prov_editor_4"])
    coordinator = SchemaClient(keys["coordinator_4"])
    category = Category.objects.get(code="101")
    body = {
        "category": category.pk,
        "name": "接口登记的社会救助名单",
        "summary": "低保、特困人员名单",
        "format_class": "database",
        "share_type": "conditional",
        "share_condition": "限用于救助资格核查",
        "share_method": "api",
        "update_cycle": "monthly",
        "level": 3,
        "items": [
            {
                "name": "公民身份号码",
                "data_type": "C",
                "length": 18,
                "level": 3,
                "kind": "id_number",
                "is_key": True,
            },
            {"name": "救助类别", "data_type": "C", "length": 20, "level": 2},
        ],
    }
    status, created = editor("resources_create", body)
    assert status == 201 and created["status"] == "draft" and created["code"] is None
    status, _ = coordinator("resources_retrieve", id=created["id"])
    assert status == 404  # a draft of another department does not exist for the coordinator
    status, submitted = editor("resources_submit", {}, id=created["id"])
    assert submitted["status"] == "submitted"
    status, published = coordinator("resources_publish", {}, id=created["id"])
    assert status == 200 and published["status"] == "published"
    assert published["code"].startswith("101/")
    status, changed = editor(
        "resources_partial_update", {"summary": "更新后的摘要"}, id=created["id"]
    )
    assert status == 200 and changed["version"] == 2 and changed["code"] == published["code"]


@pytest.mark.two_factor  # the real gate: the approver has no second factor, only a token
def test_request_a_conditional_resource_approve_read_the_grant_and_revoke(matrix, keys):
    consumer = SchemaClient(keys["cons_staff_3"])
    provider = SchemaClient(keys["prov_approver_4"])

    # The list counts each resource's items; ?expand=items brings them, as the detail has them.
    status, page = consumer(
        "resources_list", share_type="conditional", search="pub_cond", page_size=50, expand="items"
    )
    assert status == 200
    resource = {row["name"]: row for row in page["results"]}["矩阵资源pub_cond_1"]
    asked_items = [item["id"] for item in resource["items"]]
    assert resource["item_count"] == len(asked_items)
    assert len(asked_items) >= 2

    until = (timezone.localdate() + timedelta(days=60)).isoformat()
    status, created = consumer(
        "share_requests_create",
        {
            "resources": [resource["id"]],
            "legal_basis": "《社会救助暂行办法》第十一条",
            "purpose": "verification",
            "scenario": "低保资格核查",
            "valid_until": until,
        },
    )
    assert status == 201 and len(created) == 1
    request = created[0]
    assert request["status"] == "submitted" and request["resource"] == resource["id"]
    assert request["provider_department"] == resource["provider"]
    assert request["deadline"] is not None and sorted(request["items"]) == sorted(asked_items)

    status, inbox = provider("share_requests_list", side="received", status="submitted")
    assert status == 200 and request["id"] in {row["id"] for row in inbox["results"]}
    status, refused = consumer("share_requests_approve", {}, id=request["id"])
    assert status == 403 and refused["error"]["code"] == "permission_denied"

    shorter = (timezone.localdate() + timedelta(days=30)).isoformat()
    status, approved = provider(
        "share_requests_approve",
        {"items": asked_items[:1], "valid_until": shorter, "reason": "同意核查使用"},
        id=request["id"],
    )
    assert status == 200 and approved["status"] == "approved", approved
    assert approved["decision_reason"] == "同意核查使用"

    status, grants = consumer("grants_list", resource=resource["id"], status="active")
    assert status == 200 and len(grants["results"]) == 1
    grant = grants["results"][0]
    assert grant["in_force"] and [item["id"] for item in grant["items"]] == asked_items[:1]
    assert grant["department"] == matrix.departments["cons"].pk

    status, notices = consumer("notifications_list", unread=True)
    assert status == 200 and any(n["kind"] == "request_decided" for n in notices["results"])
    status, marked = consumer("notifications_mark_all_read", {})
    assert status == 200 and marked["marked"] >= 1

    status, revoked = provider("grants_revoke", {"reason": "核查已完成"}, id=grant["id"])
    assert status == 200 and revoked["status"] == "revoked"
    status, grant = consumer("grants_retrieve", id=grant["id"])
    assert grant["status"] == "revoked" and not grant["in_force"]
