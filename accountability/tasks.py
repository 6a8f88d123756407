"""Background entry point for comparisons of item links (run by ``manage.py db_worker``)."""

from __future__ import annotations

from django_tasks import task


@task()
def comparison_run_task(run_id: int) -> str:
    """Run the queued comparison and return its final status ("" if it was not queued)."""
    from .services import comparison_run

    run = comparison_run(run_id=run_id)
    return run.status if run is not None else ""
