"""Share requests on top of the access matrix, and the specification of who sees them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
from django.utils import timezone

from accounts.models import Role, User
from sharing import services
from sharing.models import ShareRequest
from tests.access_matrix import AccessMatrix


def terms(**overrides) -> dict:
    """Return valid request terms: legal basis, purpose, scenario and a period from today."""
    today = timezone.localdate()
    values = {
        "legal_basis": "《政务数据共享条例》第十条",
        "purpose": "administrative",
        "scenario": "企业开办一件事联办",
        "valid_from": today,
        "valid_until": today + timedelta(days=90),
    }
    values.update(overrides)
    return values


def submit(user: User, *resources, **overrides) -> list[ShareRequest]:
    """Put resources in the user's basket and submit it."""
    for resource in resources:
        services.basket_add(actor=user, resource=resource)
    return services.share_requests_submit(actor=user, **terms(**overrides))


# key -> (requesting user, resources). All go straight to the provider (no sign-off configured).
REQUESTS = {
    "r_cons_1": ("cons_staff_3", ["pub_cond_1"]),
    "r_cons_4": ("cons_staff_4", ["pub_cond_4"]),
    "r_other_2": ("other_staff_3", ["pub_cond_2"]),
}


@dataclass
class World:
    matrix: AccessMatrix
    requests: dict[str, ShareRequest] = field(default_factory=dict)

    def user(self, key: str) -> User:
        return User.objects.get(pk=self.matrix.users[key].pk)

    # --- the specification, written from the brief, independent of sharing.policies ---------

    def _parties(self, request_key: str) -> tuple[str, str]:
        user_key, _resources = REQUESTS[request_key]
        return self.matrix.user_specs[user_key].department or "", "prov"

    def expect_view(self, user_key: str, request_key: str) -> bool:
        spec = self.matrix.user_specs[user_key]
        resources = REQUESTS[request_key][1]
        # Nobody sees a request naming an entry whose catalog scope does not admit them.
        if not all(self.matrix.expect_in_scope(user_key, r) for r in resources):
            return False
        if Role.COORDINATOR in spec.roles or spec.department in self._parties(request_key):
            return True
        return all(self.matrix.expect_decide(user_key, r) for r in REQUESTS[request_key][1])

    def expect_decide(self, user_key: str, request_key: str) -> bool:
        spec = self.matrix.user_specs[user_key]
        if spec.department == self._parties(request_key)[0]:
            return False
        return all(self.matrix.expect_decide(user_key, r) for r in REQUESTS[request_key][1])


@pytest.fixture
def world(matrix: AccessMatrix) -> World:
    built = World(matrix)
    for key, (user_key, resource_keys) in REQUESTS.items():
        (created,) = submit(built.user(user_key), *(matrix.resources[r] for r in resource_keys))
        built.requests[key] = created
    return built


@pytest.fixture
def today() -> date:
    return timezone.localdate()


MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.fixture
def client(client):
    """Return the test client whose force_login uses the backend that can load users.

    The first configured backend (portal.backends.PolicyBackend) answers permissions only and
    has no ``get_user``, so a session made by a bare ``force_login`` would not authenticate.
    A real sign-in goes through ModelBackend, like this.
    """
    plain = client.force_login
    client.force_login = lambda user, backend=MODEL_BACKEND: plain(user, backend=backend)
    return client
