"""Benchmark of data delivery: import a large CSV and look rows up by key, against the PG floor.

Run against PostgreSQL (not part of the test suite):

    DATABASE_URL=postgres://postgres@127.0.0.1:55433/portal_data \
        .venv/bin/python bench/datasets.py --rows 1000000

It creates a provider, a consumer and a ten-item resource in the target database, writes a CSV,
and measures:

1. the end-to-end import through ``dataset_upload`` (decode, validate every cell including check
   digits, COPY, indexes, activation) against the floor: COPY of the same CSV into a bare table;
2. key lookups through ``dataset_rows_for`` (policy, grant, masking, audit record included)
   against the floor: an indexed SELECT on that bare table;
3. the two storage layouts considered (one JSON row table vs. one typed table per dataset):
   load time, size on disk and lookup time, server side only.

Results go to the "Data delivery" section of docs/performance.md.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DJANGO_DEBUG", "0")  # no query log: it would grow with every lookup
# The API's per-token throttle (600/min by default) would refuse a benchmark's lookups.
os.environ.setdefault("PORTAL_API_THROTTLE_RATE", "1000000/min")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402
from stdnum.cn import ric, uscc  # noqa: E402

from accounts import services as account_services  # noqa: E402
from accounts.identifiers import government_uscc, organization_code  # noqa: E402
from accounts.models import Role  # noqa: E402
from bench.common import PERFORMANCE, loadavg, machine, report, temporary_path  # noqa: E402
from catalog import services as catalog_services  # noqa: E402
from catalog.models import Category  # noqa: E402
from datasets import selectors, services  # noqa: E402
from sharing import services as sharing_services  # noqa: E402

ITEMS = [
    ("统一社会信用代码", "C", 18, "uscc", True),
    ("名称", "C", 50, "none", False),
    ("法定代表人", "C", 10, "name", False),
    ("身份证号", "C", 18, "id_number", False),
    ("手机号", "C", 11, "mobile", False),
    ("注册资本", "Y", 14, "none", False),
    ("从业人数", "I", 8, "none", False),
    ("成立日期", "D", 8, "none", False),
    ("是否有效", "L", 1, "none", False),
    ("行政区划代码", "C", 6, "none", False),
]
REGIONS = ["340102", "340103", "340104", "340111", "340121"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"


def company_uscc(n: int) -> str:
    first17 = "91" + REGIONS[n % 5] + organization_code(f"{n:08d}")
    return first17 + uscc.calc_check_digit(first17)


def citizen_id(n: int) -> str:
    body = f"{REGIONS[n % 5]}{1990 + n % 15}{1 + n % 12:02d}{1 + n % 28:02d}{n % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


def write_csv(path: Path, rows: int) -> None:
    rng = random.Random(7)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([name for name, *_ in ITEMS])
        for n in range(rows):
            writer.writerow(
                [
                    company_uscc(n),
                    f"A市测试企业{n}有限公司",
                    rng.choice(SURNAMES) + "某某",
                    citizen_id(n),
                    f"13{n % 10}{n:08d}",
                    f"{rng.randint(1, 10_000_000)}.{rng.randint(0, 99):02d}",
                    str(rng.randint(1, 5000)),
                    f"{1990 + n % 30}-{1 + n % 12:02d}-{1 + n % 28:02d}",
                    "true" if n % 3 else "false",
                    REGIONS[n % 5],
                ]
            )


def world(tag: str):
    """Create a provider with an editor, a consumer with a grant, and the resource."""
    provider = account_services.department_create(
        actor=None,
        name=f"基准提供部门{tag}",
        short_name=f"基准提供{tag}"[:30],
        uscc=government_uscc("340100", 800_000 + int(tag[-5:])),
        region_code="340100",
        clearance=4,
    )
    consumer = account_services.department_create(
        actor=None,
        name=f"基准使用部门{tag}",
        short_name=f"基准使用{tag}"[:30],
        uscc=government_uscc("340100", 700_000 + int(tag[-5:])),
        region_code="340100",
        clearance=4,
    )
    editor = account_services.user_create(
        actor=None,
        username=f"bench_editor_{tag}",
        department=provider,
        password="bench-pass-2026-Aa",  # noqa: S106
        clearance=4,
        roles=(Role.STAFF, Role.EDITOR),
    )
    reader = account_services.user_create(
        actor=None,
        username=f"bench_reader_{tag}",
        department=consumer,
        password="bench-pass-2026-Aa",  # noqa: S106
        clearance=4,
        roles=(Role.STAFF,),
    )
    resource = catalog_services.resource_create(
        actor=None,
        provider=provider,
        category=Category.objects.get(code="102"),
        name=f"法人基础信息基准{tag}",
        summary="基准测试用数据集",
        format_class="database",
        format_type="PostgreSQL",
        share_type="conditional",
        share_condition="用于基准测试",
        share_method="api",
        update_cycle="daily",
        level=4,
        items=[
            {"name": n, "data_type": t, "length": ln, "level": 2, "kind": k, "is_key": key}
            for n, t, ln, k, key in ITEMS
        ],
    )
    resource = catalog_services.resource_submit(actor=None, resource=resource)
    resource = catalog_services.resource_publish(actor=None, resource=resource)
    now = timezone.now()
    sharing_services.grant_create(
        actor=None,
        resource=resource,
        department=consumer,
        items=list(resource.items.all()),
        valid_from=now - timedelta(days=1),
        valid_until=now + timedelta(days=30),
    )
    return editor, reader, resource


def percentile(samples: list[float], q: float) -> float:
    return statistics.quantiles(samples, n=100)[int(q) - 1] if len(samples) > 1 else samples[0]


def timed_lookups(call, keys: list[str]) -> list[float]:
    samples = []
    for key in keys:
        start = time.perf_counter()
        call(key)
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def api_lookup(reader, resource, key_item: str):
    """Return a function that looks one key up through the REST API (test client, read token)."""
    from urllib.parse import quote

    from django.test import Client

    from accounts.services.tokens import token_create

    _token, secret = token_create(
        actor=reader,
        user=reader,
        name="bench",
        scopes=["read"],
        second_factor_at=timezone.now(),
    )
    client, headers = Client(), {"HTTP_AUTHORIZATION": f"Token {secret}"}
    path = f"/api/v1/resources/{resource.pk}/rows/?key={quote(key_item)}:"

    def call(key: str) -> None:
        response = client.get(path + quote(key), **headers)
        assert response.status_code == 200, (response.status_code, response.content[:200])
        assert len(response.json()["results"]) == 1

    call(company_uscc(0))  # warm up: the first request loads the URL conf and templates
    return call


def floor_copy(raw, csv_path: Path) -> float:
    raw.execute("DROP TABLE IF EXISTS bench_floor")
    raw.execute(
        "CREATE TABLE bench_floor (" + ", ".join(f"c{i} text" for i in range(len(ITEMS))) + ")"
    )
    start = time.perf_counter()
    with (
        raw.copy("COPY bench_floor FROM STDIN (FORMAT csv, HEADER true)") as copy,
        csv_path.open("rb") as handle,
    ):
        while chunk := handle.read(1 << 20):
            copy.write(chunk)
    return time.perf_counter() - start


def layouts(raw, csv_path: Path, rows: int, keys: list[str]) -> dict[str, dict[str, float]]:
    """Load the same rows as (a) JSON rows in one table and (b) a typed table; server side."""
    results: dict[str, dict[str, float]] = {}
    with temporary_path(".tsv") as tsv:
        with csv_path.open(encoding="utf-8") as src, tsv.open("w", encoding="utf-8") as out:
            reader = csv.reader(src)
            next(reader)
            for cells in reader:
                data = json.dumps(cells, ensure_ascii=False, separators=(",", ":"))
                data = data.replace("\\", "\\\\")  # COPY text format escapes backslashes
                out.write(f"1\t{cells[0]}\t{cells[9]}\t{data}\n")
        ddl = {
            "a_json_rows": (
                "CREATE TABLE bench_a (id bigserial PRIMARY KEY, version_id bigint, key text,"
                " region varchar(12), data jsonb)",
                [
                    "CREATE UNIQUE INDEX ON bench_a (version_id, key)",
                    "CREATE INDEX ON bench_a (version_id, region, id)",
                ],
                "COPY bench_a (version_id, key, region, data) FROM STDIN",
                tsv,
                "SELECT data FROM bench_a WHERE version_id = 1 AND key = %s",
                "bench_a",
            ),
            "b_typed_table": (
                "CREATE TABLE bench_b (id bigserial PRIMARY KEY, uscc text, name text, person text,"
                " idno text, mobile text, capital numeric(16,2), staff integer, founded date,"
                " valid boolean, region text)",
                ["CREATE UNIQUE INDEX ON bench_b (uscc)", "CREATE INDEX ON bench_b (region, id)"],
                "COPY bench_b (uscc, name, person, idno, mobile, capital, staff, founded, valid,"
                " region) FROM STDIN (FORMAT csv, HEADER true)",
                csv_path,
                "SELECT * FROM bench_b WHERE uscc = %s",
                "bench_b",
            ),
        }
        for label, (create, indexes, copy_sql, source, select, table) in ddl.items():
            raw.execute(f"DROP TABLE IF EXISTS {table}")
            raw.execute(create)
            for index in indexes:  # indexes exist during the load, as they do in the product
                raw.execute(index)
            start = time.perf_counter()
            with raw.copy(copy_sql) as copy, source.open("rb") as handle:
                while chunk := handle.read(1 << 20):
                    copy.write(chunk)
            load = time.perf_counter() - start
            raw.execute(f"ANALYZE {table}")
            raw.execute("SELECT pg_total_relation_size(%s)", [table])
            size = raw.fetchone()[0]
            samples = timed_lookups(lambda k, s=select: (raw.execute(s, [k]), raw.fetchall()), keys)
            results[label] = {
                "load_s": load,
                "rows_per_s": rows / load,
                "size_mb": size / 1048576,
                "lookup_p50_ms": statistics.median(samples),
            }
            raw.execute(f"DROP TABLE {table}")
    return results


def lookups_again(args: argparse.Namespace) -> None:
    """Time key lookups (wall and CPU) on the existing dataset, and the same probe in raw SQL."""
    from accounts.models import User
    from datasets.models import DatasetVersion

    version = (
        DatasetVersion.objects.filter(
            status="active", resource__name__startswith="法人基础信息基准"
        )
        .order_by("-row_count", "-id")
        .select_related("resource")
        .first()
    )
    if version is None:
        sys.exit("No dataset from an earlier run.")
    resource = version.resource
    reader = User.objects.filter(department__grants__resource=resource).first()
    rng = random.Random(13)
    keys = [company_uscc(rng.randrange(version.row_count)) for _ in range(args.lookups)]
    key_item = ITEMS[0][0]
    wall, cpu = [], []
    for key in keys:
        start, started_cpu = time.perf_counter(), time.process_time()
        page = selectors.dataset_rows_for(
            user=reader, resource=resource, filters={key_item: key}, limit=10
        )
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        assert len(page.rows) == 1
    api = timed_lookups(api_lookup(reader, resource, key_item), keys)
    raw = connection.cursor().cursor
    floor = timed_lookups(
        lambda k: (
            raw.execute(
                "SELECT id, data FROM datasets_datasetrow WHERE version_id = %s AND key = %s",
                [version.pk, k],
            ),
            raw.fetchall(),
        ),
        keys,
    )
    load = loadavg()
    p50, floor_p50 = statistics.median(wall), statistics.median(floor)
    api_p50 = statistics.median(api)
    text = "\n".join(
        [
            f"### Key lookups on the existing dataset"
            f" ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())})",
            "",
            f"`bench/datasets.py --lookups-only`: {args.lookups} random keys on the same"
            f" {version.row_count:,}-row dataset, load average {load}, {interpreter()}.",
            "",
            "| measure | p50 | p95 | p99 |",
            "|---|---|---|---|",
            f"| `dataset_rows_for`, wall clock | **{p50:.2f} ms** | {percentile(wall, 95):.2f} ms |"
            f" {percentile(wall, 99):.2f} ms |",
            f"| `dataset_rows_for`, CPU time of the Python process | {statistics.median(cpu):.2f} ms"
            f" | {percentile(cpu, 95):.2f} ms | {percentile(cpu, 99):.2f} ms |",
            f"| through the API (`GET /api/v1/resources/{{id}}/rows/?key=…`, token, every"
            f" middleware) | **{api_p50:.2f} ms** | {percentile(api, 95):.2f} ms |"
            f" {percentile(api, 99):.2f} ms |",
            f"| floor: the same probe in raw SQL on `datasets_datasetrow`'s (version, key) index |"
            f" {floor_p50:.3f} ms | {percentile(floor, 95):.3f} ms | {percentile(floor, 99):.3f} ms |",
            "",
            f"Portal / floor at p50: selector {p50 / floor_p50:.0f}×, API {api_p50 / floor_p50:.0f}×."
            f" Target p50 ≤ 10 ms through the API — {'met' if api_p50 <= 10 else 'NOT met'}.",
            "",
        ]
    )
    print(text)
    if not args.no_report:
        PERFORMANCE.write_text(
            PERFORMANCE.read_text(encoding="utf-8").rstrip() + "\n\n" + text, encoding="utf-8"
        )


def interpreter() -> str:
    """Name the Python build: the ORM's speed differs by the interpreter's (see the report)."""
    return f"Python {sys.version.split()[0]} (`{sys.executable}`)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--lookups", type=int, default=2000)
    parser.add_argument("--no-report", action="store_true", help="print only")
    parser.add_argument(
        "--lookups-only",
        action="store_true",
        help="measure key lookups again on the largest dataset an earlier run left behind",
    )
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database.")
    if args.lookups_only:
        lookups_again(args)
        return
    call_command("migrate", verbosity=0)
    tag = time.strftime("%m%d%H%M%S")[-10:]
    editor, reader, resource = world(tag)
    with temporary_path(".csv") as csv_path:
        print(f"writing {args.rows:,} rows to {csv_path} …", flush=True)
        write_csv(csv_path, args.rows)
        size_mb = csv_path.stat().st_size / 1048576

        load_before = loadavg()
        start, cpu = time.perf_counter(), time.process_time()
        with csv_path.open("rb") as handle:
            version = services.dataset_upload(
                actor=editor, resource=resource, file=handle, name="bench.csv"
            )
        import_s = time.perf_counter() - start
        import_cpu = time.process_time() - cpu
        assert version.row_count == args.rows
        print(f"import: {import_s:.1f} s, {args.rows / import_s:,.0f} rows/s", flush=True)

        rng = random.Random(11)
        keys = [company_uscc(rng.randrange(args.rows)) for _ in range(args.lookups)]
        key_item = ITEMS[0][0]
        selectors.dataset_rows_for(user=reader, resource=resource, filters={key_item: keys[0]})
        lookups = timed_lookups(
            lambda k: selectors.dataset_rows_for(
                user=reader, resource=resource, filters={key_item: k}, limit=10
            ),
            keys,
        )

        api_lookups = timed_lookups(api_lookup(reader, resource, key_item), keys)

        raw = connection.cursor().cursor
        floor_s = floor_copy(raw, csv_path)
        raw.execute("CREATE INDEX ON bench_floor (c0)")
        raw.execute("ANALYZE bench_floor")
        floor_lookups = timed_lookups(
            lambda k: (raw.execute("SELECT * FROM bench_floor WHERE c0 = %s", [k]), raw.fetchall()),
            keys,
        )
        raw.execute("DROP TABLE bench_floor")
        compared = layouts(raw, csv_path, args.rows, keys)
        info = machine(raw)
        info["load average (1 min) at start / end"] = f"{load_before} / {loadavg()}"

    p50, floor_p50 = statistics.median(lookups), statistics.median(floor_lookups)
    lines = [
        "## Data delivery",
        "",
        f"`bench/datasets.py --rows {args.rows}`, run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}"
        f" on: " + ", ".join(f"{k} {v}" for k, v in info.items()) + ".",
        "",
        f"Data: {args.rows:,} rows × {len(ITEMS)} items ({size_mb:.0f} MB CSV, UTF-8): USCC key"
        " (check digit validated), name, person name, citizen ID (check digit validated), mobile,"
        " currency, integer, date, logical, region code.",
        "",
        "| measure | portal | PostgreSQL floor | portal / floor |",
        "|---|---|---|---|",
        f"| import, end to end (`dataset_upload`: decode, validate, COPY, indexes, activate) |"
        f" {import_s:.1f} s = **{args.rows / import_s:,.0f} rows/s** |"
        f" COPY into a bare 10-column text table: {floor_s:.1f} s = {args.rows / floor_s:,.0f} rows/s |"
        f" {import_s / floor_s:.1f}× the time |",
        f"| key lookup (`dataset_rows_for` with a key filter: policy, grant, items, masking, audit"
        f" record), {args.lookups} random keys | p50 **{p50:.2f} ms**, p95"
        f" {percentile(lookups, 95):.2f} ms, p99 {percentile(lookups, 99):.2f} ms |"
        f" indexed `SELECT` on the bare table: p50 {floor_p50:.3f} ms, p95"
        f" {percentile(floor_lookups, 95):.3f} ms | {p50 / floor_p50:.0f}× |",
        f"| key lookup through the API (`GET /api/v1/resources/{{id}}/rows/?key=<item>:<value>` in the"
        f" test client with a read token: middleware, token, DRF, JSON), the same keys |"
        f" p50 **{statistics.median(api_lookups):.2f} ms**, p95 {percentile(api_lookups, 95):.2f} ms,"
        f" p99 {percentile(api_lookups, 99):.2f} ms | the same indexed `SELECT` |"
        f" {statistics.median(api_lookups) / floor_p50:.0f}× |",
        "",
        f"Python CPU time of the import: {import_cpu:.1f} s ({args.rows / import_cpu:,.0f} rows/s"
        " of the Python process alone; PostgreSQL parses and indexes the COPY stream in its own"
        " process at the same time, and the two share the machine's cores).",
        "",
        f"Targets: import ≥ 50,000 rows/s — {'met' if args.rows / import_s >= 50_000 else 'NOT met'};"
        f" lookup p50 ≤ 10 ms through the API —"
        f" {'met' if statistics.median(api_lookups) <= 10 else 'NOT met'}"
        f" (the selector alone: {'met' if p50 <= 10 else 'NOT met'}). Lookup times are measured"
        " in-process (server time without the network); the floor is measured with the same"
        " connection from the same process.",
        "",
        "Storage layouts (server side only: COPY of prepared data with the indexes in place, size"
        " with indexes, p50 of the same key lookups):",
        "",
        "| layout | load | rows/s | size | lookup p50 |",
        "|---|---|---|---|---|",
        *(
            f"| {label} | {r['load_s']:.1f} s | {r['rows_per_s']:,.0f} | {r['size_mb']:.0f} MB |"
            f" {r['lookup_p50_ms']:.3f} ms |"
            for label, r in compared.items()
        ),
        "",
    ]
    text = "\n".join(lines)
    print(text)
    if not args.no_report:
        report("## Data delivery", text)


if __name__ == "__main__":
    main()
