"""Fuzz every operation of the live schema as every role: no server error, no broken contract.

The schema is loaded from the running WSGI application, so what is tested is what is served.
Each generated request is sent once with a token of each role; ids are drawn both at random and
from the objects that exist, so real objects (visible to some roles, hidden from others) are hit.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.config import PositiveDataAcceptanceConfig
from schemathesis.generation import GenerationMode
from schemathesis.generation.drivers import CoverageGenerator
from schemathesis.generation.feedback import FeedbackSources
from schemathesis.generation.meta import CoverageScenario
from schemathesis.generation.overrides import Override
from schemathesis.generation.stateful.state_machine import normalize_name
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ensure_resource_availability,
    ignored_auth,
    missing_required_header,
    negative_data_rejection,
    positive_data_acceptance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
    use_after_free,
)

from accounts.models import Department, User
from catalog.models import Category, InformationSystem
from sharing.models import Correction, Grant, Notification, ShareRequest
from sharing.services import correction_file

from .. import builders, sampling
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
# Every check of schemathesis 4 that judges one answer. missing_required_header and
# unsupported_method judge only the cases of schemathesis's coverage phase (a request without a
# required header, a method the path does not declare): test_coverage_probes_as_every_role.
#
# positive_data_acceptance on reads and writes alike: every query the schema allows is answered
# (an id filter naming no object is an empty page), and a body the schema allows is never a 400:
# an object it names that does not exist is a 404, a state that does not allow the action a
# 409, a rule the schema cannot state a 422 (schemathesis.toml, the statuses it expects).
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
    negative_data_rejection,
    positive_data_acceptance,
    missing_required_header,
    unsupported_method,
]
# The statuses a schema-valid request may answer, from the file `make contract` reads too.
SCHEMATHESIS_TOML = Path(__file__).resolve().parents[2] / "schemathesis.toml"
ACCEPTED_STATUSES = tomllib.loads(SCHEMATHESIS_TOML.read_text())["checks"][
    "positive_data_acceptance"
]["expected-statuses"]
# ignored_auth re-sends the request without a token and with a wrong one: once per operation
# (on its first 2xx) is enough to show the operation checks the token, and keeps CI fast.
ONCE_PER_OPERATION = [ignored_auth]
STATEFUL_CHECKS = [*CHECKS, use_after_free, ensure_resource_availability]
# Per operation; a sample of them without --full (tests/sampling.py).
MAX_EXAMPLES = examples(12)


def _schema():
    """Return the served schema, with the statuses a schema-valid request may answer."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", WSGIHandler())
    schema.config.checks.positive_data_acceptance = PositiveDataAcceptanceConfig(
        expected_statuses=ACCEPTED_STATUSES
    )
    return schema


def test_a_schema_valid_request_is_never_refused_as_malformed():
    """The contract of docs/api.md: 400 only for what the schema refuses, on reads and writes."""
    assert positive_data_acceptance in CHECKS
    assert sorted(ACCEPTED_STATUSES) == ["2xx", "401", "403", "404", "409", "422", "429"]


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


_UPSTREAM: list[Any] = []


@pytest.fixture(scope="module", autouse=True)
def _upstream_stopped() -> Iterator[None]:
    """Stop the upstream started for the known interface when the module's tests are done."""
    yield
    while _UPSTREAM:
        context, _state = _UPSTREAM.pop()
        context.__exit__(None, None, None)


def _interface(matrix) -> Any:
    """A published interface of a matrix resource, on a real upstream on 127.0.0.1 (started
    once for the process), so that calls reach a system that answers."""
    from exchange.models import EgressNetwork
    from exchange.services.interfaces import (
        ParameterSpec,
        interface_publish,
        interface_register,
        interface_submit,
    )
    from tests.exchange.upstream import running

    if not _UPSTREAM:
        context = running()
        _UPSTREAM.append((context, context.__enter__()))
    upstream = _UPSTREAM[0][1]
    EgressNetwork.objects.get_or_create(cidr="127.0.0.0/8")
    resource = matrix.resources["pub_cond_3"]
    items = {i.name: i.pk for i in resource.items.all()}
    interface = interface_register(
        actor=None,
        resource=resource,
        name="lookup",
        base_url=upstream.url(),
        method="GET",
        parameters=[
            ParameterSpec(items["编号"], "input", "bh"),
            ParameterSpec(items["编号"], "output", "bh"),
            ParameterSpec(items["名称"], "output", "xm"),
        ],
    )
    interface_submit(actor=None, interface=interface)
    return interface_publish(actor=None, interface=interface)


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
    from accountability.services import item_link_create

    left, right = matrix.resources["pub_cond_3"], matrix.resources["other_cond_2"]
    link = item_link_create(
        actor=User.objects.get(pk=matrix.users["coordinator_4"].pk),
        left_key=left.items.get(name="编号"),
        left_item=left.items.get(name="名称"),
        right_key=right.items.get(name="编号"),
        right_item=right.items.get(name="名称"),
        authoritative="left",
    )
    from exchange.models import EgressNetwork
    from webhooks.services import subscription_create

    EgressNetwork.objects.get_or_create(cidr="127.0.0.0/8")
    subscription, _secret = subscription_create(
        actor=User.objects.get(pk=matrix.users["prov_admin_3"].pk),
        target_url="http://127.0.0.1:9/hook",
        kinds=["grant.created"],
    )
    interface = _interface(matrix)
    return {
        "interfaces": [interface.pk],
        "conflicts": [link.pk],
        "needs": [need.pk],
        "webhooks": [subscription.pk],
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
    schema = _schema()
    known = _known_ids(matrix)
    headers = {role: {"Authorization": f"Token {keys[user]}"} for role, user in ROLE_USERS.items()}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 37
    seen_statuses: set[int] = set()
    auth_checked: set[str] = set()

    for operation in operations:
        strategies = [operation.as_strategy(generation_mode=mode) for mode in GenerationMode]
        if "{id}" in operation.path:
            collection = operation.path.split("/")[3]
            strategies += [
                st.sampled_from(known[collection]).flatmap(
                    lambda pk, op=operation, mode=mode: op.as_strategy(
                        generation_mode=mode, path_parameters={"id": str(pk)}
                    )
                )
                for mode in GenerationMode
            ]
        strategy = st.one_of(strategies)

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
                checks = CHECKS
                if response.status_code < 300 and case.operation.label not in auth_checked:
                    auth_checked.add(case.operation.label)
                    checks = CHECKS + ONCE_PER_OPERATION
                case.validate_response(response, checks=checks, headers=role_headers)

        run()

    # The fuzzing reached real objects and real refusals, not only 404s and 400s.
    assert {200, 400, 404} <= seen_statuses


# The coverage phase's request-shape probes: an undeclared method (405 with Allow), a missing or
# repeated parameter, a wrong or malformed media type, and the one default positive request.
COVERAGE_SCENARIOS = frozenset(
    {
        CoverageScenario.UNSPECIFIED_HTTP_METHOD,
        CoverageScenario.MISSING_PARAMETER,
        CoverageScenario.DUPLICATE_PARAMETER,
        CoverageScenario.MALFORMED_CONTENT_TYPE,
        CoverageScenario.UNSUPPORTED_CONTENT_TYPE,
        CoverageScenario.DEFAULT_POSITIVE_TEST,
    }
)


# The probes are of the request's shape (methods, media types, missing or repeated parameters),
# which the database does not change: CI's SQLite run sends them, its PostgreSQL run spends the
# time elsewhere (``--full`` sends them on both).
@pytest.mark.skipif(
    connection.vendor != "sqlite" and not sampling.FULL,
    reason="the shape probes run on SQLite (and everywhere under --full)",
)
def test_coverage_probes_as_every_role(matrix, keys, same_connection, settings):
    """schemathesis's coverage phase, its probes of the request's shape, with every check.

    Each operation's probes go to a real object's id (so an undeclared method reaches the view
    and is a 405, not a 404 for a drawn id), each as the next role in turn: every role sends
    probes, every probe is sent once.
    """
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api": "100000/min"},
    }
    schema = _schema()
    known = _known_ids(matrix)
    headers = [{"Authorization": f"Token {keys[user]}"} for user in ROLE_USERS.values()]
    sent: list[tuple[str, str, int]] = []
    for operation in (result.ok() for result in schema.get_all_operations()):
        path_parameters = {}
        if "{id}" in operation.path:
            path_parameters = {"id": str(known[operation.path.split("/")[3]][0])}
        generator = CoverageGenerator(
            operation=operation,
            generation_modes=list(GenerationMode),
            generation_config=schema.config.generation_for(operation=operation, phase="coverage"),
            auth_storage=None,
            override=Override(path_parameters=path_parameters),
            feedback=FeedbackSources(),
        )
        for case in generator:
            if case.meta is None or case.meta.phase.data.scenario not in COVERAGE_SCENARIOS:
                continue
            role_headers = headers[len(sent) % len(headers)]
            response = case.call(headers=role_headers)
            sent.append((case.meta.phase.data.scenario, case.method, response.status_code))
            case.validate_response(response, checks=CHECKS, headers=role_headers)

    scenarios = {scenario for scenario, _method, _status in sent}
    assert {CoverageScenario.UNSPECIFIED_HTTP_METHOD, CoverageScenario.DEFAULT_POSITIVE_TEST} <= (
        scenarios
    )
    # Undeclared methods reached the views and were refused as such.
    assert any(
        scenario == CoverageScenario.UNSPECIFIED_HTTP_METHOD and status == 405
        for scenario, _method, status in sent
    )


# --- Stateful: create → read → act, chained by the schema's links (kernel/api/links.py) ---

# Who does each linked step in the journey machine: the role that may, so the chains go on past
# the create (a staff member asks, the provider's approver decides, …). Others act as staff.
JOURNEY_ROLES = {
    "share_requests_approve": "approver",
    "share_requests_reject": "approver",
    "share_requests_request_changes": "approver",
    "grants_list": "approver",
    "grants_retrieve": "approver",
    "grants_revoke": "approver",
    "needs_claim": "coordinator",
    "needs_route": "coordinator",
    "needs_register": "editor",
    "needs_link": "editor",
    "needs_refuse": "approver",
    "corrections_answer": "editor",
    **{
        f"resources_{name}": "editor"
        for name in (
            "create",
            "retrieve",
            "update",
            "partial_update",
            "submit",
            "rows_push",
            "rows_list",
            "versions",
            "activity",
        )
    },
    **{
        f"resources_{name}": "approver"
        for name in ("verify", "publish", "return", "retire", "scope", "confirm_not_personal")
    },
}
# Scenarios per role and for the journey (more under --full), each of up to STATEFUL_STEPS steps.
STATEFUL_SCENARIOS = examples(12)
JOURNEY_SCENARIOS = examples(40)
STATEFUL_STEPS = 10  # steps per scenario (more under --full)


REQUESTABLE = ("pub_cond_2", "pub_cond_1", "pub_cond_4")


def _seed(case, matrix) -> None:
    """Put ids of real objects where a create's body names another object.

    A drawn id hardly ever exists, so every create would be a 404 and no chain would start.
    """
    body = case.body
    if not isinstance(body, dict):
        return
    op = case.operation.label
    if op == "POST /api/v1/share-requests/":
        # Resources the consumer holds no grant in force on (pub_cond_2's expired, pub_cond_4's
        # was revoked), in turn: while one is asked for, asking again is a 409.
        _seed.turn = getattr(_seed, "turn", -1) + 1  # type: ignore[attr-defined]
        key = REQUESTABLE[_seed.turn % len(REQUESTABLE)]  # type: ignore[attr-defined]
        body["resources"] = [matrix.resources[key].pk]
        body.pop("items", None)
        body["valid_from"] = str(timezone.localdate())
        body["valid_until"] = str(timezone.localdate() + timedelta(days=365))
    elif op == "POST /api/v1/corrections/":
        body["resource"] = matrix.resources["pub_cond_3"].pk  # granted to the consumer
        body.pop("item", None)
    elif op == "POST /api/v1/needs/":
        body.pop("suggested_provider", None)
    elif op == "POST /api/v1/resources/":
        body["category"] = (
            Category.objects.filter(depth__gte=Category.Depth.ITEM)
            .values_list("pk", flat=True)
            .first()
        )
        body.pop("source_system", None)
        # What no schema can say: item names are unique within a resource, and an item whose
        # name or values say personal data must be tagged so. Drawn lists break either often
        # enough that a chain may never start; one plain item starts it every time.
        body["items"] = [{"name": "统一社会信用代码", "data_type": "C", "length": 18}]


def _stateful_machine(schema, matrix, headers_for, steps):
    """Return the schema's state machine, acting with ``headers_for(case)``, with every check."""
    base = schema.as_state_machine()
    # A scenario starts at a create (or a list): an action on a drawn id is a 404 that tells
    # nothing the stateless test does not, and would spend the steps the chains need.
    dropped = {
        normalize_name(f"RANDOM -> {label}"): None for label in base._root_labels if "{" in label
    }

    class Machine(base):  # type: ignore[misc,valid-type]
        root_rules = base.root_rules - set(dropped)
        locals().update(dropped)

        def before_call(self, case) -> None:
            _seed(case, matrix)

        def get_call_kwargs(self, case) -> dict:
            return {"headers": headers_for(case)}

        def validate_response(self, response, case, additional_checks=None, **kwargs) -> None:
            steps.append((case.operation.label, response.status_code))
            case.validate_response(
                response,
                checks=STATEFUL_CHECKS,
                headers=kwargs.get("headers"),
                transport_kwargs=kwargs,
                recorder=self.recorder,
            )

    return Machine


def _run(machine, scenarios: int) -> None:
    machine.run(
        settings=hypothesis_settings(
            max_examples=scenarios,
            stateful_step_count=STATEFUL_STEPS,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
    )


def test_stateful_links_as_every_role(matrix, keys, same_connection, settings):
    """Chain create → read → act along the schema's links, as each role and as a journey.

    Each role runs its own scenarios with its own token (what it may not do is a 403 or 404 in
    the contract); the journey gives each linked step to the role that may do it, so a request
    made by a consumer's staff member is decided by the provider's approver, its grant read and
    revoked. Every answer passes every check, the stateful ones included (a created object
    must be readable through its links: ensure_resource_availability; use_after_free).
    """
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api": "100000/min"},
    }
    schema = _schema()
    # Only the links the schema declares: the chains are the documented flows.
    schema.config.phases.stateful.inference.algorithms = []
    # Positive data: the chains need creates that succeed (the seeded ids would otherwise turn
    # a negative body valid); the stateless test sends the negative data.
    schema.config.phases.stateful.generation.modes = [GenerationMode.POSITIVE]
    _known_ids(matrix)
    headers = {name: {"Authorization": f"Token {keys[user]}"} for name, user in ROLE_USERS.items()}
    steps: dict[str, list[tuple[str, int]]] = {}

    def journey_headers(case) -> dict[str, str]:
        operation_id = case.operation.definition.raw.get("operationId", "")
        return headers[JOURNEY_ROLES.get(operation_id, "staff")]

    # The journey first: the roles' requests would leave the seeded resource already asked for.
    steps["journey"] = []
    _run(_stateful_machine(schema, matrix, journey_headers, steps["journey"]), JOURNEY_SCENARIOS)
    for role, role_headers in headers.items():
        steps[role] = []
        _run(
            _stateful_machine(schema, matrix, lambda case, h=role_headers: h, steps[role]),
            STATEFUL_SCENARIOS,
        )

    for role, taken in steps.items():
        assert len(taken) >= STATEFUL_SCENARIOS, role
    # The chains went past the create: objects made in the run were read or acted on (which
    # link a chain follows is hypothesis's draw, so not which step).
    succeeded = {label for label, code in steps["journey"] + steps["staff"] if code < 300}
    assert {"POST /api/v1/share-requests/", "POST /api/v1/needs/"} <= succeeded, sorted(succeeded)
    for collection in ("share-requests", "needs"):
        assert any(
            label.startswith(f"GET /api/v1/{collection}/{{id}}/")
            or label.startswith(f"POST /api/v1/{collection}/{{id}}/")
            for label in succeeded
        ), (collection, sorted(succeeded))
    # A draft made in the run was acted on through the links.
    made = steps["editor"] + steps["journey"]
    assert ("POST /api/v1/resources/", 201) in made
    assert any(label.startswith("POST /api/v1/resources/{id}/") for label, _ in made)
    # Links led the staff member to actions that are not theirs, and they were refused.
    assert any("{id}" in label and code == 403 for label, code in steps["staff"])
