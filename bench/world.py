"""What the generator plans and remembers: row counts per scale, and the ids of what it made."""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from .bulk import BulkWriter

BASE_COUNTS = {
    "departments": 500,
    "users": 20_000,
    "resources": 100_000,
    "items_per_resource": 10,
    "grants": 200_000,
    "share_requests": 100_000,
    "audit_events": 500_000,
    "dataset_rows": 1_000_000,
}
# Small scales still need enough departments and users for every role and a spread of grants.
MINIMUM = {
    "departments": 10,
    "users": 80,
    "resources": 200,
    "grants": 100,
    "share_requests": 100,
    "audit_events": 500,
}

BENCH_MARK = "Bench department"  # Department.name_en prefix that marks generated departments
BENCH_USERNAME_PREFIX = "bench_"
BENCH_PASSWORD = "bench-pass-2026"  # noqa: S105 - documented benchmark password
# USCC organization-code sequences of bench departments start here (demo and tests use < 1e6).
USCC_SEQUENCE_BASE = 70_000_000
SEED_ACTION = "bench.seed"


class SeedRefused(Exception):
    """The database holds data the generator must not mix with or wipe."""


@dataclass
class Plan:
    """How many rows of each kind a scale asks for."""

    scale: float
    departments: int
    users: int
    resources: int
    items: int
    grants: int
    share_requests: int
    audit_events: int
    dataset_rows: int

    @classmethod
    def for_scale(cls, scale: float) -> Plan:
        def n(key: str) -> int:
            return max(round(BASE_COUNTS[key] * scale), MINIMUM.get(key, 0))

        resources = n("resources")
        return cls(
            scale=scale,
            departments=n("departments"),
            users=n("users"),
            resources=resources,
            items=resources * BASE_COUNTS["items_per_resource"],
            grants=n("grants"),
            share_requests=n("share_requests"),
            audit_events=n("audit_events"),
            dataset_rows=round(BASE_COUNTS["dataset_rows"] * scale),
        )


@dataclass
class World:
    """What earlier steps generated and later steps refer to (ids and attributes only)."""

    plan: Plan
    rng: random.Random
    writer: BulkWriter
    now: datetime
    # departments, by index
    dept_ids: list[int] = field(default_factory=list)
    dept_group_ids: list[int] = field(default_factory=list)
    dept_clearance: list[int] = field(default_factory=list)
    dept_region: list[str] = field(default_factory=list)
    dept_short: list[str] = field(default_factory=list)
    # users
    user_ids: list[int] = field(default_factory=list)
    user_dept: list[int] = field(default_factory=list)  # department index
    user_names: list[str] = field(default_factory=list)
    approver_of: dict[int, int] = field(default_factory=dict)  # dept index -> user index
    editor_of: dict[int, int] = field(default_factory=dict)  # dept index -> user index
    coordinators: list[int] = field(default_factory=list)  # user indexes
    systems_of: dict[int, list[int]] = field(default_factory=dict)  # dept index -> system ids
    # categories a resource may be filed under (目), with their codes
    leaf_ids: list[int] = field(default_factory=list)
    leaf_codes: list[str] = field(default_factory=list)
    leaf_sequence: dict[int, int] = field(default_factory=dict)
    # resources, by index
    res_ids: list[int] = field(default_factory=list)
    res_provider: list[int] = field(default_factory=list)  # dept index
    res_level: list[int] = field(default_factory=list)
    res_status: list[str] = field(default_factory=list)
    res_share: list[str] = field(default_factory=list)
    res_label: list[str] = field(default_factory=list)
    res_first_item: list[int] = field(default_factory=list)
    res_item_count: list[int] = field(default_factory=list)
    grant_ids: list[int] = field(default_factory=list)
    dataset_resource_id: int = 0
    counts: dict[str, int] = field(default_factory=dict)


# --- helpers --------------------------------------------------------------------------------


def weighted(rng: random.Random, choices: list[tuple[Any, int]], k: int) -> list[Any]:
    values = [c for c, _w in choices]
    return rng.choices(values, weights=[w for _c, w in choices], k=k)


def zipf_cumulative(n: int, offset: float) -> list[float]:
    """Return cumulative weights 1/(rank+offset): a few big departments, a long tail."""
    return list(itertools.accumulate(1.0 / (rank + offset) for rank in range(n)))


def days(rng: random.Random, low: int, high: int) -> timedelta:
    return timedelta(days=rng.randint(low, high), seconds=rng.randint(0, 86_399))
