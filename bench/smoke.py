"""``bench/run --smoke``: each scenario once per applicable subject, failing on any error.

In a module of its own (``bench/run`` is a script) so a test can run it on made-up scenarios.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from django.db import connection

from bench.scenarios import HttpStatusError, Scenario, Subject


def fresh(function):
    """Forget the cached roles before each run, as a new request would (the inbox's approver's too)."""

    def run(subject: Subject):
        subject.user.forget_roles()
        if subject.approver is not None:
            subject.approver.forget_roles()
        return function(subject)

    return run


def count_queries(function, subject: Subject) -> int:
    """Return how many SQL statements one run executes (a request's signals cannot reset it)."""
    executed = []

    def counter(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter):
        function(subject)
    return len(executed)


def smoke(chosen: list[Scenario], people: list[Subject], out: Path | None) -> int:
    """Run each scenario once per applicable subject; return how many failed (printed).

    ``out``: write each run's query count there (JSON), to compare two scales' counts.
    """
    began = time.perf_counter()
    queries: dict[str, int] = {}
    failures: list[str] = []
    runs = 0
    unused = []
    spent: dict[str, float] = {}
    for scenario in chosen:
        applicable = [subject for subject in people if scenario.applies(subject)]
        if not applicable:
            unused.append(scenario.name)
        started = time.perf_counter()
        for subject in applicable:
            runs += 1
            try:
                queries[f"{scenario.name} / {subject.label}"] = count_queries(
                    fresh(scenario.portal), subject
                )
            except HttpStatusError as error:
                kind = "5xx" if error.status >= 500 else "unexpected status"
                failures.append(f"{scenario.name} / {subject.label}: {kind}: {error}")
            except Exception as error:  # every failure is reported, then fails
                failures.append(
                    f"{scenario.name} / {subject.label}: {type(error).__name__}: {error}"
                )
        spent[scenario.name] = time.perf_counter() - started
    seconds = time.perf_counter() - began
    print(f"smoke: {runs} runs of {len(chosen)} scenarios in {seconds:.1f} s")
    slowest = sorted(spent.items(), key=lambda pair: -pair[1])[:8]
    print("slowest: " + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in slowest))
    if unused:
        print(f"not run (no subject or object in this data): {', '.join(unused)}")
    for failure in failures:
        print(f"FAIL {failure}")
    if out is not None:
        out.write_text(json.dumps({"queries": queries, "failures": failures}, indent=1))
    return len(failures)
