"""Who may deliver a resource's data.

Who may *read* it is the grants' rule (``sharing.policies.reading``); this app applies it.
"""

from __future__ import annotations

from accounts.models import User
from catalog.models import Resource
from catalog.policies import AnyUser, can_change_resource
from sharing.policies.reading import DataRead, data_read


def can_upload_data(user: AnyUser, resource: Resource) -> bool:
    """Return whether the user may deliver data for the resource: its editors, until retired."""
    return can_change_resource(user, resource) and resource.status != Resource.Status.RETIRED


def quality_view(user: AnyUser, resource: Resource, decision: DataRead | None = None) -> str:
    """Return how much of the resource's data quality the user sees: "details", "summary" or "".

    The provider department's users within the resource's level see every item's figures; any
    other reader of the data (unconditional, or a grant in force) within the level sees the
    summary (score, completeness, freshness); nobody else sees anything, whoever cannot see the
    entry least of all. The figures describe the data, so the entry's level bounds them even
    where the catalog scope shows the entry to users below it.

    ``decision`` is ``data_read(user, resource)`` when the caller has taken it already (the
    resource page decides once for its data section and this one); otherwise it is taken here.
    """
    if not isinstance(user, User):
        return ""
    if not (decision if decision is not None else data_read(user, resource)).allowed:
        return ""
    if resource.level > user.clearance:
        return ""
    if user.department_id is not None and user.department_id == resource.provider_id:
        return "details"
    return "summary"
