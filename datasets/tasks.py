"""Background entry point for file imports (run by ``manage.py db_worker``)."""

from __future__ import annotations

from django_tasks import task


@task()
def import_job_run_task(job_id: int) -> str:
    """Run the import job and return its final status ("" if the sweep discarded it unrun)."""
    from .services import import_job_run

    job = import_job_run(job_id=job_id)
    return job.status if job is not None else ""


@task()
def version_profile_task(version_id: int) -> int | None:
    """Profile an activated data version; return its score (None if it is no longer active)."""
    from .services.quality import version_profile

    quality = version_profile(version_id=version_id)
    return quality.score if quality is not None else None
