"""Every error answers in one shape: {"error": {"code", "message", "fields"}}."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from catalog.api import views as catalog_views

pytestmark = pytest.mark.django_db


def assert_shape(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "fields"}
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    return body["error"]


def test_serializer_errors_name_their_fields_nested_ones_dotted(matrix, call):
    body = {"name": "x" * 51, "items": [{"name": "编号", "data_type": "Q", "length": 0}]}
    error = assert_shape(call("prov_editor_4", "post", "resources/", body), 400, "invalid")
    assert "name" in error["fields"]
    assert "items.0.data_type" in error["fields"]
    assert "items.0.length" in error["fields"]


def test_service_validation_errors_keep_their_message_and_change_nothing(matrix, call):
    draft = matrix.resources["draft_2"]
    error = assert_shape(
        call(
            "prov_editor_4",
            "post",
            f"resources/{draft.pk}/retire/",
            {"reason": "停用"},
            HTTP_ACCEPT_LANGUAGE="en",
        ),
        409,
        "conflict",
    )
    assert error["message"] == "This resource is “Draft”; it cannot become “Retired”."
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_service_field_errors_map_to_fields(matrix, call):
    body = {
        "category": matrix.resources["pub_unc_1"].category_id,
        "name": "缺少条件的资源",
        "summary": "摘要",
        "format_class": "database",
        "share_type": "conditional",
        "share_method": "api",
        "update_cycle": "daily",
        "level": 1,
        "items": [{"name": "编号", "data_type": "C", "length": 18, "level": 2}],
    }
    error = assert_shape(call("prov_editor_4", "post", "resources/", body), 422, "unprocessable")
    assert "share_condition" in error["fields"]


def test_state_secrets_are_refused_with_a_general_message(matrix, call):
    body = {
        "category": matrix.resources["pub_unc_1"].category_id,
        "name": "涉密资源",
        "summary": "摘要",
        "format_class": "database",
        "share_type": "unconditional",
        "share_method": "api",
        "update_cycle": "daily",
        "level": 1,
        "state_secret": True,
        "items": [{"name": "编号", "data_type": "C", "length": 18, "level": 1}],
    }
    error = assert_shape(call("prov_editor_4", "post", "resources/", body), 422, "unprocessable")
    assert "涉密" in error["message"]


def test_authentication_permission_and_not_found(matrix, call):
    assert_shape(APIClient().get("/api/v1/resources/"), 401, "not_authenticated")
    assert_shape(call("prov_staff_1", "post", "resources/", {}), 403, "permission_denied")
    hidden = matrix.resources["other_provider_3"]  # limited to another department
    error = assert_shape(call("prov_staff_1", "get", f"resources/{hidden.pk}/"), 404, "not_found")
    missing = assert_shape(call("prov_staff_1", "get", "resources/999999/"), 404, "not_found")
    assert error == missing  # hidden and missing are indistinguishable
    assert_shape(call("prov_staff_1", "get", "no-such-endpoint/"), 404, "not_found")
    assert_shape(call("prov_staff_1", "get", "resources/abc/"), 404, "not_found")
    assert_shape(call("prov_staff_1", "get", "resources/?cursor=garbage"), 404, "not_found")


def test_bad_filters_method_and_media_type(matrix, call):
    error = assert_shape(call("prov_staff_1", "get", "resources/?level=9"), 400, "invalid")
    assert "level" in error["fields"]
    assert_shape(call("prov_staff_1", "delete", "resources/"), 405, "method_not_allowed")


def test_malformed_json_and_unknown_media_types(matrix, keys):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {keys['prov_editor_4']}")
    response = client.post("/api/v1/resources/", "{not json", content_type="application/json")
    assert_shape(response, 400, "parse_error")
    response = client.post("/api/v1/resources/", "<x/>", content_type="application/xml")
    assert_shape(response, 415, "unsupported_media_type")


def test_an_unexpected_failure_is_a_logged_json_500(matrix, call, monkeypatch, caplog):
    def explode(self, request, *args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(catalog_views.ResourceViewSet, "list", explode)
    error = assert_shape(call("prov_staff_1", "get", "resources/"), 500, "server_error")
    assert "boom" not in error["message"]
    assert any("Unhandled API error" in r.message for r in caplog.records)


def test_messages_follow_the_callers_language(db):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token gdp_unknown")
    assert client.get("/api/v1/me/").json()["error"]["message"] == "接口令牌无效。"
    english = client.get("/api/v1/me/", HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["error"]["message"] == "The API token is not valid."


@pytest.mark.parametrize("depth", [1_000, 100_000])
def test_a_body_nested_too_deeply_is_a_400_and_changes_nothing(matrix, keys, depth):
    from sharing.models import ShareRequest

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {keys['cons_staff_3']}")
    body = "[" * depth + "]" * depth
    response = client.post("/api/v1/share-requests/", data=body, content_type="application/json")
    assert_shape(response, 400, "parse_error")
    assert not ShareRequest.objects.exists()
