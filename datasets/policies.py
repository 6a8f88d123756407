"""Who may deliver a resource's data.

Who may *read* it is the grants' rule (``sharing.policies.reading``); this app applies it.
"""

from __future__ import annotations

from catalog.models import Resource
from catalog.policies import AnyUser, can_change_resource


def can_upload_data(user: AnyUser, resource: Resource) -> bool:
    """Return whether the user may deliver data for the resource: its editors, until retired."""
    return can_change_resource(user, resource) and resource.status != Resource.Status.RETIRED
