"""Examples of the catalog API's answers, shown in the schema (tests/api/test_schema.py checks
each against its response schema)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiExample

ITEMS: list[dict[str, Any]] = [
    {
        "id": 301,
        "name": "公民身份号码",
        "data_type": "C",
        "length": 18,
        "level": 3,
        "kind": "id_number",
        "is_key": True,
        "description": "",
        "code_list": None,
    },
    {
        "id": 302,
        "name": "姓名",
        "data_type": "C",
        "length": 50,
        "level": 3,
        "kind": "name",
        "is_key": False,
        "description": "",
        "code_list": None,
    },
    {
        "id": 303,
        "name": "户籍地址",
        "data_type": "C",
        "length": 200,
        "level": 2,
        "kind": "none",
        "is_key": False,
        "description": "省、市、区（县）、街道及门牌号",
        "code_list": None,
    },
    {
        "id": 304,
        "name": "性别",
        "data_type": "C",
        "length": 1,
        "level": 2,
        "kind": "none",
        "is_key": False,
        "description": "",
        "code_list": {"code": "GB/T 2261.1-2003", "name": "人的性别代码"},
    },
]

RESOURCE: dict[str, Any] = {
    "id": 912,
    "code": "101/000912",
    "name": "常住人口基础信息",
    "summary": "本市常住人口的身份、姓名和户籍地址信息。",
    "provider": 3,
    "provider_name": "A市公安局",
    "provider_code": "11340100003000013X",
    "category": 4,
    "category_code": "101001",
    "share_type": "conditional",
    "share_condition": "仅用于行政审批中的身份核验。",
    "share_method": "api",
    "format_class": "database",
    "format_type": "MySQL",
    "open_type": "not_open",
    "update_cycle": "daily",
    "level": 3,
    "catalog_scope": "departments",
    "catalog_scope_reason": "",
    "status": "published",
    "version": 2,
    "region_code": "340100",
    "source_system": 5,
    "published_at": "2026-03-02T10:15:00+08:00",
    "updated_at": "2026-03-02T10:15:00+08:00",
    "review_comment": "",
    "retired_reason": "",
    "valid_until": "2027-12-31",
    "expired": False,
    "item_count": len(ITEMS),
    # In the resource's entry each item also says what personal-data detection found: the
    # address is tagged "not personal" and confirmed so, with the editor's reason.
    "items": [
        {
            **item,
            "detected_kind": "address" if item["name"] == "户籍地址" else None,
            "not_personal_reason": "仅含到区县一级的地址" if item["name"] == "户籍地址" else "",
        }
        for item in ITEMS
    ],
}

RESOURCE_LIST_EXAMPLE = OpenApiExample(
    "A published resource",
    value={name: value for name, value in RESOURCE.items() if name != "items"},
    description="`item_count` counts the data items the detail lists; the list gives the items "
    "themselves only with `?expand=items`.",
    response_only=True,
    status_codes=[200],
)
RESOURCE_LIST_EXPANDED_EXAMPLE = OpenApiExample(
    "A published resource with its items",
    value=RESOURCE,
    description="With `?expand=items`, `items` lists every data item's definition, above the "
    "caller's clearance too, exactly as the detail does.",
    response_only=True,
    status_codes=[200],
)
RESOURCE_EXAMPLE = OpenApiExample(
    "A published resource",
    # The detail also names the resource's published live interfaces (share method 接口).
    value={
        **RESOURCE,
        "interfaces": [
            {
                "id": 7,
                "name": "person_lookup",
                "description": "按编号查询人口基本信息",
                "method": "GET",
                "call_url": "/api/v1/resources/101001/000123/interfaces/person_lookup/call/",
            }
        ],
    },
    description="`items` lists every data item's definition, above the caller's clearance too.",
    response_only=True,
    status_codes=[200],
)

# A list view shows its example as the one element of the list it answers.
VERSIONS_EXAMPLE = OpenApiExample(
    "A published version",
    value={
        "number": 2,
        "level": 3,
        "change_note": "增加户籍地址",
        "created_at": "2026-03-02T10:15:00+08:00",
        "changed_fields": ["summary"],
        "items_added": ["户籍地址"],
        "items_removed": [],
        "items_changed": [],
    },
    response_only=True,
    status_codes=[200],
)

ACTIVITY_EXAMPLE = OpenApiExample(
    "A change of the entry, seen by another department",
    value={
        "id": 1842,
        "at": "2026-03-02T10:15:00+08:00",
        "action": "resource.update",
        "summary": "目录信息已变更",
        "lines": ["增加户籍地址"],
        "department": "市公安局",
        "actor": None,
        "version": 2,
        "changed_fields": ["级别"],
        "items_added": ["户籍地址"],
        "items_removed": [],
        "items_changed": [],
    },
    response_only=True,
    status_codes=[200],
)
