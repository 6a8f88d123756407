"""Background entry points of the catalog (run by ``manage.py db_worker``)."""

from __future__ import annotations

from typing import Any

from django_tasks import task


@task()
def catalog_import_job_run_task(job_id: int) -> str:
    """Run the catalog import job; return its final status ("" if it no longer exists)."""
    from .services.import_jobs import import_job_run

    job = import_job_run(job_id=job_id)
    return job.status if job is not None else ""


# The facet recounts have a queue of their own: short, frequent work that a long import or
# figures refresh on the default queue would otherwise hold back (docs/operations.md).
COUNTS_QUEUE = "counts"


@task(queue_name=COUNTS_QUEUE)
def facet_counts_refresh_task(user_id: int, values: dict[str, Any], part: str) -> bool:
    """Recount the facet counts a request served past their minute (kernel.stale)."""
    from .selectors.browse import facet_counts_refresh

    return facet_counts_refresh(user_id=user_id, values=values, part=part)
