"""Fuzz every operation of the live schema as every role: no server error, no broken contract.

The schema is loaded from the running WSGI application, so what is tested is what is served.
Each generated request is sent once with a token of each role; ids are drawn both at random and
from the objects that exist, so real objects (visible to some roles, hidden from others) are hit.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.models import Department, User
from catalog.models import Category, InformationSystem
from sharing.models import Correction, Grant, Notification, ShareRequest
from sharing.services import correction_file

from .. import builders
from ..sampling import examples
from .sharing_matrix import build_requests

pytestmark = pytest.mark.django_db

# One account per role in the matrix (and one with no department).
ROLE_USERS = {
    "staff": "cons_staff_3",
    "editor": "prov_editor_4",
    "approver": "prov_approver_4",
    "department_admin": "prov_admin_3",
    "coordinator": "coordinator_4",
    "audit_admin": "auditor_2",
    "no_department": "nodept_4",
}
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# Per operation; a sample of them without --full (tests/sampling.py).
MAX_EXAMPLES = examples(12)


@pytest.fixture
def same_connection() -> Iterator[None]:
    """Keep the test's database connection open across requests, as Django's test client does.

    The WSGI handler would otherwise close it at the end of each request, inside the test's
    transaction.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _known_ids(matrix) -> dict[str, list[int]]:
    builders.system(matrix.departments["prov"], "系统")
    build_requests(matrix)  # requests in every state, their notifications
    correction_file(
        actor=User.objects.get(pk=matrix.users["cons_staff_3"].pk),
        resource=matrix.resources["pub_cond_3"],
        description="数据有误",
    )
    from needs.services import need_file

    need = need_file(
        actor=User.objects.get(pk=matrix.users["cons_staff_3"].pk),
        title="企业纳税信用等级",
        description="审批时核验企业纳税信用",
        data_items=["统一社会信用代码"],
        legal_basis="《优化营商环境条例》",
        purpose="verification",
        business="企业资质审批",
    )
    return {
        "needs": [need.pk],
        "resources": [r.pk for r in matrix.resources.values()],
        "grants": list(Grant.objects.values_list("pk", flat=True)),
        "departments": list(Department.objects.values_list("pk", flat=True)),
        "categories": list(Category.objects.values_list("pk", flat=True)[:20]),
        "systems": list(InformationSystem.objects.values_list("pk", flat=True)),
        "share-requests": list(ShareRequest.objects.values_list("pk", flat=True)),
        "corrections": list(Correction.objects.values_list("pk", flat=True)),
        "notifications": list(Notification.objects.values_list("pk", flat=True)),
    }


def test_every_operation_as_every_role(matrix, keys, same_connection, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api": "100000/min"},
    }
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", WSGIHandler())
    known = _known_ids(matrix)
    headers = {role: {"Authorization": f"Token {keys[user]}"} for role, user in ROLE_USERS.items()}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 37
    seen_statuses: set[int] = set()

    for operation in operations:
        strategy = operation.as_strategy()
        if "{id}" in operation.path:
            collection = operation.path.split("/")[3]
            strategy = st.one_of(
                strategy,
                st.sampled_from(known[collection]).flatmap(
                    lambda pk, op=operation: op.as_strategy(path_parameters={"id": str(pk)})
                ),
            )

        @hypothesis_settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=strategy)
        def run(case) -> None:
            for role_headers in headers.values():
                response = case.call(headers=role_headers)
                seen_statuses.add(response.status_code)
                case.validate_response(response, checks=CHECKS, headers=role_headers)

        run()

    # The fuzzing reached real objects and real refusals, not only 404s and 400s.
    assert {200, 400, 404} <= seen_statuses
