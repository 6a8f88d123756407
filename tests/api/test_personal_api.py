"""Personal-data detection through the API: flagged items are shown, hold up submission, and are
confirmed with a reason by the resource's editors only."""

from __future__ import annotations

import pytest

from audit.models import AuditEvent
from catalog.models import Category, PersonalDataConfirmation

pytestmark = pytest.mark.django_db


def body() -> dict:
    return {
        "category": Category.objects.get(code="102").pk,
        "name": "从业人员信息",
        "summary": "从业人员的基本信息",
        "format_class": "database",
        "format_type": "PostgreSQL",
        "share_type": "conditional",
        "share_condition": "用于行政审批",
        "share_method": "api",
        "update_cycle": "daily",
        "level": 3,
        "items": [
            {"name": "编号", "data_type": "C", "length": 10, "level": 1, "is_key": True},
            {"name": "公民身份号码", "data_type": "C", "length": 18, "level": 3, "kind": "none"},
            {"name": "手机号码", "data_type": "C", "length": 11, "level": 3, "kind": "mobile"},
        ],
    }


def test_flagged_item_is_shown_refused_then_confirmed(matrix, call):
    created = call("prov_editor_4", "post", "resources/", body())
    assert created.status_code == 201, created.content
    resource = created.json()
    flags = {i["name"]: (i["detected_kind"], i["not_personal_reason"]) for i in resource["items"]}
    assert flags == {"编号": (None, ""), "公民身份号码": ("id_number", ""), "手机号码": (None, "")}
    path = f"resources/{resource['id']}/"

    refused = call("prov_editor_4", "post", path + "submit/")
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "unprocessable"
    assert "公民身份号码" in refused.json()["error"]["message"]

    item = next(i["id"] for i in resource["items"] if i["name"] == "公民身份号码")
    other = next(i["id"] for i in resource["items"] if i["name"] == "编号")
    confirm = path + "confirm-not-personal/"
    # Not the provider's editor: refused; a missing reason: 400; an item the resource does not
    # have: 404 naming the field; an item not flagged: 409. None of them leaves a confirmation.
    assert call("cons_staff_4", "post", confirm, {"item": item, "reason": "x"}).status_code in (
        403,
        404,
    )
    assert call("prov_editor_4", "post", confirm, {"item": item, "reason": ""}).status_code == 400
    missing = call("prov_editor_4", "post", confirm, {"item": 0, "reason": "x"})
    assert missing.status_code == 404 and list(missing.json()["error"]["fields"]) == ["item"]
    assert call("prov_editor_4", "post", confirm, {"item": other, "reason": "x"}).status_code == 409
    assert not PersonalDataConfirmation.objects.exists()

    done = call("prov_editor_4", "post", confirm, {"item": item, "reason": "证件类别代码"})
    assert done.status_code == 200, done.content
    row = next(i for i in done.json()["items"] if i["id"] == item)
    assert (row["detected_kind"], row["not_personal_reason"]) == ("id_number", "证件类别代码")
    assert AuditEvent.objects.filter(
        action="item.personal_confirm", object_id=str(resource["id"])
    ).exists()

    submitted = call("prov_editor_4", "post", path + "submit/")
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
