"""The pieces every dataset write shares: limits, guards, the row plan, and a version's life
(created, loaded, activated, appended to).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence
from typing import IO, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import TaskResultStatus
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from accounts.models import User
from catalog import policies
from catalog.models import Resource
from kernel.errors import StateConflict
from kernel.policies import require
from sharing.services.notifications import resource_new_data_notify

from ..models import DatasetVersion
from ..readers import FileUnreadable, ParsedFile, Table, parse_limited, read_table
from ..signals import version_activated
from ..storage import keys_present, rows_load
from ..tasks import version_profile_task
from ..validation import DatasetInvalid, ErrorReport, RowPlan, error_limit

UPLOAD_MODES = ("replace", "append")
PUSH_MODES = ("replace", "append", "upsert")
Progress = Callable[[int], None]


def upload_max_bytes() -> int:
    return int(getattr(settings, "PORTAL_DATA_UPLOAD_MAX_BYTES", 200 * 1024 * 1024))


def push_max_rows() -> int:
    return int(getattr(settings, "PORTAL_DATA_PUSH_MAX_ROWS", 10_000))


def versions_kept() -> int:
    return max(1, int(getattr(settings, "PORTAL_DATA_VERSIONS_KEPT", 2)))


def require_change(actor: User | None, resource: Resource) -> None:
    # actor=None is the system itself (the demo loader, operator commands), as in every
    # catalog service; requests always pass the signed-in user or the token's account.
    require(
        actor,
        policies.can_change_resource,
        resource,
        message=_("You may not change the data of this resource."),
    )
    if resource.status == Resource.Status.RETIRED:
        raise StateConflict(_("A retired resource takes no new data."))


def require_mode(mode: str, allowed: Sequence[str]) -> None:
    if mode not in allowed:
        raise ValidationError(
            _("Unknown mode “%(mode)s”; use one of: %(modes)s.")
            % {"mode": mode, "modes": ", ".join(allowed)}
        )


def fail(message: str, row: int | None = None, column: str = "") -> DatasetInvalid:
    report = ErrorReport(limit=error_limit())
    report.add(row, column, message)
    return DatasetInvalid(report)


def check_size(file: IO[bytes] | File) -> None:
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, 2)
        size = file.tell()
        file.seek(0)
    if size > upload_max_bytes():
        raise fail(
            _("The file is %(size)s MB; the limit is %(limit)s MB.")
            % {
                "size": f"{size / 1048576:.1f}",
                "limit": f"{upload_max_bytes() / 1048576:.0f}",
            }
        )
    if size == 0:
        raise fail(_("The file is empty."))


def plan_for(resource: Resource) -> RowPlan:
    """Return the row plan of the resource's current data items."""
    return RowPlan.for_items(list(resource.items.order_by("position", "id")))


def open_table(file: IO[bytes] | File, name: str) -> Table:
    try:
        return read_table(file, name)
    except FileUnreadable as exc:
        raise fail(str(exc)) from exc


@contextlib.contextmanager
def open_parsed(
    file: IO[bytes] | File, name: str, *, heartbeat: Callable[[], None] | None = None
) -> Iterator[ParsedFile]:
    """Parse the file in a child process under the parse limits (``readers.parse_limited``).

    A file that cannot be read, or whose parse was stopped by a limit, raises the ValidationError
    an unreadable file always raises.
    """
    try:
        with parse_limited(cast(IO[bytes], file), name, heartbeat=heartbeat) as parsed:
            yield parsed
    except FileUnreadable as exc:
        raise fail(str(exc)) from exc


def locked(resource: Resource) -> Resource:
    # Serialises writers of one resource, so version numbers and the active flag never race.
    return Resource.objects.select_for_update().get(pk=resource.pk)


def active_version(resource: Resource) -> DatasetVersion | None:
    return (
        DatasetVersion.objects.select_for_update()
        .filter(resource=resource, status=DatasetVersion.Status.ACTIVE)
        .first()
    )


def _version_new(
    *, actor: User | None, resource: Resource, plan: RowPlan, source: str, file_name: str = ""
) -> DatasetVersion:
    last = DatasetVersion.objects.filter(resource=resource).aggregate(n=Max("number"))["n"]
    return DatasetVersion.objects.create(
        resource=resource,
        number=(last or 0) + 1,
        status=DatasetVersion.Status.BUILDING,
        source=source,
        columns=plan.columns,
        key_columns=plan.key_columns,
        file_name=file_name[:255],
        created_by=actor,
    )


def _activate(version: DatasetVersion, row_count: int, *, actor: User | None) -> None:
    """Make the version the active one, drop versions beyond those kept, and tell the consumers.

    The resource's consumers and followers hear of the new data through the sharing app's
    notifications (sharing sits below datasets, so it is called, not signalled).
    """
    previous = DatasetVersion.objects.filter(
        resource_id=version.resource_id, status=DatasetVersion.Status.ACTIVE
    ).exclude(pk=version.pk)
    previous.update(status=DatasetVersion.Status.SUPERSEDED, updated_at=timezone.now())
    version.status = DatasetVersion.Status.ACTIVE
    version.row_count = row_count
    version.save(update_fields=["status", "row_count", "updated_at"])
    stale = DatasetVersion.objects.filter(
        resource_id=version.resource_id, status=DatasetVersion.Status.SUPERSEDED
    ).order_by("-number")[versions_kept() - 1 :]
    DatasetVersion.objects.filter(pk__in=list(stale.values_list("pk", flat=True))).delete()
    resource_new_data_notify(resource=version.resource, version_number=version.number, actor=actor)
    # Profiled by the task worker once the version is committed: a million-row profile must
    # not hold the upload or push that activated it (services.quality).
    profile_queue(version.pk)
    version_activated.send(sender=DatasetVersion, version=version, actor=actor)


def _profile_waiting(version_id: int) -> bool:
    """Return whether a profile of the version waits in the task queue, not yet started.

    Only the database task backend can be asked; with any other backend nothing counts as
    waiting (a second profile of the same rows costs time, never correctness).
    """
    if not isinstance(version_profile_task.get_backend(), DatabaseBackend):
        return False
    return DBTaskResult.objects.filter(
        task_path=version_profile_task.module_path,
        status=TaskResultStatus.READY,
        args_kwargs__kwargs__version_id=version_id,
    ).exists()


def profile_queue(version_id: int) -> None:
    """Queue the version's quality profile once the transaction commits.

    Debounced: if a profile of the version is already waiting, it will read the rows committed
    now, so no second one is queued. A profile already running may have read the rows before
    this commit, so it does not count: one more waits behind it.
    """

    def enqueue() -> None:
        if not _profile_waiting(version_id):
            version_profile_task.enqueue(version_id=version_id)

    transaction.on_commit(enqueue)


def touch_resource(resource: Resource) -> None:
    now = timezone.now()
    Resource.objects.filter(pk=resource.pk).update(data_updated_at=now)
    resource.data_updated_at = now


def load_replace(
    *,
    actor: User | None,
    resource: Resource,
    plan: RowPlan,
    rows,
    report: ErrorReport,
    source: str,
    file_name: str = "",
) -> DatasetVersion:
    version = _version_new(
        actor=actor, resource=resource, plan=plan, source=source, file_name=file_name
    )
    count = rows_load(version_id=version.pk, rows=rows)
    if report:
        raise DatasetInvalid(report)
    if count == 0:
        raise fail(_("The file has a header but no data rows."))
    _activate(version, count, actor=actor)
    return version


def _conflicts(
    plan: RowPlan, version: DatasetVersion, rows: list, numbers: list[int], report: ErrorReport
) -> None:
    """Report rows whose key the active version already holds (append mode)."""
    keys = [key for key, _region, _values in rows]
    present = keys_present(version_id=version.pk, keys=keys)
    if not present:
        return
    column = "、".join(plan.columns[i] for i in plan.key_positions)
    for number, key in zip(numbers, keys, strict=True):
        if key in present:
            report.add(number, column, _("This key is already in the current data."))


def append_rows(
    *,
    actor: User | None,
    resource: Resource,
    plan: RowPlan,
    rows: list,
    numbers: list[int],
    report: ErrorReport,
    source: str,
    file_name: str = "",
) -> tuple[DatasetVersion, int]:
    """Add rows to the active version in place (a first append creates version 1)."""
    if report:
        raise DatasetInvalid(report)
    if not rows:
        raise fail(_("There are no data rows."))
    version = active_version(resource)
    if version is not None and (
        version.columns != plan.columns or version.key_columns != plan.key_columns
    ):
        raise fail(
            _("The data items changed since the current data was stored; replace it instead.")
        )
    if version is None:
        version = _version_new(
            actor=actor, resource=resource, plan=plan, source=source, file_name=file_name
        )
        _activate(version, 0, actor=actor)
    else:
        if plan.key_positions:
            if len(numbers) != len(rows):  # pragma: no cover - convert_rows keeps every row
                raise AssertionError("row numbers out of step")
            _conflicts(plan, version, rows, numbers, report)
            if report:
                raise DatasetInvalid(report)
        # Rows added in place change the active version's figures: profile it again (a new
        # version is profiled by its activation, once every row is in).
        profile_queue(version.pk)
    added = rows_load(version_id=version.pk, rows=rows)
    version.row_count += added
    version.save(update_fields=["row_count", "updated_at"])
    return version, added
