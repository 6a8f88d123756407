"""Examples of the conflicts API's answers, shown in the schema (tests/api/test_schema.py checks
each against its response schema)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample

LINK = OpenApiExample(
    "A link with conflicts",
    value={
        "id": 12,
        "side": "right",
        "authoritative": False,
        "own": {
            "resource": 418,
            "resource_name": "婚姻登记信息",
            "key": "公民身份号码",
            "item": "姓名",
        },
        "other": {"department": "市公安局", "resource_name": "人口基础信息", "item": "姓名"},
        "last_comparison": {
            "id": 97,
            "finished_at": "2026-03-10T02:14:05+08:00",
            "matched": 120000,
            "agreements": 118500,
            "conflicts": 300,
            "gaps": 1200,
            "conflict_rate": 0.25,
        },
    },
    response_only=True,
)

ROWS = OpenApiExample(
    "Conflicts of a link",
    value={
        "link": 12,
        "comparison": 97,
        "own_values_shown": True,
        "other_values_shown": True,
        "results": [
            {"index": 0, "key": "340102********0017", "own_value": "居民四", "other_value": "居民4"}
        ],
    },
    response_only=True,
)
