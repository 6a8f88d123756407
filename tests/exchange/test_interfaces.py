"""Interfaces in the catalog: registered by the provider's editors, reviewed by the coordinator,
seen where the resource is seen; bad input changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts.models import Role
from audit.models import AuditEvent
from exchange import secrets
from exchange.models import Interface
from tests import builders

from .conftest import OUTPUTS

pytestmark = pytest.mark.django_db


def client_of(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {builders.api_key(user)}")
    return client


def body(world, **overrides: Any) -> dict[str, Any]:
    items = {i.name: i.pk for i in world.resource.items.all()}
    data: dict[str, Any] = {
        "resource": world.resource.pk,
        "name": "lookup",
        "base_url": world.upstream.url("/lookup"),
        "method": "POST",
        "timeout_ms": 2000,
        "auth_kind": "bearer",
        "secret": "s3cret-token-value",
        "parameters": [{"data_item": items["编号"], "direction": "input", "upstream_name": "bh"}]
        + [
            {"data_item": items[n], "direction": "output", "upstream_name": u}
            for n, u in OUTPUTS.items()
        ],
    }
    data.update(overrides)
    return data


def register(user, world, **overrides: Any):
    return client_of(user).post("/api/v1/interfaces/", body(world, **overrides), format="json")


def test_an_editor_registers_an_interface_whose_secret_is_never_shown(world):
    response = register(world.editor, world)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == "draft" and data["has_secret"] is True
    assert "secret" not in data and "s3cret" not in response.content.decode()
    assert data["base_url"] == world.upstream.url("/lookup")  # the editor sees the upstream
    assert [p["direction"] for p in data["parameters"]].count("output") == 6
    stored = Interface.objects.get(pk=data["id"])
    assert "s3cret" not in stored.secret_encrypted
    assert secrets.decrypt(stored.secret_encrypted) == "s3cret-token-value"
    event = AuditEvent.objects.get(action="interface.register", object_id=str(stored.pk))
    assert event.details["secret_set"] is True and "s3cret" not in str(event.details)
    # The detail answers without it too.
    again = client_of(world.editor).get(f"/api/v1/interfaces/{stored.pk}/")
    assert "s3cret" not in again.content.decode()


def test_the_upstream_receives_the_secret_in_a_test_call(world):
    created = register(world.editor, world).json()
    response = client_of(world.editor).post(
        f"/api/v1/interfaces/{created['id']}/test-call/", {"编号": "A001"}, format="json"
    )
    assert response.status_code == 200, response.content
    seen = world.upstream.seen[-1]
    assert seen["headers"]["Authorization"] == "Bearer s3cret-token-value"
    assert seen["query"] == {"bh": "A001"}  # POSTed as JSON
    result = response.json()
    assert result["results"][0]["手机号码"] == "13812341234"  # the provider's own data, in clear
    assert AuditEvent.objects.filter(action="interface.test_call").count() == 1


@pytest.mark.parametrize(
    ("overrides", "status", "field"),
    [
        ({"base_url": "http://10.99.0.1/x"}, 422, "base_url"),
        ({"base_url": "http://169.254.169.254/latest/"}, 422, "base_url"),
        ({"base_url": "ftp://127.0.0.1/x"}, 422, "base_url"),
        ({"name": "two words"}, 422, "name"),
        ({"auth_kind": "header", "auth_header": ""}, 422, "auth_header"),
        ({"auth_kind": "none"}, 422, "secret"),
        ({"auth_kind": "bearer", "secret": ""}, 422, "secret"),
        ({"nosuch": 1}, 400, "nosuch"),
        ({"method": "DELETE"}, 400, "method"),
        ({"timeout_ms": 10}, 400, "timeout_ms"),
        ({"resource": 999_999}, 404, "resource"),
    ],
)
def test_bad_registrations_are_refused_with_a_clear_reason_and_nothing_changes(
    world, overrides, status, field
):
    before = Interface.objects.count()
    response = register(world.editor, world, **overrides)
    assert response.status_code == status, response.content
    assert field in response.json()["error"]["fields"]
    assert Interface.objects.count() == before
    assert (
        not AuditEvent.objects.filter(action="interface.register", actor=world.editor)
        .exclude(object_id=str(world.interface.pk))
        .exists()
    )


def test_parameters_must_be_items_of_the_resource_once_with_an_output(world):
    other = builders.resource(world.provider, name="别的资源")
    foreign = other.items.first()
    items = {i.name: i.pk for i in world.resource.items.all()}
    cases = [
        [{"data_item": foreign.pk, "direction": "output", "upstream_name": "x"}],
        [{"data_item": items["编号"], "direction": "input", "upstream_name": "bh"}],
        [
            {"data_item": items["编号"], "direction": "output", "upstream_name": "a"},
            {"data_item": items["编号"], "direction": "output", "upstream_name": "b"},
        ],
    ]
    for parameters in cases:
        response = register(world.editor, world, parameters=parameters)
        assert response.status_code == 422, response.content
    assert Interface.objects.count() == 1


def test_a_name_taken_on_the_resource_is_a_conflict(world):
    response = register(world.editor, world, name="people")
    assert response.status_code == 409
    assert "name" in response.json()["error"]["fields"]


def test_the_refusal_is_in_the_callers_language(world):
    client = client_of(world.editor)
    zh = client.post(
        "/api/v1/interfaces/",
        body(world, base_url="http://10.99.0.1/"),
        format="json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert "不在" in zh.json()["error"]["fields"]["base_url"][0]


def test_who_may_register(world):
    staff = builders.user(world.provider, clearance=4)
    other_editor = builders.user(world.consumer, clearance=4, roles=(Role.STAFF, Role.EDITOR))
    low_editor = builders.user(world.provider, clearance=2, roles=(Role.STAFF, Role.EDITOR))
    for user in (staff, other_editor, world.coordinator, world.reader):
        assert register(user, world).status_code == 403
    # An editor below the resource's level does not steward it.
    assert register(low_editor, world).status_code == 403
    assert (
        client_of(None).post("/api/v1/interfaces/", body(world), format="json").status_code == 401
    )
    assert Interface.objects.count() == 1


def test_review_flow_and_who_sees_what(world):
    created = register(world.editor, world).json()
    url = f"/api/v1/interfaces/{created['id']}/"
    staff = builders.user(world.provider, clearance=1)
    # A draft: its department sees it; consumers and the coordinator do not.
    assert client_of(staff).get(url).status_code == 200
    for outsider in (world.reader, world.coordinator, world.stranger):
        assert client_of(outsider).get(url).status_code == 404
        listed = client_of(outsider).get("/api/v1/interfaces/").json()["results"]
        assert created["id"] not in [i["id"] for i in listed]
    assert client_of(world.reader).post(url + "submit/").status_code == 404
    assert client_of(world.editor).post(url + "submit/").status_code == 200
    assert client_of(world.editor).post(url + "submit/").status_code == 409  # already submitted
    # The coordinator reviews; an editor may not decide.
    assert (
        client_of(world.editor).post(url + "decide/", {"decision": "publish"}, format="json")
    ).status_code == 403
    no_reason = client_of(world.coordinator).post(
        url + "decide/", {"decision": "return"}, format="json"
    )
    assert no_reason.status_code == 422 and "comment" in no_reason.json()["error"]["fields"]
    returned = client_of(world.coordinator).post(
        url + "decide/", {"decision": "return", "comment": "请补充说明"}, format="json"
    )
    assert returned.status_code == 200 and returned.json()["status"] == "draft"
    client_of(world.editor).post(url + "submit/")
    published = client_of(world.coordinator).post(
        url + "decide/", {"decision": "publish"}, format="json"
    )
    assert published.status_code == 200 and published.json()["status"] == "published"
    # Published: every department that sees the resource sees it, without the upstream address.
    seen = client_of(world.stranger).get(url)
    assert seen.status_code == 200 and seen.json()["base_url"] is None
    assert seen.json()["call_url"] == (
        f"/api/v1/resources/{world.resource.code}/interfaces/lookup/call/"
    )
    # Retired: consumers no longer see it; its department does.
    assert client_of(world.reader).post(url + "retire/").status_code == 403
    assert client_of(world.editor).post(url + "retire/").status_code == 200
    assert client_of(world.reader).get(url).status_code == 404
    assert client_of(world.reader).post(url + "call/", {}, format="json").status_code == 404
    assert client_of(staff).get(url).json()["status"] == "retired"
    actions = list(
        AuditEvent.objects.filter(object_id=str(created["id"]), action__startswith="interface.")
        .order_by("sequence")
        .values_list("action", flat=True)
    )
    assert actions == [
        "interface.register",
        "interface.submit",
        "interface.return",
        "interface.submit",
        "interface.publish",
        "interface.retire",
    ]


def test_a_hidden_resources_interfaces_are_hidden_with_it(world):
    hidden = builders.resource(world.provider, name="隐藏资源", catalog_scope="provider", level=1)
    interface = register(
        world.editor,
        world,
        resource=hidden.pk,
        parameters=[
            {"data_item": hidden.items.first().pk, "direction": "output", "upstream_name": "a"}
        ],
    ).json()
    client_of(world.editor).post(f"/api/v1/interfaces/{interface['id']}/submit/")
    client_of(world.coordinator).post(
        f"/api/v1/interfaces/{interface['id']}/decide/", {"decision": "publish"}, format="json"
    )
    assert Interface.objects.get(pk=interface["id"]).status == "published"
    assert client_of(world.reader).get(f"/api/v1/interfaces/{interface['id']}/").status_code == 404


def test_only_the_editors_test_call(world):
    url = f"/api/v1/interfaces/{world.interface.pk}/test-call/"
    assert client_of(world.reader).post(url, {}, format="json").status_code == 403
    assert client_of(world.coordinator).post(url, {}, format="json").status_code == 403
    assert client_of(world.editor).post(url, {}, format="json").status_code == 200


def test_the_resource_detail_names_its_published_interfaces(world):
    register(world.editor, world)  # a draft: not named to consumers
    detail = client_of(world.reader).get(f"/api/v1/resources/{world.resource.pk}/").json()
    assert [i["name"] for i in detail["interfaces"]] == ["people"]
    assert detail["interfaces"][0]["call_url"].endswith("/interfaces/people/call/")


def _queries(user, path: str) -> int:
    client = client_of(user)
    client.get("/api/v1/me/")  # the token's first use is stamped outside the count
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured.captured_queries)


def test_list_and_detail_query_counts_are_pinned(world):
    for n in range(5):
        register(world.editor, world, name=f"extra{n}")
    # Token lookup, roles, the page, the parameters with their items.
    assert _queries(world.editor, "/api/v1/interfaces/") == 4
    assert _queries(world.editor, f"/api/v1/interfaces/{world.interface.pk}/") == 4
    assert _queries(world.reader, "/api/v1/interfaces/") == 4
