"""Fill the database with city-scale benchmark data (see bench/seed.py and docs/performance.md)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from bench.seed import SeedRefused, seed


class Command(BaseCommand):
    help = (
        "Generate departments, users, resources, data items, grants and audit events at a scale "
        "(1 = 100,000 resources). Refuses a database holding other data unless --force."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale", type=float, default=1.0, help="1 = city scale; 0.01 for tests"
        )
        parser.add_argument("--seed", type=int, default=2026, help="random seed (deterministic)")
        parser.add_argument(
            "--force",
            action="store_true",
            help="add the bench data to a database that already holds other data",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        began = time.monotonic()
        try:
            counts = seed(
                scale=options["scale"],
                random_seed=options["seed"],
                force=options["force"],
                log=self.stdout.write,
            )
        except SeedRefused as exc:
            raise CommandError(str(exc)) from exc
        summary = ", ".join(f"{name} {n}" for name, n in counts.items())
        self.stdout.write(
            self.style.SUCCESS(f"Bench data ready in {time.monotonic() - began:.1f} s: {summary}")
        )
