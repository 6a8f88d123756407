"""Every needs page and endpoint against the access matrix: who sees and does what, who must not.

The specification is written here plainly, independent of ``needs.policies``:

- every active user of a department, and the coordinator, sees every need (list and detail);
  a user of no department sees none (the list refuses, a detail is 404), anonymous is sent to
  sign in;
- a linked resource's name is shown only to those who see that resource in the catalog
  (``AccessMatrix.expect_view``);
- the coordinator routes; the provider department's approvers and administrator claim an
  unrouted need and answer the needs routed to their department; staff of the requesting
  department turn an answered need into a share request. Anyone else who sees the need is
  refused (403) and nothing changes: no state, no audit event, no notification, no request.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import Role
from audit.models import AuditEvent
from needs.models import Need, NeedStatus
from sharing.models import Notification, ShareRequest
from tests.access_matrix import AccessMatrix, build_matrix
from tests.api.conftest import issue

from .helpers import file, linked, routed

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
ANSWERERS = {"prov_approver_4", "prov_approver_2", "prov_admin_3"}
REQUESTERS = {"cons_staff_1", "cons_staff_3", "cons_staff_4", "cons_approver_4", "cons_delegate_3"}
SECRET_NAME = "矩阵资源pub_cond_4"


@dataclass
class World:
    matrix: AccessMatrix
    needs: dict[str, Need]
    clients: dict[str, Client]
    tokens: dict[str, str]

    def active_users(self):
        for key, spec in self.matrix.user_specs.items():
            if spec.active:
                yield key

    def sees_needs(self, user_key: str) -> bool:
        spec = self.matrix.user_specs[user_key]
        return spec.active and (spec.department is not None or Role.COORDINATOR in spec.roles)

    def api(self, user_key: str, method: str, path: str, data: Any = None):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {self.tokens[user_key]}")
        return getattr(client, method)(f"/api/v1/{path}", data, format="json")


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Build the matrix, four needs, signed-in clients and tokens once; roll back at the end."""
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=hashers),
        transaction.atomic(),
    ):
        m = build_matrix()
        u, r = m.users, m.resources
        coordinator, approver = u["coordinator_4"], u["prov_approver_4"]
        needs = {
            "open": file(u["cons_staff_3"], title="婚姻登记信息"),
            "routed": routed(u["cons_staff_1"], coordinator, m.departments["prov"].pk),
            "linked": linked(u["cons_staff_3"], coordinator, approver, r["pub_cond_1"]),
            "secret": linked(u["other_staff_3"], coordinator, approver, r["pub_cond_4"]),
        }
        clients, tokens = {}, {}
        for key, user in u.items():
            clients[key] = Client()
            clients[key].force_login(user, backend=MODEL_BACKEND)
            if user.is_active:
                tokens[key] = issue(user)
        yield World(m, needs, clients, tokens)
        transaction.set_rollback(True)


def _state() -> tuple:
    return (
        sorted(Need.objects.values_list("pk", "status", "provider_id", "resource_id", "answer")),
        AuditEvent.objects.filter(action__startswith="need.").count(),
        Notification.objects.count(),
        ShareRequest.objects.count(),
    )


def _attempt(send: Callable[..., Any], *args: Any) -> tuple[int, bool]:
    """Send one request in a savepoint rolled back after; return its status and if it changed."""
    cache.clear()  # API throttle buckets
    before = _state()
    with transaction.atomic():
        response = send(*args)
        changed = _state() != before
        transaction.set_rollback(True)
    return response.status_code, changed


@pytest.mark.django_db
def test_who_sees_the_list_and_each_need(world):
    everyone = {n.pk for n in world.needs.values()}
    for key in world.active_users():
        client = world.clients[key]
        response = client.get(reverse("needs:need_list"))
        api = world.api(key, "get", "needs/")
        if world.sees_needs(key):
            assert response.status_code == 200, key
            assert {n.pk for n in response.context["page_obj"]} == everyone, key
            assert SECRET_NAME not in response.content.decode()  # the list names no resource
            assert {row["id"] for row in api.json()["results"]} == everyone, key
        else:
            assert response.status_code == 403, key
            assert api.status_code == 200 and api.json()["results"] == [], key
        # One need by page and another by the API (the linked-resource test reads a third).
        page = client.get(reverse("needs:need_detail", args=[world.needs["open"].pk]))
        one = world.api(key, "get", f"needs/{world.needs['routed'].pk}/")
        expected = 200 if world.sees_needs(key) else 404
        assert (page.status_code, one.status_code) == (expected, expected), key


@pytest.mark.django_db
def test_anonymous_and_disabled_accounts_see_nothing(world):
    need = world.needs["open"]
    for client in (Client(), world.clients["prov_inactive_4"]):
        for url in (reverse("needs:need_list"), reverse("needs:need_detail", args=[need.pk])):
            response = client.get(url)
            assert response.status_code == 302 and reverse("login") in response["Location"]
    assert APIClient().get("/api/v1/needs/").status_code in (401, 403)


@pytest.mark.django_db
def test_a_linked_resource_is_named_only_to_those_who_see_it_in_the_catalog(world):
    secret = world.needs["secret"]
    resource = world.matrix.resources["pub_cond_4"]
    for key in world.active_users():
        if not world.sees_needs(key):
            assert (
                world.clients[key].get(reverse("needs:need_detail", args=[secret.pk])).status_code
                == 404
            )
            continue
        html = world.clients[key].get(reverse("needs:need_detail", args=[secret.pk]))
        row = world.api(key, "get", f"needs/{secret.pk}/").json()
        sees = world.matrix.expect_view(key, "pub_cond_4")
        assert (SECRET_NAME in html.content.decode()) == sees, key
        assert row["resource"] == (resource.pk if sees else None), key


def _expected(world: World, key: str, allowed: set[str]) -> tuple[int, bool]:
    if not world.sees_needs(key):
        return 404, False
    return (302, True) if key in allowed else (403, False)


ACTIONS = {
    # action -> (need, POST data, who may)
    "route": ("open", lambda w: {"provider": w.matrix.departments["prov"].pk}, {"coordinator_4"}),
    "claim": ("open", lambda w: {}, ANSWERERS),
    "link": ("routed", lambda w: {"resource": w.matrix.resources["pub_cond_1"].pk}, ANSWERERS),
    "register": ("routed", lambda w: {"answer": "下月登记"}, ANSWERERS),
    "refuse": ("routed", lambda w: {"reason": "《保密法》第三十一条"}, ANSWERERS),
    "request": ("linked", lambda w: {}, REQUESTERS),
}


@pytest.mark.django_db
@pytest.mark.parametrize("action", ACTIONS)
def test_each_action_on_the_pages(world, action):
    need_key, data, allowed = ACTIONS[action]
    need = world.needs[need_key]
    url = reverse(f"needs:need_{action}", args=[need.pk])
    for key in world.active_users():
        got = _attempt(world.clients[key].post, url, data(world))
        assert got == _expected(world, key, allowed), (action, key)


@pytest.mark.django_db
@pytest.mark.parametrize("action", ACTIONS)
def test_each_action_through_the_api(world, action):
    need_key, data, allowed = ACTIONS[action]
    need = world.needs[need_key]
    for key in world.active_users():
        status, changed = _attempt(
            world.api, key, "post", f"needs/{need.pk}/{action}/", data(world)
        )
        if not world.sees_needs(key):
            assert (status, changed) == (404, False), (action, key)
        elif key in allowed:
            assert status in (200, 201) and changed, (action, key, status)
        else:
            assert (status, changed) == (403, False), (action, key)


@pytest.mark.django_db
def test_another_departments_approver_cannot_answer_and_nothing_changes(world):
    """The requesting department's approver tries to answer its own need, routed to ``prov``."""
    need = world.needs["routed"]
    for action in ("link", "register", "refuse"):
        _need_key, data, _allowed = ACTIONS[action]
        url = reverse(f"needs:need_{action}", args=[need.pk])
        assert _attempt(world.clients["cons_approver_4"].post, url, data(world)) == (
            403,
            False,
        )
    assert Need.objects.get(pk=need.pk).status == NeedStatus.ROUTED


@pytest.mark.django_db
def test_routing_to_a_missing_department_is_a_clear_error(world):
    need = world.needs["open"]
    url = reverse("needs:need_route", args=[need.pk])
    status, changed = _attempt(world.clients["coordinator_4"].post, url, {"provider": 10**9})
    assert (status, changed) == (400, False)
    # The page shows it as the form's error (400); the API says the named department is missing.
    status, changed = _attempt(
        world.api, "coordinator_4", "post", f"needs/{need.pk}/route/", {"provider": 10**9}
    )
    assert (status, changed) == (404, False)
    body = world.api("coordinator_4", "post", f"needs/{need.pk}/route/", {"provider": 10**9})
    assert "provider" in str(body.json())


@pytest.mark.django_db
def test_filing_a_need_page_and_api(world):
    url = reverse("needs:need_new")
    terms = {
        "title": "不动产登记信息",
        "description": "核验家庭财产",
        "data_items": "权利人\n不动产单元号",
        "legal_basis": "《社会救助暂行办法》",
        "purpose": "verification",
        "business": "低保审核",
    }
    for key in world.active_users():
        may = world.matrix.user_specs[key].department is not None
        status, changed = _attempt(world.clients[key].post, url, terms)
        assert (status, changed) == ((302, True) if may else (403, False)), key
        api_terms = {**terms, "data_items": terms["data_items"].split("\n")}
        status, changed = _attempt(world.api, key, "post", "needs/", api_terms)
        assert (status, changed) == ((201, True) if may else (403, False)), key


@pytest.mark.django_db
def test_an_empty_need_is_refused_on_the_page_and_the_api(world):
    client = world.clients["cons_staff_3"]
    status, changed = _attempt(client.post, reverse("needs:need_new"), {"purpose": ""})
    assert (status, changed) == (400, False)
    status, changed = _attempt(world.api, "cons_staff_3", "post", "needs/", {})
    assert (status, changed) == (400, False)
    errors = world.api("cons_staff_3", "post", "needs/", {"title": ""}).json()
    assert "title" in str(errors) and "data_items" in str(errors)


@pytest.mark.django_db
def test_the_negative_list_shows_every_not_shared_resource_the_user_may_see(world):
    not_shared = {k: r for k, r in world.matrix.resources.items() if k.startswith("pub_none_")}
    url = reverse("catalog:negative_list")
    for key in world.active_users():
        response = world.clients[key].get(url)
        assert response.status_code == 200, key
        shown = {r.pk for r in response.context["page_obj"]}
        expected = {r.pk for k, r in not_shared.items() if world.matrix.expect_view(key, k)}
        assert shown == expected, key
        html = response.content.decode()
        for k, resource in world.matrix.resources.items():
            # Nothing else, and nothing the user may not see, is named.
            assert (resource.name in html) == (resource.pk in expected), (key, k)
        if expected:
            assert "《中华人民共和国保守国家秘密法》第三十一条" in html  # the legal basis
    assert Client().get(url).status_code == 302


@pytest.mark.django_db
def test_a_search_that_finds_nothing_offers_to_file_a_need_prefilled(world):
    client = world.clients["other_staff_3"]
    empty = client.get(reverse("catalog:search"), {"q": "婚姻登记信息"})
    assert empty.status_code == 200 and not list(empty.context["page_obj"])
    offer = (
        reverse("needs:need_new") + "?title=%E5%A9%9A%E5%A7%BB%E7%99%BB%E8%AE%B0%E4%BF%A1%E6%81%AF"
    )
    assert offer in empty.content.decode()
    found = client.get(reverse("catalog:search"), {"q": "矩阵资源"})
    assert list(found.context["page_obj"]) and 'id="file-need"' not in found.content.decode()
    # The form comes prefilled, with the open need of another department that is the same.
    form = client.get(offer)
    assert form.context["form"].initial["title"] == "婚姻登记信息"
    assert world.needs["open"] in form.context["similar"]
    assert world.needs["linked"] not in form.context["similar"]  # answered: not open
