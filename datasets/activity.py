"""The data versions in a resource's activity (``catalog.activity``'s registry, filled in ready()).

A new data version is recorded as ``data.upload`` (a file) or ``data.push`` (the API) on the
resource; the activity shows its number and row count, never a value of the data.
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
