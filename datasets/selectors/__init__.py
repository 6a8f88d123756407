"""Reads of dataset rows: queries, exports, verification, and who read a provider's data.

Every function starts from the access policy: a user who may not read the resource's data gets
Http404 (it does not exist for them). The columns they get are the readable items
(``sharing.policies.readable_items``: granted, within clearance); personal items are masked unless the
user's department provides the resource or its grant lists the item as clear; a grant's row scope
keeps only rows whose region code starts with the scope. Every read is written to the audit trail.

By concern: ``access`` (who may read what: items, grant, active version), ``rows`` (pages, key
lookups, chunks for exports, verification) and ``history`` (reads of the data, versions, import
jobs, freshness). Callers import from this package.
"""

from __future__ import annotations

from .access import (
    Access,
    DataAccess,
    Projection,
    data_access,
    data_access_state,
    projection_for,
    resource_items_readable,
    resources_readable_by,
)
from .history import (
    CYCLE_DAYS,
    Freshness,
    data_reads_of,
    dataset_freshness,
    dataset_versions_of,
    import_job_get,
)
from .quality import QualityView, resource_quality_for
from .rows import (
    RowPage,
    RowsExport,
    dataset_rows_export,
    dataset_rows_for,
    dataset_verify,
    page_max,
    read_record,
)

__all__ = [
    "CYCLE_DAYS",
    "Access",
    "DataAccess",
    "Freshness",
    "Projection",
    "QualityView",
    "RowPage",
    "RowsExport",
    "data_access",
    "data_access_state",
    "data_reads_of",
    "dataset_freshness",
    "dataset_rows_export",
    "dataset_rows_for",
    "dataset_verify",
    "dataset_versions_of",
    "import_job_get",
    "page_max",
    "projection_for",
    "read_record",
    "resource_items_readable",
    "resource_quality_for",
    "resources_readable_by",
]
