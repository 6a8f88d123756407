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


def test_every_operation_documents_its_errors(schema):
    operations = [
        (path, method, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
    ]
    assert len(operations) >= 19
    for path, method, operation in operations:
        responses = operation["responses"]
        for code in ("401", "403", "429"):
            ref = responses[code]["content"]["application/json"]["schema"]["$ref"]
            assert ref == ERROR_REF, (path, method, code)
        if "{id}" in path:
            assert "404" in responses, (path, method)
        if method in ("post", "put", "patch"):
            assert "400" in responses, (path, method)
        assert "Retry-After" in responses["429"]["headers"]
        assert operation.get("security"), (path, method)


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
