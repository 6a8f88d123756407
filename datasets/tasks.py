"""Background entry point for file imports (run by ``manage.py db_worker``)."""

from __future__ import annotations

from django_tasks import task


@task()
def import_job_run_task(job_id: int) -> str:
    """Run the import job and return its final status."""
    from .services import import_job_run

    return import_job_run(job_id=job_id).status
