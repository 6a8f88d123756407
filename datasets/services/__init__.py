"""Writes to datasets: file uploads, API pushes and background import jobs.

Every write checks that the actor may change the resource (its provider's editors or a delegate),
validates every row against the data items, and stores the result in one transaction: a new
version is activated with all its rows or not at all.

``versions`` holds what the writes share (limits, guards, the row plan, a version's life);
``uploads``, ``pushes`` and ``jobs`` are the three ways data arrives. Callers use this package.
"""

from .jobs import import_job_create, import_job_run, import_jobs_sweep
from .pushes import dataset_push
from .quality import version_profile
from .uploads import dataset_upload
from .versions import (
    PUSH_MODES,
    UPLOAD_MODES,
    Progress,
    plan_for,
    push_max_rows,
    upload_max_bytes,
    versions_kept,
)

__all__ = [
    "PUSH_MODES",
    "UPLOAD_MODES",
    "Progress",
    "dataset_push",
    "dataset_upload",
    "import_job_create",
    "import_job_run",
    "import_jobs_sweep",
    "plan_for",
    "push_max_rows",
    "upload_max_bytes",
    "version_profile",
    "versions_kept",
]
