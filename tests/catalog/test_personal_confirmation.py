"""Items that look like personal data but are tagged "not personal" hold up publication.

The editor either tags the item with its kind or confirms, item by item and with a reason, that it
is not personal data; the confirmation names the editor and leaves an audit event. The form, the
API and the Excel import warn about such items when they are registered.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import Role
from audit.models import AuditEvent
from catalog import services
from catalog.models import PersonalDataConfirmation, Resource
from tests import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    provider = builders.department("户籍提供部门")
    other = builders.department("其他部门")
    bureau = builders.department("数据主管部门")
    resource = builders.resource(
        provider,
        level=3,
        status="draft",
        items=[
            builders.item("编号", level=1, is_key=True),
            builders.item("公民身份号码", level=3),  # tagged "not personal"
            builders.item("联系电话", level=3),
            builders.item("姓名", level=2, kind="name"),  # tagged: no flag
        ],
    )
    return {
        "resource": resource,
        "editor": builders.user(provider, clearance=4, roles=(Role.STAFF, Role.EDITOR)),
        "outsider": builders.user(other, clearance=4, roles=(Role.STAFF, Role.EDITOR)),
        "coordinator": builders.user(bureau, clearance=4, roles=(Role.STAFF, Role.COORDINATOR)),
    }


def test_warnings_name_only_untagged_personal_items(world) -> None:
    flagged = services.unconfirmed_personal_items(world["resource"])
    assert [(w.name, w.kind, w.min_level) for w in flagged] == [
        ("公民身份号码", "id_number", 3),
        ("联系电话", "mobile", 3),
    ]
    assert "公民身份号码" in flagged[0].message


def test_submit_refused_then_allowed_after_confirmation(world) -> None:
    resource, editor = world["resource"], world["editor"]
    with pytest.raises(ValidationError) as refused:
        services.resource_submit(actor=editor, resource=resource)
    assert "公民身份号码" in str(refused.value) and "联系电话" in str(refused.value)
    resource.refresh_from_db()
    assert resource.status == Resource.Status.DRAFT

    id_item = resource.items.get(name="公民身份号码")
    with pytest.raises(ValidationError):
        services.item_personal_confirm(actor=editor, item=id_item, reason="  ")
    services.item_personal_confirm(actor=editor, item=id_item, reason="仅存放证件类别代码")
    # One item confirmed is not enough.
    with pytest.raises(ValidationError) as still:
        services.resource_submit(actor=editor, resource=resource)
    assert "联系电话" in str(still.value) and "公民身份号码" not in str(still.value)

    services.item_personal_confirm(
        actor=editor, item=resource.items.get(name="联系电话"), reason="单位总机号码"
    )
    submitted = services.resource_submit(actor=editor, resource=resource)
    assert submitted.status == Resource.Status.SUBMITTED
    published = services.resource_publish(actor=world["coordinator"], resource=submitted)
    assert published.status == Resource.Status.PUBLISHED

    stored = PersonalDataConfirmation.objects.get(item=id_item)
    assert (stored.reason, stored.confirmed_by, stored.detected_kind) == (
        "仅存放证件类别代码",
        editor,
        "id_number",
    )
    events = AuditEvent.objects.filter(action="item.personal_confirm", object_id=str(resource.pk))
    assert events.count() == 2
    first = events.order_by("id").first()
    assert first.details["reason"] == "仅存放证件类别代码"
    assert first.details["name"] == "公民身份号码"


def test_publish_refused_for_a_submitted_resource_with_unconfirmed_items(world) -> None:
    resource = world["resource"]
    # Submitted before the rule (or the item renamed meanwhile): the coordinator is stopped too.
    Resource.objects.filter(pk=resource.pk).update(status=Resource.Status.SUBMITTED)
    with pytest.raises(ValidationError):
        services.resource_publish(actor=world["coordinator"], resource=resource)
    resource.refresh_from_db()
    assert resource.status == Resource.Status.SUBMITTED and resource.code is None


def test_tagging_the_kind_clears_the_flag(world) -> None:
    resource, editor = world["resource"], world["editor"]
    services.resource_update(
        actor=editor,
        resource=resource,
        items=[
            builders.item("编号", level=1, is_key=True),
            builders.item("公民身份号码", level=3, kind="id_number"),
            builders.item("联系电话", level=3, kind="mobile"),
            builders.item("姓名", level=2, kind="name"),
        ],
    )
    assert services.resource_submit(actor=editor, resource=resource).status == "submitted"
    assert not AuditEvent.objects.filter(action="item.personal_confirm").exists()


def test_only_the_resources_editors_confirm_and_only_flagged_items(world) -> None:
    resource = world["resource"]
    with pytest.raises(PermissionDenied):
        services.item_personal_confirm(
            actor=world["outsider"], item=resource.items.get(name="公民身份号码"), reason="x"
        )
    with pytest.raises(ValidationError):  # tagged as personal: nothing to confirm
        services.item_personal_confirm(
            actor=world["editor"], item=resource.items.get(name="姓名"), reason="x"
        )
    with pytest.raises(ValidationError):  # not personal by its name
        services.item_personal_confirm(
            actor=world["editor"], item=resource.items.get(name="编号"), reason="x"
        )
    assert not PersonalDataConfirmation.objects.exists()
    assert not AuditEvent.objects.filter(action="item.personal_confirm").exists()
