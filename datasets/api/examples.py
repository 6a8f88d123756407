"""Examples of the data API's answers, shown in the schema (tests/api/test_schema.py checks
each against its response schema)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample

ROWS = OpenApiExample(
    "A page of rows, personal data masked",
    value={
        "version": 3,
        "columns": ["公民身份号码", "姓名"],
        "results": [
            {"公民身份号码": "340102********0012", "姓名": "张*"},
            {"公民身份号码": "340102********0035", "姓名": "李*"},
        ],
        "next_cursor": "eyJrIjoiMzQwMTAyMTk5MDAxMDEwMDM1In0",
        "next": "https://portal.example.gov.cn/api/v1/resources/912/rows/"
        "?after=eyJrIjoiMzQwMTAyMTk5MDAxMDEwMDM1In0",
    },
    response_only=True,
    status_codes=[200],
    media_type="application/json",
)

PUSHED = OpenApiExample(
    "An upsert stored",
    value={
        "batch_id": "2026-03-18-nightly",
        "mode": "upsert",
        "version": 4,
        "rows": 2,
        "inserted": 1,
        "updated": 1,
        "row_count": 18342,
        "replayed": False,
    },
    response_only=True,
    status_codes=[200],
)

VERIFIED = OpenApiExample(
    "The record exists; one value differs",
    value={"exists": True, "matches": {"姓名": True, "户籍地址": False}},
    response_only=True,
    status_codes=[200],
)
