"""Signals of the catalog, so that apps above it react without the catalog importing them.

``resource_returned`` is sent inside the transaction that sends a submitted resource back to
draft, with ``resource`` (the returned resource, its ``review_comment`` set), ``comment`` (str)
and ``actor`` (the reviewer, or None for the system); a receiver that raises rolls the return
back. The sharing app notifies the resource's editors on it.

``resource_retired`` is sent inside the transaction that retires a published resource, with
``resource`` (retired, its ``retired_reason`` set) and ``actor``. ``resource_changed`` is sent
inside the transaction of an edit of a published resource that changed its data items or its
level, with ``resource`` (its new version), ``change`` (``"items"``, ``"level"`` or
``"items_level"``) and ``actor``; it is sent again with ``change="scope"`` when an edit or the
coordinator's override changes a published entry's catalog scope. The sharing app tells the departments holding a grant in force
on the resource and its followers, those who may see it.

``import_job_abandoned`` is sent inside the transaction in which the sweep fails a catalog import
job whose worker stopped renewing its lease, with ``job`` (failed, its file removed). The sharing
app tells the job's uploader.

``system_decided`` is sent inside the transaction in which the coordinator approves or returns
a filed information system, with ``system`` (its ``code`` or ``return_reason`` set),
``approved`` (bool) and ``actor``. The sharing app tells the filer.
"""

from django.dispatch import Signal

resource_returned = Signal()
resource_retired = Signal()
resource_changed = Signal()
import_job_abandoned = Signal()
system_decided = Signal()
