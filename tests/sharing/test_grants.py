"""Grants: the guardian row follows the Grant row, and access ends with the period."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import Level, Role
from catalog import policies as catalog_policies
from catalog.models import Resource, ResourceGroupObjectPermission
from datasets import selectors
from sharing import policies, services
from sharing.models import Grant

from .. import builders

pytestmark = pytest.mark.django_db


def guardian_rows():
    return set(
        ResourceGroupObjectPermission.objects.values_list(
            "content_object_id", "group__department__pk"
        )
    )


def active_grants():
    return set(Grant.objects.filter(status="active").values_list("resource_id", "department_id"))


@pytest.fixture
def setting():
    provider, consumer = builders.department(), builders.department()
    resource = builders.resource(
        provider,
        level=Level.L3,
        items=[
            builders.item("编号", level=1, is_key=True),
            builders.item("姓名", level=3, kind="name"),
            builders.item("地址", level=2),
        ],
    )
    reader = builders.user(consumer, clearance=Level.L2)
    return provider, consumer, resource, reader


def test_grant_writes_the_guardian_row_and_gives_exactly_the_items(setting):
    _provider, consumer, resource, reader = setting
    reader.clearance = Level.L3
    reader.save()
    assert not policies.can_read_resource_data(reader, resource)
    builders.grant(resource, consumer, item_names=["编号", "姓名"])
    assert guardian_rows() == active_grants() == {(resource.pk, consumer.pk)}
    assert policies.can_read_resource_data(reader, resource)
    assert [i.name for i in selectors.resource_items_readable(user=reader, resource=resource)] == [
        "编号",
        "姓名",
    ]


def test_items_above_the_readers_clearance_stay_hidden_even_when_granted(setting):
    _, consumer, resource, reader = setting
    reader.clearance = Level.L3
    reader.save()
    builders.grant(resource, consumer)
    reader.clearance = Level.L2  # still sees the L3 entry, and reads only the items within L2
    assert catalog_policies.can_view_resource(reader, resource)
    readable = selectors.resource_items_readable(user=reader, resource=resource)
    assert [i.name for i in readable] == ["编号", "地址"]
    # An entry limited to cleared users: below its level, nothing at all, grant or not.
    Resource.objects.filter(pk=resource.pk).update(
        catalog_scope="cleared", catalog_scope_reason="存在本身敏感"
    )
    resource.refresh_from_db()
    assert not catalog_policies.can_view_resource(reader, resource)
    assert selectors.resource_items_readable(user=reader, resource=resource) == []


def test_revoke_removes_the_guardian_row_in_the_same_transaction(setting):
    _, consumer, resource, _ = setting
    grant = builders.grant(resource, consumer)
    services.grant_revoke(actor=None, grant=grant, reason="用途已结束")
    grant.refresh_from_db()
    assert grant.status == "revoked" and grant.revoked_at is not None
    assert guardian_rows() == active_grants() == set()


def test_revoke_needs_a_reason_and_changes_nothing_without_one(setting):
    _, consumer, resource, _ = setting
    grant = builders.grant(resource, consumer)
    with pytest.raises(ValidationError):
        services.grant_revoke(actor=None, grant=grant, reason=" ")
    grant.refresh_from_db()
    assert grant.status == "active"
    assert guardian_rows() == {(resource.pk, consumer.pk)}


def test_access_ends_at_the_end_time_even_before_the_tidy_up_runs(setting):
    _, consumer, resource, reader = setting
    reader.clearance = Level.L3
    reader.save()
    builders.grant(resource, consumer, days=-1, start_days_ago=10)
    assert guardian_rows() == {(resource.pk, consumer.pk)}  # nothing tidied yet
    assert not policies.can_read_resource_data(reader, resource)
    assert resource not in selectors.resources_readable_by(user=reader)


def test_grants_expire_tidies_status_and_guardian_rows(setting):
    _, consumer, resource, _ = setting
    grant = builders.grant(resource, consumer, days=-1, start_days_ago=10)
    assert services.grants_expire() == 1
    grant.refresh_from_db()
    assert grant.status == "expired"
    assert guardian_rows() == active_grants() == set()
    assert services.grants_expire() == 0


def test_a_grant_that_has_not_started_does_not_work_yet(setting):
    _, consumer, resource, reader = setting
    reader.clearance = Level.L3
    reader.save()
    builders.grant(resource, consumer, start_days_ago=-3)
    assert not policies.can_read_resource_data(reader, resource)


def test_bad_grants_are_refused_and_change_nothing(setting):
    provider, consumer, resource, _ = setting
    now = timezone.now()
    other = builders.resource(provider)
    cases = [
        dict(
            department=provider,
            items=list(resource.items.all()),
            valid_from=now,
            valid_until=now + timedelta(days=1),
        ),
        dict(department=consumer, items=[], valid_from=now, valid_until=now + timedelta(days=1)),
        dict(
            department=consumer,
            items=list(other.items.all()),
            valid_from=now,
            valid_until=now + timedelta(days=1),
        ),
        dict(
            department=consumer, items=list(resource.items.all()), valid_from=now, valid_until=now
        ),
    ]
    for case in cases:
        with pytest.raises(ValidationError):
            services.grant_create(actor=None, resource=resource, **case)
    assert Grant.objects.count() == 0 and guardian_rows() == set()


def test_only_the_providers_approvers_may_grant(setting):
    provider, consumer, resource, reader = setting
    now = timezone.now()
    args = dict(
        resource=resource,
        department=consumer,
        items=list(resource.items.all()),
        valid_from=now,
        valid_until=now + timedelta(days=5),
    )
    with pytest.raises(PermissionDenied):
        services.grant_create(actor=reader, **args)
    approver = builders.user(provider, clearance=Level.L3, roles=(Role.APPROVER,))
    assert services.grant_create(actor=approver, **args).granted_by == approver
