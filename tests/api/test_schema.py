"""The OpenAPI contract: valid, warning-free, complete, and served with offline viewers."""

from __future__ import annotations

import difflib
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from jsonschema import Draft202012Validator
from rest_framework.test import APIClient

from .sharing_matrix import TERMS

pytestmark = pytest.mark.django_db

ERROR_REF = "#/components/schemas/ErrorResponse"


@pytest.fixture
def schema() -> dict:
    response = APIClient().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return response.json()


def test_spectacular_validates_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yaml"))


COMMITTED = Path(settings.BASE_DIR) / "docs" / "openapi.yaml"
REFRESH = "make schema"
SHOWN_DIFF_LINES = 60


def test_committed_schema_is_the_generated_one(tmp_path):
    """docs/openapi.yaml is the contract integrators read: it must be what the code serves."""
    fresh = tmp_path / "openapi.yaml"
    call_command("spectacular", "--lang", "zh-hans", "--file", str(fresh))
    committed = COMMITTED.read_text(encoding="utf-8").splitlines(keepends=True)
    generated = fresh.read_text(encoding="utf-8").splitlines(keepends=True)
    if committed != generated:
        diff = list(
            difflib.unified_diff(committed, generated, "docs/openapi.yaml", "generated", n=2)
        )
        shown = "".join(diff[:SHOWN_DIFF_LINES])
        more = len(diff) - SHOWN_DIFF_LINES
        tail = f"\n… {more} more diff lines\n" if more > 0 else ""
        pytest.fail(
            f"docs/openapi.yaml differs from the schema the code generates. If the API change "
            f"is meant, refresh it with `{REFRESH}`, record the change in docs/api.md § 8 and "
            f"commit both.\n\n{shown}{tail}",
            pytrace=False,
        )


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


def _json_schema(node: Any) -> Any:
    """Return an OpenAPI 3.0 schema as JSON Schema, strict about the keys of objects."""
    if isinstance(node, list):
        return [_json_schema(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: _json_schema(v) for k, v in node.items() if k not in ("nullable", "example")}
    if "$ref" in out:
        out["$ref"] = out["$ref"].replace("#/components/schemas/", "#/$defs/")
    if out.get("type") == "object" and "properties" in out:
        out.setdefault("additionalProperties", False)  # an example may not invent fields
    if node.get("nullable"):
        out = {"anyOf": [out, {"type": "null"}]}
    return out


def _examples(schema: dict) -> list[tuple[str, str, str, Any, dict]]:
    found = []
    for _path, _method, operation in _operations(schema):
        for code, response in operation["responses"].items():
            for content in response.get("content", {}).values():
                for name, example in content.get("examples", {}).items():
                    found.append((operation["operationId"], code, name, example, content))
    return found


# The share-request flow and the resource reads show what they answer.
EXAMPLED = {
    "share_requests_create": "201",
    "share_requests_list": "200",
    "share_requests_retrieve": "200",
    "share_requests_submit": "200",
    "share_requests_withdraw": "200",
    "share_requests_approve": "200",
    "share_requests_reject": "200",
    "share_requests_request_changes": "200",
    "share_requests_escalate": "200",
    "share_requests_settle": "200",
    "grants_list": "200",
    "grants_retrieve": "200",
    "grants_revoke": "200",
    "resources_list": "200",
    "resources_retrieve": "200",
    "resources_versions": "200",
    "resources_activity": "200",
    "resources_rows_list": "200",
    "resources_rows_push": "200",
    "resources_verify": "200",
}


def test_the_flow_and_the_reads_have_examples(schema):
    have = {(op, code) for op, code, *_ in _examples(schema) if code < "400"}
    assert set(EXAMPLED.items()) <= have, set(EXAMPLED.items()) - have


def test_every_example_matches_its_schema(schema):
    """An example is the contract too: the fields it shows are exactly the schema's."""
    definitions = _json_schema(schema["components"]["schemas"])
    examples = _examples(schema)
    assert len(examples) >= len(EXAMPLED) + 41 * 5
    for operation_id, code, name, example, content in examples:
        body = {**_json_schema(content["schema"]), "$defs": definitions}
        errors = sorted(
            Draft202012Validator(body).iter_errors(example["value"]), key=lambda e: e.path
        )
        assert not errors, (operation_id, code, name, [e.message for e in errors[:3]])


def _declared(schema: dict, path: str, method: str) -> set[str]:
    return set(schema["paths"][f"/api/v1/{path}"][method]["responses"])


def test_the_answers_the_schema_now_declares_are_the_real_ones(schema, matrix, call):
    """406 and the 404 of an unknown format were answered before they were declared; a state
    conflict is a 409, declared on every write with 422 beside it."""
    refused = call("cons_staff_3", "get", "me/", HTTP_ACCEPT="text/csv")
    assert refused.status_code == 406 and refused.json()["error"]["code"] == "not_acceptable"
    assert "406" in _declared(schema, "me/", "get")
    unknown = call("cons_staff_3", "get", "me/?format=yaml")
    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "not_found"
    assert "404" in _declared(schema, "me/", "get")

    until = (timezone.localdate() + timedelta(days=30)).isoformat()
    body = {**TERMS, "valid_until": until, "resources": [matrix.resources["pub_cond_1"].pk]}
    created = call("cons_staff_3", "post", "share-requests/", body)
    assert created.status_code == 201 and isinstance(created.json(), list)
    pk = created.json()[0]["id"]
    assert call("prov_approver_4", "post", f"share-requests/{pk}/approve/", {}).status_code == 200
    again = call("prov_approver_4", "post", f"share-requests/{pk}/approve/", {})
    assert again.status_code == 409 and again.json()["error"]["code"] == "conflict"
    approve = _declared(schema, "share-requests/{id}/approve/", "post")
    assert {"400", "404", "409", "422"} <= approve
    for path, method, operation in _operations(schema):
        if method in ("post", "put", "patch"):
            assert {"404", "409", "422"} <= set(operation["responses"]), (method, path)


def test_page_size_is_declared_with_the_bounds_it_has(schema):
    """A schema-valid page_size (0 was one) must not be refused: the bounds are declared."""
    lists = 0
    for path, _method, operation in _operations(schema):
        for parameter in operation.get("parameters", []):
            if parameter["name"] == "page_size":
                lists += 1
                bounds = {k: parameter["schema"].get(k) for k in ("minimum", "maximum", "default")}
                assert bounds == {"minimum": 1, "maximum": 200, "default": 50}, path
    assert lists >= 8


def test_the_schema_reads_as_meant_by_a_client_generator(schema):
    """What the Python client's generator tripped on (docs/api.md § 8) stays fixed."""
    path_ids = id_filters = 0
    for path, method, operation in _operations(schema):
        for parameter in operation.get("parameters", []):
            where, name, types = parameter["in"], parameter["name"], parameter["schema"]
            # A generator names an enum type after its title (`ResourcesList状态`).
            assert "title" not in types, (path, method, name)
            # Only reads filter: a write's query parameters would be documented and ignored.
            assert method == "get" or where != "query", (path, method, name)
            if where == "path" and name == "id":
                path_ids += 1
                assert types == {"type": "integer", "minimum": 0, "maximum": 10**18 - 1}, path
            if where == "query" and name in ("resource", "department", "provider"):
                id_filters += 1
                assert types["type"] == "integer", (path, name)
    assert path_ids >= 30 and id_filters >= 5
    components = schema["components"]["schemas"]
    assert "Error" not in components and "ErrorResponse" in components
    shared = "Refuse a body naming a field"
    described = [name for name, body in components.items() if shared in body.get("description", "")]
    assert described == []


def test_write_bodies_take_no_other_field(schema):
    """The schema says what StrictFieldsMixin does: an extra field is invalid, not ignored.

    Without it a body with an extra field was valid by the contract and refused by the API.
    """
    bodies = {
        name: component
        for name, component in schema["components"]["schemas"].items()
        if name.endswith("Request") and name != "ShareRequest"
    }
    assert len(bodies) >= 20
    assert {
        name for name, c in bodies.items() if c.get("additionalProperties") is not False
    } == set()
    # Answers stay open: new fields may appear in them.
    assert "additionalProperties" not in schema["components"]["schemas"]["Resource"]


def test_lists_that_may_not_be_empty_say_so(schema):
    components = schema["components"]["schemas"]
    assert components["ResourceWriteRequest"]["properties"]["items"]["minItems"] == 1
    assert components["ShareRequestCreateRequest"]["properties"]["resources"]["minItems"] == 1
    assert components["NeedCreateRequest"]["properties"]["data_items"]["minItems"] == 1
    # Optional lists may be empty.
    assert "minItems" not in components["ShareRequestCreateRequest"]["properties"]["items"]


def test_creates_link_to_what_acts_on_what_they_made(schema):
    """The links chain create → read → act (kernel/api/links.py); each names a real operation."""
    operations = {op["operationId"]: op for _, _, op in _operations(schema)}

    def links(operation_id: str, status: str) -> dict[str, dict]:
        return operations[operation_id]["responses"][status]["links"]

    created = links("share_requests_create", "201")
    assert created["ShareRequestsRetrieve"] == {
        "operationId": "share_requests_retrieve",
        "parameters": {"path.id": "$response.body#/0/id"},
    }
    assert {"ShareRequestsApprove", "ShareRequestsWithdraw"} <= set(created)
    assert links("share_requests_approve", "200")["GrantsOfTheApproval"]["parameters"] == {
        "query.resource": "$response.body#/resource",
        "query.department": "$response.body#/requester_department",
    }
    assert links("grants_list", "200")["GrantsRevoke"]["parameters"] == {
        "path.id": "$response.body#/results/0/id"
    }
    assert links("needs_request", "201")["ShareRequestsRetrieve"]["parameters"] == {
        "path.id": "$response.body#/share_request"
    }
    assert {"CorrectionsAnswer"} <= set(links("corrections_create", "201"))
    assert {"ResourcesSubmit", "ResourcesPartialUpdate"} <= set(links("resources_create", "201"))
    for operation in operations.values():
        for response in operation["responses"].values():
            for link in response.get("links", {}).values():
                assert link["operationId"] in operations
    # Errors lead nowhere.
    assert not any(
        "links" in response
        for operation in operations.values()
        for status, response in operation["responses"].items()
        if status >= "400"
    )
