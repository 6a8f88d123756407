"""A department asks for items above the requester's clearance; each user receives only their own.

The catalog entry of an L4 resource is seen by every department (catalog scope ``departments``),
so an L2 user of another department finds it, sees its items and their levels, and requests two
of them, one of level L4. The provider approves. The grant lists both items, yet the L2
requester reads rows without the L4 item, an L4 colleague reads it (masked), and an L1 colleague
reads nothing. An entry limited to cleared users cannot be asked for by users below its level.
"""

from __future__ import annotations

import pytest
from django.http import Http404

from accounts.models import Role
from catalog import selectors as catalog_selectors
from catalog.models import Resource
from datasets import selectors as data_selectors
from datasets import services as data_services
from sharing import policies, selectors, services
from sharing.models import Grant, Notification
from tests import builders
from tests.datasets.conftest import citizen_id, csv_file

from .conftest import terms

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    police = builders.department("公安局")
    civil = builders.department("民政局")
    people = {
        "editor": builders.user(police, clearance=4, roles=(Role.STAFF, Role.EDITOR)),
        "approver": builders.user(police, clearance=4, roles=(Role.STAFF, Role.APPROVER)),
        "staff_2": builders.user(civil, clearance=2),
        "staff_4": builders.user(civil, clearance=4),
        "staff_1": builders.user(civil, clearance=1),
    }
    resource = builders.resource(
        police,
        level=4,
        name="人口基础信息",
        items=[
            builders.item("编号", level=1, is_key=True),
            builders.item("性别", level=2),
            builders.item("公民身份号码", level=4, kind="id_number"),
        ],
    )
    data_services.dataset_upload(
        actor=people["editor"],
        resource=resource,
        file=csv_file(
            [
                ["编号", "性别", "公民身份号码"],
                ["B001", "男", citizen_id(1)],
                ["B002", "女", citizen_id(2)],
            ]
        ),
    )
    return {"resource": resource, **people}


def test_the_department_asks_above_its_requesters_clearance_and_each_user_gets_their_own(world):
    resource, requester = world["resource"], world["staff_2"]
    # The L2 requester finds the L4 entry and may name every one of its items.
    assert catalog_selectors.resource_get_visible(user=requester, pk=resource.pk) == resource
    nameable = {i.name: i for i in selectors.requestable_items(user=requester, resource=resource)}
    assert {name: i.level for name, i in nameable.items()} == {
        "编号": 1,
        "性别": 2,
        "公民身份号码": 4,
    }
    with pytest.raises(Http404):  # no data before a grant
        data_selectors.dataset_rows_for(user=requester, resource=resource)

    services.basket_add(actor=requester, resource=resource)
    (request,) = services.share_requests_submit(
        actor=requester,
        items={resource.pk: [nameable["性别"].pk, nameable["公民身份号码"].pk]},
        **terms(),
    )
    assert {i.name for i in request.lines.get().items.all()} == {"性别", "公民身份号码"}
    services.share_request_decide(actor=world["approver"], request=request, decision="approve")
    grant = Grant.objects.get(request=request)
    assert {i.name for i in grant.items.all()} == {"性别", "公民身份号码"}
    # The requester is told, although the entry's level is above their clearance.
    assert Notification.objects.filter(
        recipient=requester, kind=Notification.Kind.REQUEST_DECIDED
    ).exists()

    page = data_selectors.dataset_rows_for(user=requester, resource=resource)
    assert page.columns == ["性别"]  # the L4 item never reaches the L2 requester
    assert [row[0] for row in page.rows] == ["男", "女"]
    assert citizen_id(1) not in str(page.rows)
    assert {i.name for i in policies.readable_items(requester, resource)} == {"性别"}

    colleague = data_selectors.dataset_rows_for(user=world["staff_4"], resource=resource)
    assert colleague.columns == ["性别", "公民身份号码"]
    assert colleague.rows[0][1] == citizen_id(1)[:6] + "********" + citizen_id(1)[-4:]

    # An L1 colleague: both granted items are above their clearance, so there is nothing to read.
    assert policies.readable_items(world["staff_1"], resource) == []
    with pytest.raises(Http404):
        data_selectors.dataset_rows_for(user=world["staff_1"], resource=resource)


def test_an_entry_limited_to_cleared_users_cannot_be_asked_for_below_its_level(world):
    resource = world["resource"]
    Resource.objects.filter(pk=resource.pk).update(
        catalog_scope="cleared", catalog_scope_reason="存在本身敏感"
    )
    resource.refresh_from_db()
    with pytest.raises(Resource.DoesNotExist):
        services.basket_add(actor=world["staff_2"], resource=resource)
    services.basket_add(actor=world["staff_4"], resource=resource)  # cleared for L4: may ask
