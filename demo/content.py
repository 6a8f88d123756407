"""Demo content for A市: districts, departments, categories, systems, resources and grants.

The content is data, in ``data/a_city.json``, read once here and consumed by the ``load_demo``
management command; nothing here touches Django. Keys are English; names and texts are the
Chinese content users see.

Conventions kept throughout (asserted by ``check()``, which tests/catalog/test_demo.py runs;
``python -m demo.content`` prints the distribution):

- A resource's level is at least the level of each of its data items, and at most the clearance
  of its provider department (the provider's own users can read what it publishes).
- Personal items (kind ``id_number`` / ``mobile`` / ``name``) are level 3 or 4, so level-1/2
  resources never contain them.
- Shared item names (公民身份号码, 姓名, 联系电话, 统一社会信用代码, 企业名称) always carry
  the same data type and length wherever they appear, so the duplicate-collection report can
  match them.
- Grants exist only on published, conditionally shared resources, for a consumer whose clearance
  covers the resource level.
- The order of the city departments fixes the 类-3 项 codes (301 = ga, 302 = mz, ... 320 = ty);
  NATIONAL_ITEMS are the national 项 (类 1 base, 类 2 theme).

Data item tuples are ``(name, data_type, length, level, kind, is_key)``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DATA_FILE = Path(__file__).resolve().parent / "data" / "a_city.json"

_data: dict[str, Any] = json.loads(DATA_FILE.read_text(encoding="utf-8"))

CITY_REGION: str = _data["CITY_REGION"]
DISTRICTS: list[dict[str, Any]] = _data["DISTRICTS"]
DEPARTMENTS: list[dict[str, Any]] = _data["DEPARTMENTS"]
NATIONAL_ITEMS: dict[str, str] = _data["NATIONAL_ITEMS"]
CATEGORIES: list[dict[str, Any]] = _data["CATEGORIES"]
SYSTEMS: list[dict[str, Any]] = _data["SYSTEMS"]
UNCONDITIONAL: str = _data["UNCONDITIONAL"]
RESOURCES: list[dict[str, Any]] = _data["RESOURCES"]
GRANTS: list[dict[str, Any]] = _data["GRANTS"]

# JSON has no tuples: data items come back as the tuples the loader and check() unpack.
for _resource in RESOURCES:
    _resource["items"] = [tuple(item) for item in _resource["items"]]


def check() -> str:
    """Assert the invariants the loader relies on; return the distribution as text."""
    from collections import Counter

    district_keys = {d["key"] for d in DISTRICTS}
    assert len(district_keys) == len(DISTRICTS) == 2
    for d in DISTRICTS:
        assert len(d["region_code"]) == 6 and d["region_code"][:4] == CITY_REGION[:4], d

    depts = {d["key"]: d for d in DEPARTMENTS}
    assert len(depts) == len(DEPARTMENTS), "duplicate department key"
    assert len({d["name"] for d in DEPARTMENTS}) == len(DEPARTMENTS), "duplicate department name"
    seqs = [d["org_seq"] for d in DEPARTMENTS]
    assert len(set(seqs)) == len(seqs) and all(1 <= s <= 999 for s in seqs), "org_seq"
    city = [d for d in DEPARTMENTS if d["district"] is None]
    assert 18 <= len(city) <= 22, len(city)
    required = {
        "ga": "市公安局",
        "mz": "市民政局",
        "rs": "市人力资源和社会保障局",
        "sj": "市市场监督管理局",
        "wj": "市卫生健康委员会",
        "zr": "市自然资源局",
        "jy": "市教育局",
        "yj": "市应急管理局",
        "sw": "市税务局",
        "tj": "市统计局",
        "sjj": "市政务服务数据管理局",
    }
    for key, name in required.items():
        assert depts[key]["name"] == name and depts[key]["district"] is None, key
    assert [d["key"] for d in DEPARTMENTS if d["vertical"]] == ["sw"]
    for d in DEPARTMENTS:
        assert 1 <= d["clearance"] <= 4, d["key"]
        assert len(d["name"]) <= 50 and d["short_name"] and d["name_en"], d["key"]
        if d["district"] is None:
            assert d["parent"] is None, d["key"]
        else:
            assert d["district"] in district_keys, d["key"]
            assert d["key"].startswith(d["district"] + "_"), d["key"]
            assert d["parent"] in depts and depts[d["parent"]]["district"] is None, d["key"]
            assert d["clearance"] <= 3, d["key"]
            assert d["clearance"] <= depts[d["parent"]]["clearance"], d["key"]
    for district in district_keys:
        n = sum(1 for d in DEPARTMENTS if d["district"] == district)
        assert 3 <= n <= 4, (district, n)
    assert sum(1 for d in city if d["clearance"] >= 3) >= len(city) - 1

    # Category tree: national 项 + one 类-3 项 per city department, in DEPARTMENTS order.
    items_3 = {f"3{i:02d}": d["key"] for i, d in enumerate(city, start=1)}
    parents = set(NATIONAL_ITEMS) | set(items_3)
    categories = {c["code"]: c for c in CATEGORIES}
    assert len(categories) == len(CATEGORIES), "duplicate category code"
    for c in CATEGORIES:
        assert len(c["code"]) == 6 and c["code"].isdigit(), c
        assert c["parent"] in parents and c["code"][:3] == c["parent"], c
        assert c["name"] and len(c["name"]) <= 50, c
    siblings = Counter((c["parent"], c["name"]) for c in CATEGORIES)
    assert max(siblings.values()) == 1, "duplicate category name under one parent"

    systems = {s["key"]: s for s in SYSTEMS}
    assert len(systems) == len(SYSTEMS), "duplicate system key"
    assert len({s["registration_code"] for s in SYSTEMS}) == len(SYSTEMS), (
        "duplicate registration code"
    )
    for s in SYSTEMS:
        assert s["department"] in depts and s["status"] in {"active", "retired"}, s["key"]
        assert s["name"] and s["purpose"] and len(s["name"]) <= 50, s["key"]
    assert 2 <= sum(1 for s in SYSTEMS if s["status"] == "retired") <= 3
    per_dept_systems = Counter(s["department"] for s in SYSTEMS)
    assert max(per_dept_systems.values()) <= 3

    # Resources.
    names = [r["name"] for r in RESOURCES]
    assert len(set(names)) == len(names), [n for n, k in Counter(names).items() if k > 1]
    by_name = {r["name"]: r for r in RESOURCES}
    enums = {
        "format_class": {
            "file",
            "sheet",
            "database",
            "image",
            "media",
            "selfdesc",
            "service",
            "other",
        },
        "share_type": {"unconditional", "conditional", "none"},
        "share_method": {"api", "file", "database", "email", "media"},
        "open_type": {"unconditional", "conditional", "not_open"},
        "update_cycle": {
            "realtime",
            "daily",
            "weekly",
            "dekad",
            "monthly",
            "quarterly",
            "semiannual",
            "yearly",
            "irregular",
        },
        "status": {"published", "draft", "submitted"},
    }
    data_types = set("CNYDTLMGBIF")
    kinds = {"none", "id_number", "mobile", "name", "uscc", "address", "bank_card"}
    canonical: dict[str, Any] = {}  # item name -> (data_type, length, kind) for the shared items
    shared_items = {"公民身份号码", "统一社会信用代码", "姓名", "联系电话", "企业名称"}
    for r in RESOURCES:
        n = r["name"]
        assert 0 < len(n) <= 50, n
        assert r["provider"] in depts, n
        assert r["category"] in categories, n
        assert 0 < len(r["summary"]) <= 256, n
        assert r["format_type"], n
        for field, allowed in enums.items():
            assert r[field] in allowed, (n, field, r[field])
        assert 1 <= r["level"] <= 4, n
        assert r["level"] <= depts[r["provider"]]["clearance"], (n, "above provider clearance")
        cond = r["share_condition"].strip()
        if r["share_type"] == "unconditional":
            assert cond == "无条件", n
        else:
            assert cond and cond != "无条件", n
        if r["share_type"] == "none":
            assert "《" in cond and "第" in cond and "条" in cond, (
                n,
                "legal basis must cite an article",
            )
            assert r["open_type"] == "not_open", n
        if r["open_type"] == "conditional":
            assert r["open_condition"], n
        else:
            assert r["open_condition"] == "", n
        if r["open_type"] != "not_open":
            assert r["level"] <= 2, (n, "only L1/L2 can be opened")
        if r["system"] is not None:
            s = systems[r["system"]]
            assert s["department"] == r["provider"], (n, "system of another department")
            assert s["status"] == "active", (n, "retired system")
        for rel in r["related"]:
            assert rel in by_name and rel != n, (n, rel)
        items = r["items"]
        assert 3 <= len(items) <= 12, (n, len(items))
        item_names = [i[0] for i in items]
        assert len(set(item_names)) == len(item_names), (n, "duplicate item")
        assert any(i[5] for i in items), (n, "no key item")
        for name, data_type, length, level, kind, is_key in items:
            assert 0 < len(name) <= 50, (n, name)
            assert data_type in data_types and kind in kinds, (n, name)
            assert isinstance(length, int) and length > 0, (n, name)
            assert 1 <= level <= r["level"], (n, name, "item level above resource level")
            assert isinstance(is_key, bool), (n, name)
            if kind in {"id_number", "mobile", "name"}:
                assert level >= 3, (n, name, "personal item below L3")
            if kind == "id_number" or kind == "uscc":
                assert (data_type, length) == ("C", 18), (n, name)
            if kind == "mobile":
                assert (data_type, length) == ("C", 11), (n, name)
            if data_type == "D":
                assert length == 8, (n, name)
            if data_type == "T":
                assert length == 14, (n, name)
            if name in shared_items:
                sig = (data_type, length, kind)
                assert canonical.setdefault(name, sig) == sig, (n, name, "inconsistent shared item")

    def must(name, provider, level=None, share_type=None):
        r = by_name[name]
        assert r["provider"] == provider and r["status"] == "published", name
        assert level is None or r["level"] == level, name
        assert share_type is None or r["share_type"] == share_type, name

    must("人口基础信息", "ga", 4, "conditional")
    must("企业法人登记信息", "sj", 2, "unconditional")
    must("社会保险参保信息", "rs", 3, "conditional")
    must("不动产登记信息", "zr", 3, "conditional")
    must("户籍迁移信息", "ga")
    must("婚姻登记信息", "mz")
    must("低保救助对象信息", "mz")
    must("医疗机构执业信息", "wj", share_type="unconditional")

    # Shared items appear in several resources (duplicate-collection detection has material).
    for item in shared_items:
        owners = {r["provider"] for r in RESOURCES if item in {i[0] for i in r["items"]}}
        assert len(owners) >= 3, (item, owners)

    # Counts and spread.
    total = len(RESOURCES)
    status = Counter(r["status"] for r in RESOURCES)
    assert 80 <= total <= 90, total
    assert 3 <= status["draft"] <= 4 and status["submitted"] == 2, status
    per_provider = Counter(r["provider"] for r in RESOURCES)
    for d in DEPARTMENTS:
        k = per_provider[d["key"]]
        if d["key"] == "sjj":
            continue
        if d["district"] is None:
            assert k >= 2, (d["key"], k)
        else:
            assert 1 <= k <= 2, (d["key"], k)
    levels = Counter(r["level"] for r in RESOURCES)
    shares = Counter(r["share_type"] for r in RESOURCES)
    for level, target in {1: 0.25, 2: 0.30, 3: 0.25, 4: 0.20}.items():
        assert abs(levels[level] / total - target) <= 0.06, (level, levels[level])
    for share, target in {"unconditional": 0.35, "conditional": 0.55, "none": 0.10}.items():
        assert abs(shares[share] / total - target) <= 0.06, (share, shares[share])

    # Grants.
    assert 10 <= len(GRANTS) <= 15
    seen = set()
    for g in GRANTS:
        r = by_name[g["resource"]]
        consumer = depts[g["consumer"]]
        assert g["consumer"] in {"mz", "rs", "sj", "yh_mz", "ly_rs"}, g
        assert g["consumer"] != r["provider"], g
        assert r["share_type"] == "conditional" and r["status"] == "published", g
        assert isinstance(g["months"], int) and 1 <= g["months"] <= 36, g
        assert (g["consumer"], g["resource"]) not in seen, g
        seen.add((g["consumer"], g["resource"]))
        granted = (
            r["items"] if g["items"] is None else [i for i in r["items"] if i[0] in g["items"]]
        )
        if g["items"] is not None:
            assert len(granted) == len(g["items"]) == len(set(g["items"])), g
        assert max(i[3] for i in granted) <= consumer["clearance"], (
            g,
            "item above consumer clearance",
        )
    assert {"公民身份号码", "姓名"} == set(
        next(
            g["items"] for g in GRANTS if g["consumer"] == "rs" and g["resource"] == "人口基础信息"
        )
    )
    sj_si = next(g for g in GRANTS if g["consumer"] == "sj" and g["resource"] == "社会保险参保信息")
    assert sj_si["items"] and len(sj_si["items"]) < len(by_name["社会保险参保信息"]["items"])
    assert any(g["consumer"] == "mz" and g["resource"] == "不动产登记信息" for g in GRANTS)

    n_items = sum(len(r["items"]) for r in RESOURCES)
    return "\n".join(
        [
            f"departments {len(DEPARTMENTS)} (city {len(city)}), categories {len(CATEGORIES)}, "
            f"systems {len(SYSTEMS)}, resources {total}, items {n_items}, grants {len(GRANTS)}",
            f"status: {dict(sorted(status.items()))}",
            "level: " + str({f"L{k}": f"{v} ({v / total:.0%})" for k, v in sorted(levels.items())}),
            "share: " + str({k: f"{v} ({v / total:.0%})" for k, v in shares.most_common()}),
            f"providers: {dict(per_provider.most_common())}",
            "OK",
        ]
    )


if __name__ == "__main__":
    print(check())
