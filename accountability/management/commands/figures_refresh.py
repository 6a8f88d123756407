"""Refresh the stored evaluation figures and duplicate reports; run it nightly (cron or timer).

``--check`` first recomputes every stored run and report that no audited write has followed, at
its own instant, and reports each figure or group it does not reproduce (exit status 1): such a
difference means the data changed without an audited write. Then the due ones are refreshed.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accountability.periods import PeriodError, parse_period
from accountability.services import (
    duplicates_check,
    duplicates_refresh_due,
    figures_check,
    figures_refresh,
    figures_refresh_due,
    figures_wanted_take,
)


class Command(BaseCommand):
    help = (
        "Refresh the stored evaluation figures and duplicate reports "
        "(--check compares them with a recomputation)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check",
            action="store_true",
            help="Compare the stored runs no write has followed with a recomputation first.",
        )
        parser.add_argument(
            "--level",
            type=int,
            action="append",
            default=[],
            help="Also compute the current periods for this clearance (repeatable).",
        )
        parser.add_argument(
            "--period", help="Recompute this period (2026, 2026-Q3, 2026-07) for --level."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        differences = figures_check() if options["check"] else []
        for difference in differences:
            self.stderr.write(
                f"{difference.run.period_key} L{difference.run.max_level} "
                f"{difference.department or '(city)'} {difference.figure}: "
                f"stored {difference.stored!r}, recomputed {difference.recomputed!r}"
            )
        duplicates = duplicates_check() if options["check"] else []
        for group in duplicates:
            self.stderr.write(
                f"duplicates L{group.report.max_level} group {group.position}: "
                f"stored {group.stored!r}, recomputed {group.recomputed!r}"
            )
        if options["period"]:
            try:
                period = parse_period(options["period"])
            except PeriodError as exc:
                raise CommandError(str(exc)) from exc
            if not options["level"]:
                raise CommandError("--period needs --level.")
            for level in options["level"]:
                figures_refresh(period=period, max_level=level)
            refreshed = [f"{period.key} L{level}" for level in options["level"]]
        else:
            refreshed = figures_refresh_due(
                levels=options["level"], wanted_runs=figures_wanted_take()
            )
        self.stdout.write(f"refreshed {len(refreshed)}: {' '.join(refreshed)}".rstrip())
        reports = duplicates_refresh_due(levels=options["level"])
        self.stdout.write(
            f"duplicate reports refreshed {len(reports)}: {' '.join(reports)}".rstrip()
        )
        if differences or duplicates:
            raise CommandError(
                f"{len(differences)} stored figures and {len(duplicates)} duplicate groups "
                "differ from a recomputation (listed above)."
            )
