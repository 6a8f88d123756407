"""``kernel.policies.require``: the system passes, a refused actor raises with the message."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from kernel.policies import require


def test_the_system_actor_passes_without_asking_the_predicate():
    def never(*args):
        raise AssertionError("the predicate must not be called for the system")

    require(None, never, object())


def test_an_actor_the_predicate_refuses_is_denied_with_the_message():
    seen = []

    def only_alice(actor, thing):
        seen.append((actor, thing))
        return actor == "alice"

    require("alice", only_alice, 1)
    with pytest.raises(PermissionDenied, match="not yours"):
        require("bob", only_alice, 2, message="not yours")
    assert seen == [("alice", 1), ("bob", 2)]
