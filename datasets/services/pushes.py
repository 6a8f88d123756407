"""API pushes: rows sent by the provider's system, replaced, appended or upserted by key."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import User
from audit.services import record
from catalog.models import Resource

from ..models import DatasetBatch, DatasetVersion
from ..storage import rows_delete_keys
from ..validation import DatasetInvalid, ErrorReport, RowPlan, error_limit
from .versions import (
    PUSH_MODES,
    active_version,
    append_rows,
    fail,
    load_replace,
    locked,
    plan_for,
    push_max_rows,
    require_change,
    require_mode,
    touch_resource,
)


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
    require_change(actor, resource)
    require_mode(mode, PUSH_MODES)
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
    resource = locked(resource)
    if (replayed := _batch_result(resource, batch_id)) is not None:
        return replayed
    plan = plan_for(resource)
    report = ErrorReport(limit=error_limit())
    if not isinstance(rows, Sequence) or isinstance(rows, str | bytes) or not rows:
        raise fail(_("There are no data rows."))
    if len(rows) > push_max_rows():
        raise fail(
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
        version = load_replace(
            actor=actor,
            resource=resource,
            plan=plan,
            rows=valid,
            report=report,
            source=DatasetVersion.Source.PUSH,
        )
        added = len(valid)
    elif mode == "append":
        version, added = append_rows(
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
            raise fail(_("Upsert needs key items; this resource has none."))
        active = active_version(resource)
        if active is not None:
            keys = [key for key, _region, _values in valid]
            updated = rows_delete_keys(version_id=active.pk, keys=keys)  # type: ignore[arg-type]
            active.row_count -= updated
            active.save(update_fields=["row_count", "updated_at"])
        version, added = append_rows(
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
    touch_resource(resource)
    record(actor=actor, action="data.push", obj=resource, details=result)
    return result
