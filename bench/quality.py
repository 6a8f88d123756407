"""Benchmark of the data quality profile: profile a large version, against its SQL floor.

Run against PostgreSQL (not part of the test suite):

    DATABASE_URL=postgres://postgres@127.0.0.1:55600/portal_quality \
        .venv/bin/python bench/quality.py --rows 1000000

It builds the ten-item resource of ``bench/datasets.py`` (same world, same CSV), imports it through
``dataset_upload``, then times, twice each:

1. ``version_profile`` end to end, as the task worker runs it (the aggregate query with every
   item's counts, distinct counts, check digits in SQL and extremes; the grouped queries for the
   most frequent values; storing the profile; the comparison with the previous version);
2. the floor: the bare aggregate query, one scan of the version's rows reading every item out of
   the JSON row and counting it (``COUNT(data ->> i)`` for each item), nothing else.

Target: under 60 s at 1,000,000 rows. Results go to the "Data quality profile" section of
docs/performance.md (``--no-report`` prints only).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from django.core.management import call_command
from django.db import connection

from bench.common import loadavg, machine, report, temporary_path
from bench.datasets import world, write_csv  # sets Django up, before datasets
from datasets import services
from datasets.models import DatasetRow, DatasetVersion
from datasets.services.quality import version_profile

TARGET_S = 60.0


def floor(version_id: int, columns: int) -> float:
    table = connection.ops.quote_name(DatasetRow._meta.db_table)
    counts = ", ".join(f"COUNT(data ->> {i})" for i in range(columns))
    sql = f"SELECT COUNT(*), {counts} FROM {table} WHERE version_id = %s"
    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(sql, [version_id])
        cursor.fetchone()
    return time.perf_counter() - start


def built_version(rows: int) -> DatasetVersion:
    """Import a new ``rows``-row version of the data delivery benchmark's resource."""
    tag = time.strftime("%m%d%H%M%S")[-10:]
    editor, _reader, resource = world(tag)
    with temporary_path(".csv") as csv_path:
        print(f"writing {rows:,} rows to {csv_path} …", flush=True)
        write_csv(csv_path, rows)
        start = time.perf_counter()
        with csv_path.open("rb") as handle:
            version = services.dataset_upload(
                actor=editor, resource=resource, file=handle, name="bench.csv"
            )
    print(f"import: {time.perf_counter() - start:.1f} s", flush=True)
    return version


def existing_version(rows: int) -> DatasetVersion:
    version = (
        DatasetVersion.objects.filter(status=DatasetVersion.Status.ACTIVE, row_count=rows)
        .order_by("-pk")
        .first()
    )
    if version is None:
        sys.exit(f"No active version of {rows} rows: run without --existing first.")
    return version


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--no-report", action="store_true", help="print only")
    parser.add_argument(
        "--existing",
        action="store_true",
        help="profile the newest active version of --rows rows an earlier run left behind",
    )
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database.")
    call_command("migrate", verbosity=0)
    version = existing_version(args.rows) if args.existing else built_version(args.rows)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE datasets_datasetrow")

    runs = []
    for run in (1, 2):
        load = loadavg()
        floor_s = floor(version.pk, len(version.columns))
        start = time.perf_counter()
        quality = version_profile(version_id=version.pk)
        profile_s = time.perf_counter() - start
        assert quality is not None and quality.row_count == args.rows
        runs.append((run, load, loadavg(), profile_s, floor_s, quality.score))
        print(
            f"run {run}: profile {profile_s:.1f} s, "
            f"floor {floor_s:.1f} s, ratio {profile_s / floor_s:.1f}×, score {quality.score}",
            flush=True,
        )

    info = machine(connection.cursor().cursor)
    lines = [
        "## Data quality profile",
        "",
        f"`bench/quality.py --rows {args.rows}`, run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}: "
        + ", ".join(f"{k} {v}" for k, v in info.items())
        + ".",
        "",
        f"Data: the {args.rows:,}-row, 10-item version of the data delivery benchmark (USCC key, "
        "name, person name, citizen ID, mobile, currency, integer, date, logical, region code), "
        "profiled as the task worker does on activation (`version_profile`).",
        "",
        "| run | load average (1 min) before / after | profile, end to end | floor: one scan "
        "counting every item (`COUNT(data ->> i)`) | profile / floor |",
        "|---|---|---|---|---|",
    ]
    for run, before, after, profile_s, floor_s, _score in runs:
        lines.append(
            f"| {run} | {before} / {after} | **{profile_s:.1f} s** | {floor_s:.1f} s | "
            f"{profile_s / floor_s:.1f}× |"
        )
    best = min(r[3] for r in runs)
    lines += [
        "",
        f"Target: under {TARGET_S:.0f} s at 1,000,000 rows — "
        + ("met" if best < TARGET_S and args.rows >= 1_000_000 else "see the figures")
        + f" (best run {best:.1f} s, {args.rows:,} rows).",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    if not args.no_report:
        report("## Data quality profile", text)


if __name__ == "__main__":
    main()
