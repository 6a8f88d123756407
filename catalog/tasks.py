"""Background entry point for catalog imports (run by ``manage.py db_worker``)."""

from __future__ import annotations

from django_tasks import task


@task()
def catalog_import_job_run_task(job_id: int) -> str:
    """Run the catalog import job; return its final status ("" if it no longer exists)."""
    from .services.import_jobs import import_job_run

    job = import_job_run(job_id=job_id)
    return job.status if job is not None else ""
