"""The API contract is exact (issue #23): hostile bodies refused, nothing changed silently, and
the same resource set on the catalog page, in its export and from the API."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.settings import spectacular_settings
from rest_framework.test import APIClient

from accounts.models import User
from audit.models import AuditEvent
from catalog import excel, services
from catalog.models import Resource, ResourceVersion
from catalog.selectors.browse import CatalogFilters, resources_browse
from kernel.api.serializers import StrictFieldsMixin
from sharing.models import ShareRequest
from tests.catalog.maintenance_helpers import body, login

from .conftest import API, ids
from .sharing_matrix import TERMS

pytestmark = pytest.mark.django_db


def _error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    payload = response.json()
    assert set(payload) == {"error"} and set(payload["error"]) == {"code", "message", "fields"}
    assert payload["error"]["code"] == code, payload
    assert payload["error"]["message"]
    return payload["error"]


def _share_body(matrix, **fields) -> dict:
    until = (timezone.localdate() + timedelta(days=30)).isoformat()
    return {
        **TERMS,
        "valid_until": until,
        "resources": [matrix.resources["pub_cond_1"].pk],
        **fields,
    }


def _raw(keys, user_key: str, method: str, path: str, data: bytes, content_type: str):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {keys[user_key]}")
    return getattr(client, method)(API + path, data, content_type=content_type)


# --- 1. hostile bodies ----------------------------------------------------------------------


def test_a_body_above_the_size_limit_is_refused_before_parsing(matrix, keys, call, settings):
    settings.PORTAL_API_MAX_BODY_BYTES = 1000
    data = json.dumps(_share_body(matrix, scenario="场" * 400)).encode()
    assert len(data) > 1000
    response = _raw(keys, "cons_staff_3", "post", "share-requests/", data, "application/json")
    _error(response, 400, "body_too_large")
    assert not ShareRequest.objects.exists()
    # Under the limit the same request goes through.
    assert call("cons_staff_3", "post", "share-requests/", _share_body(matrix)).status_code == 201


def test_a_string_above_the_length_limit_is_refused(matrix, call, settings):
    settings.PORTAL_API_MAX_STRING_LENGTH = 50
    body = _share_body(matrix, scenario="场" * 51)
    _error(call("cons_staff_3", "post", "share-requests/", body), 400, "string_too_long")
    # Object keys count as strings too.
    body = {**_share_body(matrix), "k" * 51: 1}
    _error(call("cons_staff_3", "post", "share-requests/", body), 400, "string_too_long")
    assert not ShareRequest.objects.exists()


def test_an_array_above_the_length_limit_is_refused(matrix, call, settings):
    settings.PORTAL_API_MAX_ARRAY_LENGTH = 3
    body = _share_body(matrix, items=[1, 2, 3, 4])
    _error(call("cons_staff_3", "post", "share-requests/", body), 400, "array_too_long")
    assert not ShareRequest.objects.exists()


def test_the_body_limits_are_documented_settings():
    operations = (Path(settings.BASE_DIR) / "docs" / "operations.md").read_text()
    for name in (
        "PORTAL_API_MAX_BODY_BYTES",
        "PORTAL_API_MAX_STRING_LENGTH",
        "PORTAL_API_MAX_ARRAY_LENGTH",
    ):
        assert isinstance(getattr(settings, name), int) and getattr(settings, name) > 0
        assert f"`{name}`" in operations, name
    # A full data push batch still fits.
    assert settings.PORTAL_API_MAX_ARRAY_LENGTH >= settings.PORTAL_DATA_PUSH_MAX_ROWS


@pytest.mark.parametrize(
    ("method", "path", "content_type"),
    [
        ("post", "share-requests/", "application/x-www-form-urlencoded"),
        ("post", "share-requests/", "multipart/form-data; boundary=xyz"),
        ("patch", "resources/{pub}/", "application/x-www-form-urlencoded"),
        # The data endpoints take rows as JSON, not files: no endpoint takes a form in v1.
        ("post", "resources/{pub}/rows/", "multipart/form-data; boundary=xyz"),
        ("post", "resources/{pub}/verify/", "application/x-www-form-urlencoded"),
    ],
)
def test_form_and_multipart_bodies_are_415(matrix, keys, method, path, content_type):
    url = path.format(pub=matrix.resources["pub_unc_1"].pk)
    if content_type.startswith("multipart"):
        data = b'--xyz\r\nContent-Disposition: form-data; name="summary"\r\n\r\nx\r\n--xyz--\r\n'
    else:
        data = b"summary=x&reason=y"
    before = Resource.objects.get(pk=matrix.resources["pub_unc_1"].pk).summary
    response = _raw(keys, "prov_editor_4", method, url, data, content_type)
    _error(response, 415, "unsupported_media_type")
    assert Resource.objects.get(pk=matrix.resources["pub_unc_1"].pk).summary == before


# --- 2. no silent changes ---------------------------------------------------------------------


@pytest.mark.parametrize("field", ["resources", "items"])
def test_duplicate_ids_in_a_share_request_are_400_naming_the_field(matrix, call, field):
    resource = matrix.resources["pub_cond_1"]
    item = resource.items.order_by("pk").first()
    repeated = {"resources": [resource.pk, resource.pk], "items": [item.pk, item.pk]}
    body = _share_body(matrix, **{field: repeated[field]})
    error = _error(call("cons_staff_3", "post", "share-requests/", body), 400, "invalid")
    assert list(error["fields"]) == [field], error
    assert not ShareRequest.objects.exists()


def test_duplicate_ids_in_an_approval_are_400(matrix, call):
    created = call("cons_staff_3", "post", "share-requests/", _share_body(matrix))
    assert created.status_code == 201, created.json()
    request = created.json()[0]
    item = request["items"][0]
    path = f"share-requests/{request['id']}/approve/"
    error = _error(call("prov_approver_4", "post", path, {"items": [item, item]}), 400, "invalid")
    assert list(error["fields"]) == ["items"]
    assert ShareRequest.objects.get(pk=request["id"]).status == "submitted"


def test_unknown_fields_in_write_bodies_are_400_naming_them(matrix, call):
    resource = matrix.resources["pub_unc_1"]
    path = f"resources/{resource.pk}/"
    error = _error(call("prov_editor_4", "patch", path, {"sumary": "错别字"}), 400, "invalid")
    assert list(error["fields"]) == ["sumary"]
    # Read-only fields of the resource are not taken either, nor unknown fields of an item.
    error = _error(call("prov_editor_4", "patch", path, {"status": "retired"}), 400, "invalid")
    assert list(error["fields"]) == ["status"]
    item = {"name": "编号", "data_type": "C", "length": 18, "level": 1, "colour": "red"}
    error = _error(call("prov_editor_4", "patch", path, {"items": [item]}), 400, "invalid")
    assert list(error["fields"]) == ["items.0.colour"]
    body = _share_body(matrix, priority="high")
    error = _error(call("cons_staff_3", "post", "share-requests/", body), 400, "invalid")
    assert list(error["fields"]) == ["priority"]
    assert not ShareRequest.objects.exists()
    resource.refresh_from_db()
    assert resource.version == 1 and resource.status == "published"


def test_every_write_serializer_refuses_unknown_fields():
    generator = SchemaGenerator()
    generator._initialise_endpoints()
    checked = []
    for path, _regex, method, view in generator._get_paths_and_endpoints():
        if method not in ("POST", "PUT", "PATCH"):
            continue
        view.request = spectacular_settings.GET_MOCK_REQUEST(method, path, view, None)
        view.schema.path, view.schema.method = path, method
        serializer = view.schema.get_request_serializer()
        if serializer is None:  # an action without a body
            continue
        if isinstance(serializer, dict):
            # A body of named parameters (an interface call: the names are the interface's
            # inputs, refused by the service when unknown): a map whose every value is typed.
            body = serializer.get("application/json", serializer)
            assert body["type"] == "object", (method, path)
            assert isinstance(body["additionalProperties"], dict), (method, path)
            continue
        cls = serializer if isinstance(serializer, type) else type(serializer)
        assert issubclass(cls, StrictFieldsMixin), (method, path, cls.__name__)
        checked.append(cls)
    assert len(checked) >= 10


@pytest.mark.parametrize("value", ["nmae", "-secret", "name,level", "provider__name"])
def test_unknown_ordering_is_400_naming_the_parameter(matrix, call, value):
    response = call("cons_staff_4", "get", f"resources/?ordering={value}")
    error = _error(response, 400, "invalid")
    assert list(error["fields"]) == ["ordering"]


def test_known_orderings_still_apply(matrix, call):
    response = call("cons_staff_4", "get", "resources/?ordering=-name&page_size=200")
    names = [row["name"] for row in response.json()["results"]]
    assert names == sorted(names, reverse=True)


@pytest.mark.parametrize("value", ["-1", "0", "abc", "201", "1.5", "", "١٠"])
@pytest.mark.parametrize("path", ["resources/", "share-requests/", "categories/", "grants/"])
def test_invalid_page_size_is_400_naming_the_parameter(matrix, call, path, value):
    error = _error(call("cons_staff_4", "get", f"{path}?page_size={value}"), 400, "invalid")
    assert list(error["fields"]) == ["page_size"]


def test_page_size_within_range_is_obeyed(matrix, call):
    assert len(call("cons_staff_4", "get", "resources/?page_size=1").json()["results"]) == 1
    assert call("cons_staff_4", "get", "resources/?page_size=200").status_code == 200


def _update_events(resource: Resource) -> int:
    return AuditEvent.objects.filter(action="resource.update", object_id=str(resource.pk)).count()


def test_a_write_that_changes_nothing_leaves_no_version_and_no_event(matrix, call):
    resource = matrix.resources["pub_unc_1"]
    path = f"resources/{resource.pk}/"
    versions = ResourceVersion.objects.filter(resource=resource).count()
    events = _update_events(resource)
    current = call("prov_editor_4", "get", path).json()
    same = {"name": current["name"], "summary": current["summary"], "level": current["level"]}
    for unchanged in ({}, same):
        response = call("prov_editor_4", "patch", path, unchanged)
        assert response.status_code == 200, response.json()
        assert response.json()["version"] == current["version"]
    assert ResourceVersion.objects.filter(resource=resource).count() == versions
    assert _update_events(resource) == events
    # A real change still makes a version and an event.
    response = call("prov_editor_4", "patch", path, {"summary": "新的摘要"})
    assert response.json()["version"] == current["version"] + 1
    assert ResourceVersion.objects.filter(resource=resource).count() == versions + 1
    assert _update_events(resource) == events + 1


def test_the_service_skips_an_edit_that_changes_nothing(matrix):
    """The web edit form calls the same service with every field and item: same behaviour."""
    resource = Resource.objects.get(pk=matrix.resources["pub_cond_2"].pk)
    fields = {name: getattr(resource, name) for name in services.RESOURCE_FIELDS}
    items = [
        {f: getattr(i, f) for f in services.ITEM_FIELDS}
        for i in resource.items.order_by("position", "id")
    ]
    related = list(resource.related.all())
    versions = ResourceVersion.objects.filter(resource=resource).count()
    events = _update_events(resource)
    saved = services.resource_update(
        actor=None, resource=resource, items=items, related=related, change_note="无", **fields
    )
    assert saved.version == resource.version
    assert ResourceVersion.objects.filter(resource=resource).count() == versions
    assert _update_events(resource) == events
    items[0]["description"] = "补充说明"
    saved = services.resource_update(actor=None, resource=resource, items=items, **fields)
    assert saved.version == resource.version + 1
    assert _update_events(resource) == events + 1


# --- 4. the same answer everywhere ------------------------------------------------------------

NAME = excel.RESOURCE_COLUMNS.index(("name", "名称"))


def _exported_names(client: Client, params: dict) -> set[str]:
    response = client.get(reverse("catalog:resource_export"), {**params, "format": "csv"})
    assert response.status_code == 200
    text = body(response).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))[1:]
    return {row[NAME] for row in rows}


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"share_type": "conditional"},
        {"level": "2"},
        {"share_type": "unconditional", "level": "2"},
        {"provider": "prov"},
    ],
    ids=["all", "share_type", "level", "share_type+level", "provider"],
)
def test_page_export_and_api_list_the_same_resources(matrix, call, params):
    names = {r.pk: r.name for r in matrix.resources.values()}
    if "provider" in params:
        params = {**params, "provider": str(matrix.departments[params["provider"]].pk)}
    query = "&".join(f"{k}={v}" for k, v in params.items())
    disagreements = []
    for user_key, user in matrix.users.items():
        if not user.is_active:
            continue
        fresh = User.objects.get(pk=user.pk)
        page = {
            r.name for r in resources_browse(user=fresh, filters=CatalogFilters.from_params(params))
        }
        export = _exported_names(login(Client(), fresh), params)
        api_ids = ids(call(user_key, "get", f"resources/?page_size=200&{query}"))
        api = {names[pk] for pk in api_ids}
        if not page == export == api:
            disagreements.append(f"{user_key}: page {page} export {export} api {api}")
    assert disagreements == []
    # The coordinator's case of the issue: under review and retired resources are in all three.
    if not params:
        coordinator = User.objects.get(pk=matrix.users["coordinator_4"].pk)
        export = _exported_names(login(Client(), coordinator), {})
        assert matrix.resources["submitted_2"].name in export
        assert matrix.resources["retired_2"].name in export
