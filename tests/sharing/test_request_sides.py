"""A department's requests, made and received, are its sides of the request policy.

``requests_made_q`` and ``requests_received_q`` (the request lists, the navigation's "returned"
badge, "My work") are ``requests_visible_q`` narrowed to the requesting and to the providing
department, for every user of the access matrix; a request awaiting its own department's
sign-off is not yet received.
"""

from __future__ import annotations

import pytest

from sharing import policies
from sharing.models import RequestStatus, ShareRequest

pytestmark = pytest.mark.django_db


def test_each_side_is_the_visible_requests_of_that_department(world):
    # One request still awaiting its department's sign-off: visible to its requester only.
    held = world.requests["r_other_2"]
    ShareRequest.objects.filter(pk=held.pk).update(status=RequestStatus.SIGNOFF)
    seen_made = seen_received = False
    for key in world.matrix.users:
        user = world.user(key)
        visible = ShareRequest.objects.filter(policies.requests_visible_q(user))
        made = set(ShareRequest.objects.filter(policies.requests_made_q(user)))
        received = set(ShareRequest.objects.filter(policies.requests_received_q(user)))
        assert made == set(visible.filter(requester_department_id=user.department_id)), key
        assert received == set(visible.filter(provider_id=user.department_id)), key
        seen_made |= bool(made)
        seen_received |= bool(received)
        if user.department_id == held.provider_id:
            assert held not in received, key
    assert seen_made and seen_received  # the cases are not vacuous
