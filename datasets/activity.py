"""The data versions in a resource's activity (``catalog.activity``'s registry, filled in ready()).

A new data version is recorded as ``data.upload`` (a file) or ``data.push`` (the API) on the
resource; the activity shows its number and row count, never a value of the data. A quality
drop (``data.quality_drop``, recorded by the task worker) shows its scores to insiders only.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from catalog.activity import ActivityText


def _rows(details: Mapping[str, Any]) -> Any:
    return details.get("row_count", details.get("rows", "—"))


def data_uploaded(details: Mapping[str, Any], insider: bool) -> ActivityText:
    """A file upload made a data version the one in use."""
    return ActivityText(
        _("Data version %(version)s in use, uploaded from a file: %(rows)s rows")
        % {"version": details.get("version", "—"), "rows": _rows(details)}
    )


def data_pushed(details: Mapping[str, Any], insider: bool) -> ActivityText:
    """Rows pushed through the API made a data version the one in use."""
    return ActivityText(
        _("Data version %(version)s in use, pushed through the API: %(rows)s rows")
        % {"version": details.get("version", "—"), "rows": _rows(details)}
    )


def data_quality_dropped(details: Mapping[str, Any], insider: bool) -> ActivityText:
    """The quality profile of the data in use fell below the previous version's.

    The scores and the items are quality figures, which only readers of the data may see
    (``datasets.policies.quality_view``); the activity is for whoever sees the entry, so the
    figures go to insiders (the provider and the coordinator) only.
    """
    version = details.get("version", "—")
    if not insider:
        return ActivityText(
            _("Data quality of version %(version)s fell below the previous version")
            % {"version": version}
        )
    items = details.get("items") or []
    lines = (
        [_("Items less complete: %(items)s") % {"items": "、".join(map(str, items))}]
        if items
        else []
    )
    return ActivityText(
        _("Data quality of version %(version)s fell: score %(score)s (was %(previous)s)")
        % {
            "version": version,
            "score": details.get("score", "—"),
            "previous": details.get("previous_score", "—"),
        },
        lines,
    )
