"""What the schema allows the server takes, and what it refuses the server refuses.

Each case is one that schemathesis's positive_data_acceptance / negative_data_rejection found
where the two disagreed: a filter's bounds, an id filter naming no object, a boolean filter, a
data item's length, a region code, a rows key filter.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
import yaml

from accounts.validators import _region_codes, region_code_pattern, region_name
from catalog.api.serializers import MAX_ITEM_LENGTH
from datasets.api.serializers import KEY_FILTER_PATTERN, KeyFilterField
from kernel.api.serializers import MAX_ID

pytestmark = pytest.mark.django_db
SCHEMA = Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml"


@cache
def schema() -> dict:
    return yaml.safe_load(SCHEMA.read_text())


def parameter(path: str, name: str) -> dict:
    operation = schema()["paths"][path]["get"]
    return next(p["schema"] for p in operation["parameters"] if p["name"] == name)


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/api/v1/categories/", "parent"),
        ("/api/v1/departments/", "parent"),
        ("/api/v1/systems/", "department"),
        ("/api/v1/resources/", "provider"),
        ("/api/v1/resources/", "category"),
        ("/api/v1/grants/", "resource"),
        ("/api/v1/share-requests/", "resource"),
        ("/api/v1/corrections/", "resource"),
    ],
)
def test_an_id_filter_takes_every_id_its_schema_allows_and_no_other(matrix, call, path, name):
    assert parameter(path, name) == {
        "type": "integer",
        "minimum": 1,
        "maximum": MAX_ID,
        **(
            {"description": parameter(path, name)["description"]}
            if "description" in parameter(path, name)
            else {}
        ),
    }
    url = path.removeprefix("/api/v1/")
    # No such object: an empty page, as for one the caller may not see (never a 400 for one
    # and a 200 for the other).
    for pk in (MAX_ID, 999_999):
        response = call("cons_staff_3", "get", f"{url}?{name}={pk}")
        assert response.status_code == 200, response.content
        assert response.json()["results"] == []
    for pk in (0, MAX_ID + 1):
        response = call("cons_staff_3", "get", f"{url}?{name}={pk}")
        assert response.status_code == 400, response.content
        assert name in response.json()["error"]["fields"]


@pytest.mark.parametrize("value", ["abc", "0", "1", "yes"])
def test_the_unread_filter_refuses_what_is_not_a_boolean(matrix, call, value):
    response = call("cons_staff_3", "get", f"notifications/?unread={value}")
    assert response.status_code == 400, response.content
    assert "unread" in response.json()["error"]["fields"]


def test_the_unread_filter_takes_true_and_false(matrix, call):
    for value in ("true", "false", "True"):
        assert call("cons_staff_3", "get", f"notifications/?unread={value}").status_code == 200


def _resource_body(matrix, **changes) -> dict:
    from catalog.models import Category

    body = {
        "name": "企业登记信息",
        "summary": "企业登记信息",
        "category": Category.objects.filter(depth__gte=Category.Depth.ITEM).first().pk,
        "share_type": "unconditional",
        "share_method": "api",
        "format_class": "database",
        "update_cycle": "daily",
        "level": 1,
        "items": [{"name": "企业名称", "data_type": "C", "length": 100}],
    }
    return {**body, **changes}


def test_an_items_length_has_the_bounds_the_schema_states(matrix, call):
    length = schema()["components"]["schemas"]["DataItemWriteRequest"]["properties"]["length"]
    assert (length["minimum"], length["maximum"]) == (1, MAX_ITEM_LENGTH)
    items = [{"name": "企业名称", "data_type": "C", "length": MAX_ITEM_LENGTH + 1}]
    response = call("prov_editor_4", "post", "resources/", _resource_body(matrix, items=items))
    assert response.status_code == 400, response.content
    assert "items.0.length" in response.json()["error"]["fields"]
    items = [{"name": "企业名称", "data_type": "C", "length": MAX_ITEM_LENGTH}]
    response = call("prov_editor_4", "post", "resources/", _resource_body(matrix, items=items))
    assert response.status_code == 201, response.content


def test_the_region_code_pattern_is_exactly_the_codes_the_validator_takes():
    pattern = re.compile(region_code_pattern())
    codes = _region_codes()
    assert len(codes) > 3000
    for code in codes:
        assert pattern.match(code), code
        # Its neighbours: taken by the pattern exactly when the validator takes them.
        for near in (int(code) - 1, int(code) + 1):
            text = f"{near:06d}"
            assert bool(pattern.match(text)) == (region_name(text) is not None), text
    for text in ("000000", "999999", "34010", "3401000", "34010a", ""):
        assert not pattern.match(text), text
    written = schema()["components"]["schemas"]["ResourceWriteRequest"]["properties"]
    assert written["region_code"]["oneOf"][0]["pattern"] == region_code_pattern()


def test_a_region_code_the_schema_allows_is_taken_and_one_it_refuses_is_not(matrix, call):
    response = call(
        "prov_editor_4", "post", "resources/", _resource_body(matrix, region_code="110101")
    )
    assert response.status_code == 201, response.content
    assert response.json()["region_code"] == "110101"
    response = call(
        "prov_editor_4", "post", "resources/", _resource_body(matrix, region_code="119999")
    )
    assert response.status_code == 400, response.content
    assert "region_code" in response.json()["error"]["fields"]


@pytest.mark.parametrize(
    ("text", "taken"),
    [
        ("编号:A1", True),
        ("编号:", True),
        ("编号", False),
        (":A1", False),
        ("  :A1", False),
        ("编\x01号:A1", False),
    ],
)
def test_the_key_filter_pattern_agrees_with_the_field(text, taken):
    from rest_framework.exceptions import ValidationError

    assert bool(re.match(KEY_FILTER_PATTERN, text)) is taken
    try:
        KeyFilterField(max_length=500).run_validation(text)
    except ValidationError:
        assert not taken
    else:
        assert taken


@pytest.mark.parametrize(
    ("value", "taken"),
    [
        ("", True),
        ("name", True),
        ("-updated_at,id", True),
        (" -name , id ", True),
        ("consumer", False),
        ("name,", False),
        ("- name", False),
        ("  ", False),
    ],
)
def test_ordering_takes_exactly_what_its_pattern_allows(matrix, call, value, taken):
    pattern = parameter("/api/v1/resources/", "ordering")["pattern"]
    assert bool(re.match(pattern, value)) is taken
    response = call("cons_staff_3", "get", "resources/", {"ordering": value})
    assert response.status_code == (200 if taken else 400), response.content


@pytest.mark.parametrize("query", ["", "?format=csv", "?format=xlsx"])
def test_a_method_the_rows_url_does_not_take_is_a_405_whatever_the_format(matrix, call, query):
    resource = matrix.resources["pub_unc_1"]
    response = call("prov_editor_4", "delete", f"resources/{resource.pk}/rows/{query}")
    assert response.status_code == 405, response.content
    assert "GET" in response["Allow"] and "DELETE" not in response["Allow"]
    assert response.json()["error"]["code"] == "method_not_allowed"
