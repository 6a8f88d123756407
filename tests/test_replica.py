"""Reads on a real PostgreSQL streaming replica (kernel/db_router.py; docs/operations.md).

Run only with ``DATABASE_REPLICA_URL`` naming a hot standby of ``DATABASE_URL``'s server (CI's
"replica" step starts one with ``pg_basebackup -R``); skipped otherwise. The test database is
the primary's, carried to the standby by replication: the tests commit (``transaction=True``)
and wait until the standby has replayed the primary's WAL before they read. A lagging replica is
a paused replay (``pg_wal_replay_pause()``), resumed before each test ends.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import OperationalError, connections, router, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ApiToken
from accounts.services.tokens import token_revoke
from catalog.models import Resource
from catalog.services import resource_retire
from kernel import db_router
from sharing.models import Grant, ShareRequest
from sharing.services.grants import grant_revoke
from tests import builders

pytestmark = [
    pytest.mark.replica,
    pytest.mark.skipif(
        "replica" not in settings.DATABASES, reason="DATABASE_REPLICA_URL is not set"
    ),
    pytest.mark.django_db(transaction=True, databases=["default", "replica"]),
]

REPLAY_TIMEOUT_SECONDS = 20
BASKET_ADD = b"/sharing/basket/add/"


@pytest.fixture(scope="module", autouse=True)
def _commits_reach_the_wal(django_db_setup, django_db_blocker) -> None:
    """Make the test database's commits wait for their WAL to be written.

    With ``synchronous_commit = off`` (CI's server) a commit may sit in memory for a fraction of
    a second, and ``pg_current_wal_lsn()`` would not yet cover it: ``caught_up`` would return
    before the standby could see the row.
    """
    with django_db_blocker.unblock():
        connection = connections["default"]
        name = connection.ops.quote_name(connection.settings_dict["NAME"])
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER DATABASE {name} SET synchronous_commit = on")
        connection.close()


@pytest.fixture(autouse=True)
def _fresh_replica_state(settings) -> Iterator[None]:
    settings.PORTAL_REPLICA_MAX_LAG_SECONDS = 30
    settings.PORTAL_REPLICA_CHECK_SECONDS = 0  # each request checks: the tests pause and resume
    db_router.forget_replica_status()
    yield
    db_router.forget_replica_status()


def caught_up() -> None:
    """Wait until the standby has replayed everything the primary has written."""
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        target = cursor.fetchone()[0]
    deadline = time.monotonic() + REPLAY_TIMEOUT_SECONDS
    while True:
        try:
            with connections["replica"].cursor() as cursor:
                cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target])
                if cursor.fetchone()[0]:
                    return
        except OperationalError:  # the test database's creation not replayed yet
            connections["replica"].close()
        if time.monotonic() > deadline:
            raise AssertionError(f"the standby did not replay up to {target}")
        time.sleep(0.02)


@contextmanager
def replay_paused() -> Iterator[None]:
    """Hold the standby's replay: what the primary commits meanwhile, the standby does not see."""
    caught_up()
    with connections["replica"].cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_pause()")
    try:
        yield
    finally:
        with connections["replica"].cursor() as cursor:
            cursor.execute("SELECT pg_wal_replay_resume()")


@contextmanager
def captured() -> Iterator[tuple[CaptureQueriesContext, CaptureQueriesContext]]:
    """Capture the queries of the primary and of the replica."""
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections["replica"]) as replica,
    ):
        yield primary, replica


def _sql(queries: CaptureQueriesContext) -> str:
    return "\n".join(q["sql"] for q in queries.captured_queries)


def _page_reads(queries: CaptureQueriesContext) -> list[str]:
    """The queries other than the health check's."""
    return [q["sql"] for q in queries.captured_queries if "pg_last_wal_replay_lsn" not in q["sql"]]


@pytest.fixture
def world():
    provider = builders.department("提供部门")
    consumer = builders.department("使用部门")
    resource = builders.resource(provider, share_type="conditional")
    reader = builders.user(consumer)
    grant = builders.grant(resource, consumer)
    return {"resource": resource, "reader": reader, "grant": grant, "consumer": consumer}


def _api(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {builders.api_key(user)}")
    return client


def test_the_replica_alias_connects_to_the_standby_with_the_test_database():
    """TEST MIRROR gives the alias the test database's name and nothing else."""
    caught_up()
    with connections["replica"].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery(), current_database(), inet_server_port()")
        in_recovery, name, port = cursor.fetchone()
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery(), current_database(), inet_server_port()")
        primary = cursor.fetchone()
    assert in_recovery and not primary[0]
    assert name == primary[1] == connections["default"].settings_dict["NAME"]
    assert port != primary[2]


def test_a_page_read_lands_on_the_replica_and_the_sign_in_on_the_primary(world):
    client = Client()
    client.force_login(world["reader"])
    caught_up()
    with captured() as (primary, replica):
        response = client.get("/catalog/")
    assert response.status_code == 200
    assert world["resource"].name in response.content.decode()
    # The listing came from the replica; the session and the user from the primary.
    assert "catalog_resource" in _sql(replica)
    assert "django_session" in _sql(primary) and "accounts_user" in _sql(primary)
    assert "django_session" not in _sql(replica) and "accounts_user" not in _sql(replica)


def test_after_a_write_the_same_user_reads_from_the_primary_for_the_pin(world, monkeypatch):
    client = Client()
    client.force_login(world["reader"])
    caught_up()
    with captured() as (_primary, replica):
        response = client.post(f"/sharing/resources/{world['resource'].pk}/follow/")
    assert response.status_code == 302
    assert replica.captured_queries == []  # an unsafe request reads nothing from the replica
    # The next page shows the follow, which the replica may not have yet: from the primary.
    with captured() as (primary, replica):
        assert client.get("/catalog/").status_code == 200
    assert _page_reads(replica) == []
    assert "catalog_resource" in _sql(primary)
    # Another user is not pinned.
    other = Client()
    other.force_login(builders.user(world["consumer"]))
    caught_up()
    with captured() as (_primary, replica):
        assert other.get("/catalog/").status_code == 200
    assert "catalog_resource" in _sql(replica)
    # Once the pin's seconds have passed, the user's reads go back to the replica.
    later = time.time() + settings.PORTAL_REPLICA_PIN_SECONDS + 1
    monkeypatch.setattr(db_router, "_clock", lambda: later)
    with captured() as (_primary, replica):
        assert client.get("/catalog/").status_code == 200
    assert "catalog_resource" in _sql(replica)


def test_a_revoked_grant_denies_at_once_though_the_replica_still_has_it(world):
    api = _api(world["reader"])
    rows = f"/api/v1/resources/{world['resource'].pk}/rows/"
    page = Client()
    page.force_login(world["reader"])
    caught_up()
    assert api.get(rows).status_code == 200
    # A grant in force: the resource page offers no request ("add to the basket").
    assert BASKET_ADD not in page.get(f"/catalog/resources/{world['resource'].pk}/").content
    with replay_paused():
        grant_revoke(actor=None, grant=world["grant"], reason="停止共享")
        lagging = Grant.objects.using("replica").get(pk=world["grant"].pk)
        assert lagging.status == Grant.Status.ACTIVE  # the replica lags behind the revocation
        with captured() as (primary, replica):
            response = api.get(rows)
        assert response.status_code == 403
        assert "sharing_grant" in _sql(primary)  # the grant decision came from the primary
        assert "sharing_grant" not in _sql(replica)
        with captured() as (primary, replica):
            shown = page.get(f"/catalog/resources/{world['resource'].pk}/")
        assert shown.status_code == 200
        assert _page_reads(replica)  # the replica served the page's other reads...
        assert BASKET_ADD in shown.content  # ...and the data is to be requested again
        assert "sharing_grant" not in _sql(replica)


def test_a_revoked_token_is_refused_at_once_though_the_replica_still_has_it(world):
    key = builders.api_key(world["reader"])
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    caught_up()
    with captured() as (primary, replica):
        assert api.get("/api/v1/resources/").status_code == 200
    assert "accounts_apitoken" in _sql(primary)
    assert "accounts_apitoken" not in _sql(replica)
    assert "catalog_resource" in _sql(replica)
    token = ApiToken.objects.get(user=world["reader"], revoked_at__isnull=True)
    with replay_paused():
        token_revoke(actor=world["reader"], token=token)
        assert ApiToken.objects.using("replica").get(pk=token.pk).revoked_at is None
        assert api.get("/api/v1/resources/").status_code == 401


def test_a_share_request_posted_while_the_replica_lags_writes_only_to_the_primary(world):
    other = builders.resource(builders.department("另一提供部门"), share_type="conditional")
    requester = builders.user(world["consumer"])
    api = _api(requester)
    body = {
        "legal_basis": "《政务信息资源共享管理暂行办法》",
        "purpose": "verification",
        "scenario": "业务核查",
        "valid_until": (timezone.localdate() + timedelta(days=30)).isoformat(),
        "resources": [other.pk],
    }
    with replay_paused():
        # Any statement routed to the standby that wrote would fail there (read-only).
        with captured() as (_primary, replica):
            created = api.post("/api/v1/share-requests/", body, format="json")
        assert created.status_code == 201, created.content
        assert replica.captured_queries == []
        pk = created.json()[0]["id"]
        assert not ShareRequest.objects.using("replica").filter(pk=pk).exists()
        # The requester reads their own request back at once, from the primary.
        with captured() as (_primary, replica):
            shown = api.get(f"/api/v1/share-requests/{pk}/")
        assert shown.status_code == 200
        assert _page_reads(replica) == []


def test_migrations_never_run_on_the_replica():
    caught_up()
    labels = {model._meta.app_label for model in Resource._meta.apps.get_models()}
    assert all(router.allow_migrate("default", label) for label in labels)
    assert not any(router.allow_migrate("replica", label) for label in labels)
    # On the standby any DDL or write would fail: migrate there does nothing, without error.
    call_command("migrate", database="replica", verbosity=0, interactive=False)


def test_commands_read_from_the_primary_unless_they_opt_in(world):
    caught_up()
    assert router.db_for_read(Resource) == "default"
    with db_router.replica_reads():
        assert router.db_for_read(Resource) == "replica"
        assert router.db_for_read(Grant) == "default"
        with transaction.atomic():
            assert router.db_for_read(Resource) == "default"
        assert router.db_for_write(Resource) == "default"


def test_a_replica_further_behind_than_allowed_is_not_read(world, settings):
    client = Client()
    client.force_login(world["reader"])
    caught_up()
    assert client.get("/healthz").json()["replica"] == {"state": "ok", "lag_seconds": 0.0}
    settings.PORTAL_REPLICA_MAX_LAG_SECONDS = 0
    with replay_paused():
        builders.department("暂停期间新建")  # the primary moves on, the standby does not
        with captured() as (primary, replica):
            assert client.get("/catalog/").status_code == 200
        assert _page_reads(replica) == []
        assert "catalog_resource" in _sql(primary)
        health = client.get("/healthz").json()["replica"]
        assert health["state"] == "lagging" and health["lag_seconds"] > 0


def _closed_port() -> int:
    """Return a local port nobody listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_replica_gone_between_checks_fails_no_page_and_is_left_at_once(
    world, settings, monkeypatch
):
    settings.PORTAL_REPLICA_CHECK_SECONDS = 3600  # the last check stands until told otherwise
    client = Client(raise_request_exception=False)
    client.force_login(world["reader"])
    caught_up()
    with captured() as (_primary, replica):
        assert client.get("/catalog/").status_code == 200
    assert "catalog_resource" in _sql(replica)
    assert db_router.replica_status().state == "ok"
    # The standby goes away: its alias now names a port nobody listens on.
    connections["replica"].close()
    monkeypatch.setitem(connections["replica"].settings_dict, "PORT", str(_closed_port()))
    with CaptureQueriesContext(connections["default"]) as primary:  # the replica cannot be watched
        response = client.get("/catalog/")
    assert response.status_code == 200
    assert world["resource"].name in response.content.decode()
    assert "catalog_resource" in _sql(primary)  # the second pass read the primary
    assert db_router.replica_status().state == "down"
    # The process's next requests read the primary without trying the replica first.
    with CaptureQueriesContext(connections["default"]) as primary:
        assert client.get("/catalog/").status_code == 200
    assert connections["replica"].connection is None and "catalog_resource" in _sql(primary)
    # Back up: the next health check finds it, and the pages read from it again.
    monkeypatch.undo()
    connections["replica"].close()
    assert db_router.replica_status(refresh=True).state == "ok"
    with captured() as (_primary, replica):
        assert client.get("/catalog/").status_code == 200
    assert "catalog_resource" in _sql(replica)


def test_a_retired_resource_stops_a_web_download_though_the_replica_still_lists_it(world):
    """The page finds the entry on the replica; the data decision re-reads it on the primary."""
    opened = builders.resource(world["resource"].provider, share_type="unconditional")
    page = Client()
    page.force_login(world["reader"])
    url = reverse("datasets:data_download", args=[opened.pk, "csv"])
    caught_up()
    assert page.get(url).status_code == 200
    with replay_paused():
        resource_retire(actor=None, resource=opened, reason="停止共享")
        assert Resource.objects.using("replica").get(pk=opened.pk).status == "published"
        with captured() as (primary, replica):
            response = page.get(url)
        assert response.status_code in (403, 404)
        assert "catalog_resource" in _sql(replica)  # the page found the entry on the replica
        assert "catalog_resource" in _sql(primary)  # and the decision re-read it
