"""The broker's per-call work: a fixed number of queries, the allowlist kept a few seconds per
process (and forgotten at once on a change made here), the rate and the circuit in one cache
round trip with Redis, and nothing else kept: a revoked grant stops the very next call."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from audit.models import AuditEvent
from audit.verify import chain_verify
from exchange import egress, limits, selectors
from exchange.models import EgressNetwork, InterfaceDailyStat, InterfaceParameter
from sharing.models import Grant
from sharing.services import grant_revoke
from tests import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def kept(settings):
    """The allowlist kept as in production (5 s), this process's copy forgotten around the test."""
    settings.PORTAL_EXCHANGE_ALLOWLIST_SECONDS = 5
    egress.allowlist_forget()
    yield
    egress.allowlist_forget()


def client_of(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {builders.api_key(user)}")
    return client


def _url(world) -> str:
    return f"/api/v1/interfaces/{world.interface.pk}/call/"


def test_a_call_costs_a_fixed_number_of_queries(world, kept):
    client = client_of(world.reader)
    assert client.post(_url(world), {"编号": "A001"}, format="json").status_code == 200
    with CaptureQueriesContext(connection) as captured:
        assert client.post(_url(world), {"编号": "A001"}, format="json").status_code == 200
    statements = [_statement(q["sql"]) for q in captured.captured_queries]
    if connection.vendor == "postgresql":
        # Every query of a call is keyed: the call keeps its plans (kernel.db.generic_plans).
        sql = [q["sql"] for q in captured.captured_queries]
        assert (sql[0], sql[-1]) == (
            "SET plan_cache_mode = force_generic_plan",
            "RESET plan_cache_mode",
        )
        statements = statements[1:-1]
    # The token; the interface with its entry and parameters (one query); the grant and the
    # readable items (the rows' decision; no stored version: a call reads none); then the
    # day's figures and the audit event in one transaction (here the test's savepoint), no
    # savepoint of the service's own. The allowlist is this process's copy.
    assert statements[:4] == [
        "SELECT accounts_apitoken",
        "SELECT exchange_interfaceparameter",
        "SELECT sharing_grant",
        "SELECT catalog_dataitem",
    ]
    if connection.vendor == "postgresql":
        assert statements[4:] == [
            "SAVEPOINT",
            "UPDATE exchange_interfacedailystat",
            "SELECT audit_append",
            "RELEASE",
        ]
    else:  # SQLite appends in Python, in a savepoint of its own: the chain's head, the event
        assert statements[4:] == [
            "SAVEPOINT",
            "UPDATE exchange_interfacedailystat",
            "SAVEPOINT",
            "SELECT audit_auditevent",
            "INSERT audit_auditevent",
            "RELEASE",
            "RELEASE",
        ]


def _statement(sql: str) -> str:
    """Return a statement's verb and its table (``audit_append`` for the function)."""
    verb = sql.split(" ", 1)[0]
    if "audit_append(" in sql:
        return "SELECT audit_append"
    # The table of a SELECT's first column (a subquery's FROM may come before the main one).
    found = re.match(r'SELECT (?:DISTINCT )?"(\w+)"\.', sql) or re.search(
        r'(?:FROM|UPDATE|INTO) "(\w+)"', sql
    )
    return f"{verb} {found.group(1)}" if found else verb


def test_figures_and_the_event_still_count_every_call(world, kept):
    client = client_of(world.reader)
    for _n in range(3):
        assert client.post(_url(world), {"编号": "A001"}, format="json").status_code == 200
    row = InterfaceDailyStat.objects.get(interface=world.interface, department=world.consumer)
    assert row.calls == 3 and row.lat_0 + row.lat_1 + row.lat_2 + row.lat_3 >= 1
    assert AuditEvent.objects.filter(action="interface.call").count() == 3
    assert chain_verify().ok


def test_a_revoked_grant_stops_the_very_next_call(world, kept):
    client = client_of(world.reader)
    assert client.post(_url(world), {}, format="json").status_code == 200
    grant_revoke(actor=None, grant=Grant.objects.get(department=world.consumer), reason="撤销")
    assert client.post(_url(world), {}, format="json").status_code == 403


def test_a_removed_network_saved_here_is_refused_at_the_next_call(world, kept):
    client = client_of(world.reader)
    assert client.post(_url(world), {}, format="json").status_code == 200
    network = EgressNetwork.objects.get()
    network.delete()
    seen = len(world.upstream.seen)
    refused = client.post(_url(world), {}, format="json")
    assert refused.status_code == 502
    assert "target_refused" in refused.json()["error"]["message"]
    assert len(world.upstream.seen) == seen
    EgressNetwork.objects.create(cidr="127.0.0.0/8")
    assert client.post(_url(world), {}, format="json").status_code == 200


def test_a_change_made_elsewhere_is_seen_within_the_seconds(world, kept):
    assert [str(n) for n in egress.allowed_networks_kept(clock=lambda: 100.0)] == ["127.0.0.0/8"]
    # Another process removes it: this one's signals do not fire.
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM exchange_egressnetwork")
    kept_copy = egress.allowed_networks_kept(clock=lambda: 104.9)
    assert [str(n) for n in kept_copy] == ["127.0.0.0/8"]  # at most 5 s stale, as documented
    assert egress.allowed_networks_kept(clock=lambda: 105.0) == []
    # A clock that went back does not keep the copy either.
    assert egress.allowed_networks_kept(clock=lambda: 50.0) == []


def test_zero_seconds_reads_the_allowlist_on_every_call(world, settings):
    settings.PORTAL_EXCHANGE_ALLOWLIST_SECONDS = 0
    client = client_of(world.reader)
    assert client.post(_url(world), {}, format="json").status_code == 200
    with CaptureQueriesContext(connection) as captured:
        assert client.post(_url(world), {}, format="json").status_code == 200
    assert sum("exchange_egressnetwork" in q["sql"] for q in captured.captured_queries) == 1


def test_the_call_lookup_gives_the_interface_with_its_parameters_in_one_query(
    world, django_assert_num_queries
):
    with django_assert_num_queries(1):
        found = selectors.interface_get_for_call(user=world.reader, pk=world.interface.pk)
        parameters = list(found.parameters.all())
        names = [(p.direction, p.data_item.name, p.interface.resource.code) for p in parameters]
    expected = list(
        InterfaceParameter.objects.filter(interface=world.interface)
        .select_related("data_item")
        .order_by("direction", "id")
    )
    assert [p.pk for p in parameters] == [p.pk for p in expected]
    assert names[0] == ("input", "编号", world.resource.code)
    assert found.resource.pk == world.resource.pk
    by_path = selectors.interface_get_by_path(
        user=world.reader, code=world.resource.code, name=world.interface.name
    )
    assert by_path.pk == found.pk and len(by_path.parameters.all()) == len(parameters)


def test_the_call_lookup_refuses_what_the_user_does_not_see(world):
    from django.http import Http404

    draft = world.register(name="draft_one")
    for user, pk in ((world.reader, draft.pk), (world.reader, 10**9)):
        with pytest.raises(Http404):
            selectors.interface_get_for_call(user=user, pk=pk)
    with pytest.raises(Http404):
        selectors.interface_get_by_path(
            user=world.reader, code=world.resource.code, name="draft_one"
        )
    assert selectors.interface_get_for_call(user=world.editor, pk=draft.pk).pk == draft.pk


def test_an_interface_without_parameters_is_still_found(world):
    InterfaceParameter.objects.filter(interface=world.interface).delete()
    found = selectors.interface_get_for_call(user=world.reader, pk=world.interface.pk)
    assert found.pk == world.interface.pk and list(found.parameters.all()) == []
    by_path = selectors.interface_get_by_path(
        user=world.reader, code=world.resource.code, name=world.interface.name
    )
    assert by_path.pk == world.interface.pk


# --- the rate and the circuit in one round trip (Redis) -----------------------------------------


def test_with_redis_the_rate_counts_and_the_circuit_is_read_in_one_pipeline(redis_cache, settings):
    settings.PORTAL_EXCHANGE_CALL_RATE = "2/min"
    settings.PORTAL_EXCHANGE_BREAKER_FAILURES = 2
    clock = lambda: 1_000_000.0  # noqa: E731
    assert limits.call_admitted(7, 1, clock=clock) == (limits.RateDecision(True), None)
    # The pipeline and the cache's own calls count in the same window.
    assert limits.rate_take(7, 1, clock=clock).allowed
    refused, until = limits.call_admitted(7, 1, clock=clock)
    assert not refused.allowed and refused.retry_after == 20.0 and until is None
    assert limits.call_admitted(8, 1, clock=clock)[0].allowed  # another department's bucket
    # An open circuit is read in the same round trip.
    limits.breaker_failure(2, clock=clock)
    assert limits.breaker_failure(2, clock=clock)
    assert limits.call_admitted(8, 2, clock=clock) == (limits.RateDecision(True), clock() + 60)
    assert limits.call_admitted(8, 2, clock=lambda: clock() + 61)[1] is None


def test_the_fallback_takes_the_rate_then_reads_the_circuit(settings):
    settings.PORTAL_EXCHANGE_CALL_RATE = "1/min"
    settings.PORTAL_EXCHANGE_BREAKER_FAILURES = 1
    clock = lambda: 2_000_000.0  # noqa: E731
    assert limits.breaker_failure(3, clock=clock)
    assert limits.call_admitted(9, 3, clock=clock) == (limits.RateDecision(True), clock() + 60)
    refused, until = limits.call_admitted(9, 3, clock=clock)
    assert not refused.allowed and until is None
    settings.PORTAL_EXCHANGE_CALL_RATE = ""
    assert limits.call_admitted(9, 3, clock=clock)[0].allowed
