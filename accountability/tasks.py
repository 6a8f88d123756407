"""Background entry point for comparisons of item links (run by ``manage.py db_worker``)."""

from __future__ import annotations

from django_tasks import task


@task()
def comparison_run_task(run_id: int) -> str:
    """Run the queued comparison and return its final status ("" if it was not queued)."""
    from .services import comparison_run

    run = comparison_run(run_id=run_id)
    return run.status if run is not None else ""


@task()
def figures_refresh_task() -> int:
    """Refresh the stored evaluation figures and duplicate reports a write has made due.

    Return how many runs and reports were refreshed.
    """
    from django.core.cache import cache

    from .services import (
        REFRESH_QUEUED_KEY,
        duplicates_refresh_due,
        figures_refresh_due,
        figures_wanted_take,
    )

    cache.delete(REFRESH_QUEUED_KEY)
    runs = figures_refresh_due(wanted_runs=figures_wanted_take())
    return len(runs) + len(duplicates_refresh_due())
