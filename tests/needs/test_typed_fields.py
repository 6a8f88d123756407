"""The need page's route and link forms take a typed department or resource, never a list.

A select of every department (routing) or of every published resource of the provider
(linking) was read and rendered with each view of a need. Now the coordinator types the
provider's name or credit code and the provider's approver the resource's code (or its name,
when no other resource of the department shares it); ids still work. What may not be chosen
is refused with a translated message and changes nothing.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Department, Level, Role
from audit.models import AuditEvent
from needs.models import Need, NeedStatus

from .. import builders
from .helpers import file, routed

pytestmark = pytest.mark.django_db

NO_DEPARTMENT = "没有名称或统一社会信用代码与此相符的部门。"
NO_RESOURCE = "本部门已发布的资源中没有此代码或名称的资源。"
SHARED_NAME = "本部门有多个资源使用此名称：请输入其资源代码。"


@pytest.fixture
def city():
    requester = builders.department("市民政局")
    provider = builders.department("市公安局")
    other = builders.department("市人社局")
    closed = builders.department("已撤销局")
    Department.objects.filter(pk=closed.pk).update(is_active=False)
    bureau = builders.department("市数据资源局")
    return {
        "requester": requester,
        "provider": provider,
        "other": other,
        "closed": closed,
        "staff": builders.user(requester, clearance=Level.L2, username="mz"),
        "coordinator": builders.user(
            bureau, clearance=Level.L4, roles=(Role.STAFF, Role.COORDINATOR), username="sj"
        ),
        "approver": builders.user(
            provider, clearance=Level.L3, roles=(Role.STAFF, Role.APPROVER), username="ga_ap"
        ),
        "provider_staff": builders.user(provider, clearance=Level.L4, username="ga_staff"),
        "other_approver": builders.user(
            other, clearance=Level.L4, roles=(Role.STAFF, Role.APPROVER), username="rs_ap"
        ),
    }


def _state(need: Need) -> tuple:
    need.refresh_from_db()
    return (
        need.status,
        need.provider_id,
        need.resource_id,
        AuditEvent.objects.filter(action__startswith="need.").count(),
    )


def _page(client, need: Need) -> tuple[int, str]:
    url = reverse("needs:need_detail", args=[need.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries), response.content.decode()


# Routing --------------------------------------------------------------------------------------


def test_the_route_form_lists_no_department_and_does_not_grow_with_the_city(client, city):
    need = file(city["staff"])
    client.force_login(city["coordinator"])
    before, page = _page(client, need)
    assert 'name="provider"' in page and '<select name="provider"' not in page
    assert "市公安局" not in page and "市人社局" not in page
    for _ in range(12):
        builders.department()
    after, page = _page(client, need)
    assert after == before
    assert "市公安局" not in page


@pytest.mark.parametrize("how", ["name", "uscc", "id", "padded"])
def test_the_coordinator_routes_to_a_typed_department(client, city, how):
    need = file(city["staff"])
    police = city["provider"]
    typed = {
        "name": police.name,
        "uscc": police.uscc,
        "id": str(police.pk),
        "padded": f"  {police.name} ",
    }[how]
    client.force_login(city["coordinator"])
    response = client.post(reverse("needs:need_route", args=[need.pk]), {"provider": typed})
    assert response.status_code == 302
    need.refresh_from_db()
    assert need.status == NeedStatus.ROUTED and need.provider == police


@pytest.mark.parametrize("which", ["requester", "closed", "unknown", "blank"])
def test_routing_refuses_what_may_not_be_chosen_and_changes_nothing(client, city, which):
    # Not the department that filed it, not a closed one, nothing unknown, not nothing.
    need = file(city["staff"])
    typed = {"unknown": "不存在的局", "blank": ""}.get(which, "")
    typed = city[which].name if which in ("requester", "closed") else typed
    before = _state(need)
    client.force_login(city["coordinator"])
    response = client.post(reverse("needs:need_route", args=[need.pk]), {"provider": typed})
    assert response.status_code == 400
    errors = response.context["route_form"].errors["provider"]
    assert errors == (["该字段是必填项。"] if which == "blank" else [NO_DEPARTMENT])
    if typed:
        assert f'value="{typed}"' in response.content.decode()  # kept for correcting
    assert _state(need) == before


@pytest.mark.parametrize("user_key", ["staff", "approver", "provider_staff"])
def test_only_the_coordinator_routes_even_with_a_typed_department(client, city, user_key):
    need = file(city["staff"])
    before = _state(need)
    client.force_login(city[user_key])
    response = client.post(
        reverse("needs:need_route", args=[need.pk]), {"provider": city["provider"].name}
    )
    assert response.status_code == 403
    assert _state(need) == before
    # Nor is the route form on their page.
    assert (
        'name="provider"'
        not in client.get(reverse("needs:need_detail", args=[need.pk])).content.decode()
    )


# Linking --------------------------------------------------------------------------------------


@pytest.fixture
def catalog(city):
    provider = city["provider"]
    return {
        "unique": builders.resource(provider, name="户籍人口信息"),
        "twin_a": builders.resource(provider, name="出入境证件信息"),
        "twin_b": builders.resource(provider, name="出入境证件信息"),
        "draft": builders.resource(provider, name="机动车登记草稿", status="draft"),
        "theirs": builders.resource(city["other"], name="社会保险参保信息"),
    }


def _routed(city) -> Need:
    return routed(city["staff"], city["coordinator"], city["provider"].pk)


def _link(client, need: Need, typed: str):
    return client.post(reverse("needs:need_link", args=[need.pk]), {"resource": typed})


def test_the_link_form_lists_no_resource_and_does_not_grow_with_the_catalog(client, city, catalog):
    need = _routed(city)
    client.force_login(city["approver"])
    before, page = _page(client, need)
    assert 'name="resource"' in page and '<select name="resource"' not in page
    for resource in catalog.values():
        assert resource.name not in page
    assert "101/000001" in page  # the help text says what to type
    for i in range(12):
        builders.resource(city["provider"], name=f"新增资源{i}")
    after, page = _page(client, need)
    assert after == before
    assert "新增资源" not in page


@pytest.mark.parametrize("how", ["code", "name", "id", "padded code"])
def test_the_approver_links_a_typed_resource(client, city, catalog, how):
    need = _routed(city)
    resource = catalog["unique"] if how == "name" else catalog["twin_a"]
    typed = {
        "code": resource.code,
        "name": resource.name,
        "id": str(resource.pk),
        "padded code": f" {resource.code} ",
    }[how]
    client.force_login(city["approver"])
    response = _link(client, need, typed)
    assert response.status_code == 302
    need.refresh_from_db()
    assert need.status == NeedStatus.LINKED and need.resource == resource


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        # Two resources of the department share the name: only their codes tell them apart.
        pytest.param(lambda c: c["twin_a"].name, SHARED_NAME, id="shared name"),
        # Another department's resource, by name, code or id; a draft; nothing known.
        pytest.param(lambda c: c["theirs"].name, NO_RESOURCE, id="another's by name"),
        pytest.param(lambda c: c["theirs"].code, NO_RESOURCE, id="another's by code"),
        pytest.param(lambda c: str(c["theirs"].pk), NO_RESOURCE, id="another's by id"),
        pytest.param(lambda c: c["draft"].name, NO_RESOURCE, id="draft by name"),
        pytest.param(lambda c: str(c["draft"].pk), NO_RESOURCE, id="draft by id"),
        pytest.param(lambda c: "不存在的资源", NO_RESOURCE, id="unknown name"),
        pytest.param(lambda c: "101/999999", NO_RESOURCE, id="unknown code"),
    ],
)
def test_linking_refuses_what_may_not_be_chosen_and_changes_nothing(
    client, city, catalog, typed, message
):
    need = _routed(city)
    before = _state(need)
    client.force_login(city["approver"])
    text = typed(catalog)
    response = _link(client, need, text)
    assert response.status_code == 400
    assert response.context["link_form"].errors["resource"] == [message]
    assert f'value="{text}"' in response.content.decode()  # kept for correcting
    assert _state(need) == before


@pytest.mark.parametrize("user_key", ["provider_staff", "other_approver", "staff", "coordinator"])
def test_only_the_providers_answerers_link(client, city, catalog, user_key):
    need = _routed(city)
    before = _state(need)
    client.force_login(city[user_key])
    response = _link(client, need, catalog["unique"].code)
    assert response.status_code == 403
    assert _state(need) == before
    page = client.get(reverse("needs:need_detail", args=[need.pk])).content.decode()
    assert 'name="resource"' not in page
