"""File uploads: a whole file validated, then stored as a new version or appended."""

from __future__ import annotations

from typing import IO

from django.core.files import File
from django.db import transaction

from accounts.models import User
from audit.services import record
from catalog.models import Resource

from ..models import DatasetVersion
from ..readers import FileUnreadable, Table
from ..storage import collector_paused
from ..validation import DatasetInvalid, ErrorReport, error_limit
from .versions import (
    UPLOAD_MODES,
    Progress,
    append_rows,
    check_size,
    load_replace,
    locked,
    open_table,
    plan_for,
    require_change,
    require_mode,
    touch_resource,
)


@transaction.atomic
def dataset_upload(
    *,
    actor: User | None,
    resource: Resource,
    file: IO[bytes] | File,
    mode: str = "replace",
    name: str | None = None,
    progress: Progress | None = None,
    table: Table | None = None,
) -> DatasetVersion:
    """Store a CSV or XLSX file as the resource's data: a new version, or appended rows.

    Raises DatasetInvalid (a ValidationError with ``report``) and stores nothing if any row is
    bad. ``table`` is the file already parsed (the task worker parses it under limits).
    """
    require_change(actor, resource)
    require_mode(mode, UPLOAD_MODES)
    file_name = name or getattr(file, "name", "") or ""
    check_size(file)
    caller_resource, resource = resource, locked(resource)
    if table is None:
        table = open_table(file, file_name)
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
                version = load_replace(
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
                version, added = append_rows(
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
    touch_resource(resource)
    caller_resource.data_updated_at = resource.data_updated_at
    record(
        actor=actor,
        action="data.upload",
        obj=resource,
        details={
            "version": version.number,
            "mode": mode,
            "rows": added,
            "row_count": version.row_count,
            "file": file_name[:100],
            "encoding": table.encoding,
        },
    )
    return version
