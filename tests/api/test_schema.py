"""The OpenAPI contract: valid, warning-free, complete, and served with offline viewers."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

ERROR_REF = "#/components/schemas/Error"


@pytest.fixture
def schema() -> dict:
    response = APIClient().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return response.json()


def test_spectacular_validates_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yaml"))


def _operations(schema: dict) -> list[tuple[str, str, dict]]:
    return [
        (path, method, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
    ]


def _error_schema(schema: dict, response: dict) -> dict:
    """Return the component an error response refers to; errors are JSON and only JSON."""
    assert list(response["content"]) == ["application/json"]
    ref = response["content"]["application/json"]["schema"]["$ref"]
    return schema["components"]["schemas"][ref.rsplit("/", 1)[1]]


def test_every_operation_documents_its_errors(schema):
    """A new endpoint cannot forget its errors: 401, 403, 404, 406 and 429 everywhere, 400 and
    415 on writes, 400 on reads taking query parameters, all in the one error shape."""
    operations = _operations(schema)
    assert len(operations) >= 41
    for path, method, operation in operations:
        responses = operation["responses"]
        expected = {"401", "403", "404", "406", "429"}
        if method in ("post", "put", "patch"):
            expected |= {"400", "415"}
        if any(p["in"] == "query" for p in operation.get("parameters", [])):
            expected.add("400")
        assert expected <= set(responses), (path, method, expected - set(responses))
        for code, response in responses.items():
            if code >= "400":
                body = _error_schema(schema, response)
                # The one shape, or an operation's extension of it (a refused data push).
                assert "error" in body["properties"], (path, method, code)
                assert response["description"], (path, method, code)
        for code in ("401", "403", "404", "406", "429"):
            ref = responses[code]["content"]["application/json"]["schema"]["$ref"]
            assert ref == ERROR_REF, (path, method, code)
        assert "Retry-After" in responses["429"]["headers"]
        assert operation.get("security"), (path, method)


def test_error_examples_are_in_the_error_shape(schema):
    for path, method, operation in _operations(schema):
        for code, response in operation["responses"].items():
            if code < "400":
                continue
            content = response["content"]["application/json"]
            if content["schema"]["$ref"] != ERROR_REF:
                continue  # an operation's own error body (a refused data push)
            examples = content["examples"]
            assert examples, (path, method, code)
            for example in examples.values():
                error = example["value"]["error"]
                assert set(error) == {"code", "message", "fields"}, (path, method, code)


def test_writes_answering_lists_are_arrays_not_pages(schema):
    """POST /share-requests/ answers one request per provider as a plain JSON array."""
    created = schema["paths"]["/api/v1/share-requests/"]["post"]["responses"]["201"]
    body = created["content"]["application/json"]["schema"]
    assert body == {"type": "array", "items": {"$ref": "#/components/schemas/ShareRequest"}}
    listed = schema["paths"]["/api/v1/share-requests/"]["get"]["responses"]["200"]
    page = listed["content"]["application/json"]["schema"]["$ref"]
    assert page == "#/components/schemas/PaginatedShareRequestList"
    for path, method, operation in _operations(schema):
        if method != "get":
            for code, response in operation["responses"].items():
                content = response.get("content", {}).get("application/json", {})
                ref = content.get("schema", {}).get("$ref", "")
                assert "Paginated" not in ref, (path, method, code)


def test_the_contract_names_are_the_promised_ones(schema):
    components = schema["components"]["schemas"]
    resource = set(components["Resource"]["properties"])
    assert {
        "id",
        "code",
        "name",
        "summary",
        "provider",
        "provider_name",
        "category",
        "share_type",
        "level",
        "status",
        "items",
    } <= resource
    assert {"name", "data_type", "length", "level"} <= set(components["DataItem"]["properties"])
    grant = set(components["Grant"]["properties"])
    assert {"id", "resource", "department", "items", "valid_from", "valid_until", "status"} <= grant
    filters = {p["name"] for p in schema["paths"]["/api/v1/resources/"]["get"]["parameters"]}
    assert {
        "search",
        "share_type",
        "level",
        "provider",
        "category",
        "ordering",
        "cursor",
    } <= filters


@pytest.mark.parametrize("path", ["/api/v1/docs/", "/api/v1/redoc/"])
def test_viewers_use_local_files_only(path):
    response = APIClient().get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/" in html
    assert "http://" not in html and "https://" not in html
    assert "<style" not in html
    assert "<script>" not in html  # scripts are files only


def test_swagger_script_and_sidecar_files_are_served():
    script = APIClient().get("/api/v1/docs/?script=")
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()
    from django.contrib.staticfiles import finders

    assert finders.find("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")
    assert finders.find("drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js")
