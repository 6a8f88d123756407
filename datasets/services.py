"""Writes to datasets: file uploads, API pushes and background import jobs.

Every write checks that the actor may change the resource (its provider's editors or a delegate),
validates every row against the data items, and stores the result in one transaction: a new
version is activated with all its rows or not at all.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.services import record
from catalog import policies
from catalog.models import Resource
from kernel.policies import require

from .models import DatasetBatch, DatasetVersion, ImportJob
from .readers import FileUnreadable, Table, read_table
from .storage import collector_paused, keys_present, rows_delete_keys, rows_load
from .validation import DatasetInvalid, ErrorReport, RowPlan, error_limit

UPLOAD_MODES = ("replace", "append")
PUSH_MODES = ("replace", "append", "upsert")
Progress = Callable[[int], None]


def upload_max_bytes() -> int:
    return int(getattr(settings, "PORTAL_DATA_UPLOAD_MAX_BYTES", 200 * 1024 * 1024))


def push_max_rows() -> int:
    return int(getattr(settings, "PORTAL_DATA_PUSH_MAX_ROWS", 10_000))


def versions_kept() -> int:
    return max(1, int(getattr(settings, "PORTAL_DATA_VERSIONS_KEPT", 2)))


def _require_change(actor: User | None, resource: Resource) -> None:
    # actor=None is the system itself (the demo loader, operator commands), as in every
    # catalog service; requests always pass the signed-in user or the token's account.
    require(
        actor,
        policies.can_change_resource,
        resource,
        message=_("You may not change the data of this resource."),
    )
    if resource.status == Resource.Status.RETIRED:
        raise ValidationError(_("A retired resource takes no new data."))


def _require_mode(mode: str, allowed: Sequence[str]) -> None:
    if mode not in allowed:
        raise ValidationError(
            _("Unknown mode “%(mode)s”; use one of: %(modes)s.")
            % {"mode": mode, "modes": ", ".join(allowed)}
        )


def _fail(message: str, row: int | None = None, column: str = "") -> DatasetInvalid:
    report = ErrorReport(limit=error_limit())
    report.add(row, column, message)
    return DatasetInvalid(report)


def _check_size(file: IO[bytes] | File) -> None:
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, 2)
        size = file.tell()
        file.seek(0)
    if size > upload_max_bytes():
        raise _fail(
            _("The file is %(size)s MB; the limit is %(limit)s MB.")
            % {
                "size": f"{size / 1048576:.1f}",
                "limit": f"{upload_max_bytes() / 1048576:.0f}",
            }
        )
    if size == 0:
        raise _fail(_("The file is empty."))


def plan_for(resource: Resource) -> RowPlan:
    """Return the row plan of the resource's current data items."""
    return RowPlan.for_items(list(resource.items.order_by("position", "id")))


def _open_table(file: IO[bytes] | File, name: str) -> Table:
    try:
        return read_table(file, name)
    except FileUnreadable as exc:
        raise _fail(str(exc)) from exc


def _locked(resource: Resource) -> Resource:
    # Serialises writers of one resource, so version numbers and the active flag never race.
    return Resource.objects.select_for_update().get(pk=resource.pk)


def _active_version(resource: Resource) -> DatasetVersion | None:
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


def _activate(version: DatasetVersion, row_count: int) -> None:
    """Make the version the active one and drop versions beyond those kept."""
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


def _touch(resource: Resource) -> None:
    now = timezone.now()
    Resource.objects.filter(pk=resource.pk).update(data_updated_at=now)
    resource.data_updated_at = now


def _load_replace(
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
        raise _fail(_("The file has a header but no data rows."))
    _activate(version, count)
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


@transaction.atomic
def dataset_upload(
    *,
    actor: User | None,
    resource: Resource,
    file: IO[bytes] | File,
    mode: str = "replace",
    name: str | None = None,
    progress: Progress | None = None,
) -> DatasetVersion:
    """Store a CSV or XLSX file as the resource's data: a new version, or appended rows.

    Raises DatasetInvalid (a ValidationError with ``report``) and stores nothing if any row is
    bad.
    """
    _require_change(actor, resource)
    _require_mode(mode, UPLOAD_MODES)
    file_name = name or getattr(file, "name", "") or ""
    _check_size(file)
    caller_resource, resource = resource, _locked(resource)
    table = _open_table(file, file_name)
    plan = plan_for(resource)
    report = ErrorReport(limit=error_limit())
    positions = plan.header_errors(table.header, report)
    if positions is None:
        raise DatasetInvalid(report)
    with collector_paused():
        try:
            if mode == "replace":
                rows = plan.convert_rows(
                    table.rows, positions, report, width=len(table.header), progress=progress
                )
                version = _load_replace(
                    actor=actor,
                    resource=resource,
                    plan=plan,
                    rows=rows,
                    report=report,
                    source=DatasetVersion.Source.UPLOAD,
                    file_name=file_name,
                )
                added = version.row_count
            else:
                numbers: list[int] = []

                def numbered():
                    for number, cells in table.rows:
                        numbers.append(number)
                        yield number, cells

                valid = list(
                    plan.convert_rows(
                        numbered(), positions, report, width=len(table.header), progress=progress
                    )
                )
                version, added = _append(
                    actor=actor,
                    resource=resource,
                    plan=plan,
                    rows=valid,
                    numbers=numbers,
                    report=report,
                    source=DatasetVersion.Source.UPLOAD,
                    file_name=file_name,
                )
        except FileUnreadable as exc:
            report.add(None, "", str(exc))
            raise DatasetInvalid(report) from exc
    _touch(resource)
    caller_resource.data_updated_at = resource.data_updated_at
    record(
        actor=actor,
        action="data.upload",
        obj=resource,
        details={
            "version": version.number,
            "mode": mode,
            "rows": added,
            "file": file_name[:100],
            "encoding": table.encoding,
        },
    )
    return version


def _append(
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
        raise _fail(_("There are no data rows."))
    version = _active_version(resource)
    if version is not None and (
        version.columns != plan.columns or version.key_columns != plan.key_columns
    ):
        raise _fail(
            _("The data items changed since the current data was stored; replace it instead.")
        )
    if version is None:
        version = _version_new(
            actor=actor, resource=resource, plan=plan, source=source, file_name=file_name
        )
        _activate(version, 0)
    elif plan.key_positions:
        if len(numbers) != len(rows):  # pragma: no cover - convert_rows keeps every valid row
            raise AssertionError("row numbers out of step")
        _conflicts(plan, version, rows, numbers, report)
        if report:
            raise DatasetInvalid(report)
    added = rows_load(version_id=version.pk, rows=rows)
    version.row_count += added
    version.save(update_fields=["row_count", "updated_at"])
    return version, added


# --- API pushes ------------------------------------------------------------------------------


def _push_cells(
    plan: RowPlan, rows: Sequence[Any], report: ErrorReport
) -> list[tuple[int, list[Any]]]:
    """Return the pushed rows as cells in item order, reporting missing and unknown fields."""
    columns = plan.columns
    expected = set(columns)
    cells: list[tuple[int, list[Any]]] = []
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, Mapping):
            report.add(number, "", _("A row must be an object of item names and values."))
            continue
        missing = [name for name in columns if name not in row]
        extra = [str(name) for name in row if name not in expected]
        if missing:
            report.add(number, "", _("Missing items: %(names)s.") % {"names": "、".join(missing)})
        if extra:
            report.add(number, "", _("Unknown items: %(names)s.") % {"names": "、".join(extra)})
        if not missing and not extra:
            cells.append((number, [row[name] for name in columns]))
    return cells


def _batch_result(resource: Resource, batch_id: str) -> dict[str, Any] | None:
    batch = DatasetBatch.objects.filter(resource=resource, batch_id=batch_id).first()
    if batch is None:
        return None
    return {**batch.result, "replayed": True}


def dataset_push(
    *,
    actor: User | None,
    resource: Resource,
    rows: Sequence[Any],
    mode: str,
    batch_id: str,
) -> dict[str, Any]:
    """Store a batch of pushed rows: replace the data, append to it, or upsert by key.

    The same ``batch_id`` twice stores once; the second call returns the first call's result.
    """
    _require_change(actor, resource)
    _require_mode(mode, PUSH_MODES)
    batch_id = (batch_id or "").strip()
    if not batch_id or len(batch_id) > 100:
        raise ValidationError(_("Give a batch id of 1 to 100 characters."))
    if (replayed := _batch_result(resource, batch_id)) is not None:
        return replayed
    try:
        return _push(actor=actor, resource=resource, rows=rows, mode=mode, batch_id=batch_id)
    except IntegrityError:
        # A concurrent call with the same batch id committed first: answer with its result.
        if (replayed := _batch_result(resource, batch_id)) is not None:
            return replayed
        raise


@transaction.atomic
def _push(
    *, actor: User | None, resource: Resource, rows: Sequence[Any], mode: str, batch_id: str
) -> dict[str, Any]:
    resource = _locked(resource)
    if (replayed := _batch_result(resource, batch_id)) is not None:
        return replayed
    plan = plan_for(resource)
    report = ErrorReport(limit=error_limit())
    if not isinstance(rows, Sequence) or isinstance(rows, str | bytes) or not rows:
        raise _fail(_("There are no data rows."))
    if len(rows) > push_max_rows():
        raise _fail(
            _("A batch holds at most %(limit)d rows; split it.") % {"limit": push_max_rows()}
        )
    cells = _push_cells(plan, rows, report)
    numbers = [number for number, _cells in cells]
    width = len(plan.columns)
    identity = list(range(width))
    valid = list(plan.convert_rows(cells, identity, report, width=width))
    if report:
        raise DatasetInvalid(report)
    updated = 0
    if mode == "replace":
        version = _load_replace(
            actor=actor,
            resource=resource,
            plan=plan,
            rows=valid,
            report=report,
            source=DatasetVersion.Source.PUSH,
        )
        added = len(valid)
    elif mode == "append":
        version, added = _append(
            actor=actor,
            resource=resource,
            plan=plan,
            rows=valid,
            numbers=numbers,
            report=report,
            source=DatasetVersion.Source.PUSH,
        )
    else:
        if not plan.key_positions:
            raise _fail(_("Upsert needs key items; this resource has none."))
        active = _active_version(resource)
        if active is not None:
            keys = [key for key, _region, _values in valid]
            updated = rows_delete_keys(version_id=active.pk, keys=keys)  # type: ignore[arg-type]
            active.row_count -= updated
            active.save(update_fields=["row_count", "updated_at"])
        version, added = _append(
            actor=actor,
            resource=resource,
            plan=plan,
            rows=valid,
            numbers=numbers,
            report=report,
            source=DatasetVersion.Source.PUSH,
        )
        added -= updated
    result = {
        "batch_id": batch_id,
        "mode": mode,
        "version": version.number,
        "rows": len(valid),
        "inserted": added,
        "updated": updated,
        "row_count": version.row_count,
        "replayed": False,
    }
    DatasetBatch.objects.create(
        resource=resource, batch_id=batch_id, result=result, created_by=actor
    )
    _touch(resource)
    record(actor=actor, action="data.push", obj=resource, details=result)
    return result


# --- background imports ----------------------------------------------------------------------


@transaction.atomic
def import_job_create(
    *, actor: User | None, resource: Resource, file: File, mode: str = "replace"
) -> ImportJob:
    """Queue a file import for the task worker; return the job that shows its progress."""
    from .tasks import import_job_run_task

    _require_change(actor, resource)
    _require_mode(mode, UPLOAD_MODES)
    name = getattr(file, "name", "") or ""
    _check_size(file)
    if not name.lower().endswith((".csv", ".xlsx")):
        raise _fail(_("Upload a CSV or XLSX file."))
    job = ImportJob(
        resource=resource,
        mode=mode,
        file_name=name.rsplit("/", 1)[-1][:255],
        file_size=file.size or 0,
        created_by=actor,
    )
    job.file.save(job.file_name, file, save=False)
    job.save()
    record(
        actor=actor,
        action="data.import_queue",
        obj=resource,
        details={"job": job.pk, "file": job.file_name, "mode": mode},
    )
    job_id = job.pk
    # Queued after commit: the worker must find the job row and its file.
    transaction.on_commit(lambda: _enqueue(import_job_run_task, job_id))
    return job


def _enqueue(task, job_id: int) -> None:
    result = task.enqueue(job_id=job_id)
    ImportJob.objects.filter(pk=job_id, task_id="").update(task_id=str(result.id)[:64])


def _job_progress(job_id: int) -> Progress:
    def update(rows: int) -> None:
        ImportJob.objects.filter(pk=job_id).update(rows_processed=rows)

    return update


def import_job_run(*, job_id: int) -> ImportJob:
    """Run a queued import: validate with progress, then store in one transaction."""
    job = ImportJob.objects.select_related("resource", "created_by").get(pk=job_id)
    if job.is_finished:
        return job  # a retried task must not store twice
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.VALIDATING)
    try:
        with job.file.open("rb") as handle:
            # Pass 1 outside any transaction, so the progress counter is visible to the page.
            _validate_file(job, handle)
            ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.STORING)
            handle.seek(0)
            version = dataset_upload(
                actor=job.created_by,
                resource=job.resource,
                file=handle,
                mode=job.mode,
                name=job.file_name,
            )
    except DatasetInvalid as exc:
        return _job_finish(job, ImportJob.Status.FAILED, exc.report.as_dict())
    except (PermissionDenied, ValidationError) as exc:
        messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
        return _job_finish(job, ImportJob.Status.FAILED, _report_of(messages))
    except Exception:
        # Anything else (the database went away, the file vanished): the job must not stay
        # "storing" for ever; the worker logs the exception itself.
        _job_finish(job, ImportJob.Status.FAILED, _report_of([_("The import failed; try again.")]))
        raise
    job.version = version
    return _job_finish(job, ImportJob.Status.SUCCEEDED, None)


def _report_of(messages: list[str]) -> dict[str, Any]:
    return {
        "errors": [{"row": None, "column": "", "message": m} for m in messages],
        "total": len(messages),
        "omitted": 0,
    }


def _validate_file(job: ImportJob, handle: IO[bytes]) -> None:
    resource = job.resource
    if job.created_by is None:
        # The uploader's account was deleted: the job must not run with the system's rights.
        raise PermissionDenied(_("You may not change the data of this resource."))
    _require_change(job.created_by, resource)
    plan = plan_for(resource)
    table = _open_table(handle, job.file_name)
    report = ErrorReport(limit=error_limit())
    positions = plan.header_errors(table.header, report)
    if positions is None:
        raise DatasetInvalid(report)
    try:
        with collector_paused():
            for _row in plan.convert_rows(
                table.rows,
                positions,
                report,
                width=len(table.header),
                progress=_job_progress(job.pk),
            ):
                pass
    except FileUnreadable as exc:
        report.add(None, "", str(exc))
    if report:
        raise DatasetInvalid(report)


def _job_finish(job: ImportJob, status: str, report: dict[str, Any] | None) -> ImportJob:
    job.refresh_from_db(fields=["rows_processed"])
    job.status = status
    job.errors = report["errors"] if report else []
    job.error_count = report["total"] if report else 0
    job.finished_at = timezone.now()
    # The uploaded file may hold personal data: once the rows are stored (or refused) it has
    # served its purpose, and the dataset version is the record.
    if job.file:
        job.file.delete(save=False)
    job.save(update_fields=["status", "errors", "error_count", "finished_at", "version", "file"])
    if status == ImportJob.Status.FAILED:
        record(
            actor=job.created_by,
            action="data.upload",
            obj=job.resource,
            result="failure",
            details={"job": job.pk, "errors": job.error_count},
        )
    return job
