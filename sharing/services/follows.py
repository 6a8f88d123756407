"""Following a resource: a user's wish to be told when it is retired, changes or gets new data.

Like the request basket, a follow is the user's own reading list, not an act on the resource:
it leaves no audit event. What a follower is told is decided when a notice goes out
(``notifications.resource_audience_notify``), so a follower who lost sight of the resource is
told nothing.
"""

from __future__ import annotations

from django.db import transaction

from accounts.models import User
from catalog.models import Resource

from .. import policies
from ..models import Follow


@transaction.atomic
def resource_follow(*, actor: User, resource: Resource) -> Follow:
    """Start following a resource the actor may see; following it again changes nothing."""
    if not policies.can_follow_resource(actor, resource):
        raise Resource.DoesNotExist  # what the actor may not see does not exist
    follow, _created = Follow.objects.get_or_create(user=actor, resource=resource)
    return follow


@transaction.atomic
def resource_unfollow(*, actor: User, resource_id: int) -> None:
    """Stop following a resource (one the actor no longer sees too)."""
    Follow.objects.filter(user=actor, resource_id=resource_id).delete()
