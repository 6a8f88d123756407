"""Compiled querysets (kernel.compiled) give what iterating the queryset gives, with new values."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import models
from django.db.models import Count, Exists, OuterRef
from django.utils import timezone

from accounts.models import ApiToken, User
from accounts.services.tokens import token_create
from catalog.models import DataItem
from kernel.compiled import CompiledQuery, Param
from sharing import policies as sharing_policies
from sharing.models import Grant
from tests import builders

pytestmark = pytest.mark.django_db


def _fields(obj: models.Model) -> dict[str, object]:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def test_instances_equal_the_querysets_with_related_objects_and_converted_values():
    dept = builders.department()
    user = builders.user(dept)
    tokens = [token_create(actor=None, user=user, name=f"t{n}", scopes=["read"])[0] for n in (1, 2)]
    compiled = CompiledQuery(
        lambda: (
            ApiToken.objects.select_related("user", "user__department")
            .filter(user_id=Param("user"))
            .order_by("pk")
        )
    )
    got = compiled(user=user.pk)
    expected = list(ApiToken.objects.filter(user=user).order_by("pk"))
    assert [_fields(t) for t in got] == [_fields(t) for t in expected]
    assert [t.pk for t in got] == [t.pk for t in tokens]
    # Datetimes come back as aware datetimes on both databases (the fields' converters ran).
    assert all(timezone.is_aware(t.expires_at) for t in got)
    # The select_related objects are filled in, converted, and cost no further query.
    assert _fields(got[0].user) == _fields(User.objects.get(pk=user.pk))
    assert got[0].user.department.name == dept.name


def test_it_compiles_once_and_binds_new_values_each_call(django_assert_num_queries):
    builds = []
    one, two = builders.department(), builders.department()

    def build():
        builds.append(1)
        return User.objects.filter(department_id=Param("dept")).order_by("pk")

    compiled = CompiledQuery(build)
    users_one = [builders.user(one) for _ in range(2)]
    user_two = builders.user(two)
    with django_assert_num_queries(1):
        assert [u.pk for u in compiled(dept=one.pk)] == [u.pk for u in users_one]
    with django_assert_num_queries(1):
        assert [u.pk for u in compiled(dept=two.pk)] == [user_two.pk]
    assert compiled(dept=-1) == []
    assert len(builds) == 1
    assert '"accounts_user"' in compiled.sql()


def test_datetime_placeholders_are_converted_for_the_column():
    provider, consumer = builders.department(), builders.department()
    resource = builders.resource(provider)
    grant = builders.grant(resource, consumer, days=10, start_days_ago=1)
    in_force = CompiledQuery(
        lambda: Grant.objects.in_force(Param("at", models.DateTimeField())).filter(
            resource_id=Param("resource")
        )
    )
    now = timezone.now()
    assert [g.pk for g in in_force(at=now, resource=resource.pk)] == [grant.pk]
    assert in_force(at=now + timedelta(days=11), resource=resource.pk) == []
    assert in_force(at=now - timedelta(days=2), resource=resource.pk) == []


def test_annotations_are_set_on_the_instances():
    provider, consumer = builders.department(), builders.department()
    resource = builders.resource(provider)
    grant = builders.grant(resource, consumer, item_names=["编号"])
    grant.clear_items.set(resource.items.filter(name="编号"))
    compiled = CompiledQuery(
        lambda: (
            DataItem.objects.filter(resource_id=Param("resource"))
            .annotate(
                clear=Exists(
                    Grant.clear_items.through.objects.filter(
                        grant_id=Param("grant"), dataitem_id=OuterRef("pk")
                    )
                ),
                grants_count=Count("grants"),
            )
            .order_by("position")
        )
    )
    got = compiled(resource=resource.pk, grant=grant.pk)
    assert [(i.name, bool(i.clear), i.grants_count) for i in got] == [
        ("编号", True, 1),
        ("名称", False, 0),
    ]


def test_wrong_values_are_refused():
    compiled = CompiledQuery(lambda: User.objects.filter(pk=Param("pk")))
    with pytest.raises(TypeError, match="pk"):
        compiled()
    with pytest.raises(TypeError, match="pk"):
        compiled(pk=1, other=2)


def test_the_compiled_grant_rule_is_the_policy_rule():
    """data_read's compiled query answers as the same rule run through the ORM."""
    provider, consumer, other = (builders.department() for _ in range(3))
    resource = builders.resource(provider)
    grant = builders.grant(resource, consumer)
    for dept, expected in ((consumer, [grant.pk]), (other, [])):
        user = builders.user(dept)
        decision = sharing_policies.data_read(user, resource)
        orm = list(sharing_policies.reading_grant(resource.pk, dept.pk, timezone.now()))
        assert [g.pk for g in orm] == expected
        assert (decision.grant.pk if decision.grant else None) == (expected or [None])[0]
        assert decision.allowed is bool(expected)


def test_a_compiled_update_binds_new_values_and_counts_the_rows(django_assert_num_queries):
    from django.db.models import F

    from kernel.compiled import CompiledUpdate

    one, two = builders.department(), builders.department()
    users = [builders.user(one, clearance=1), builders.user(one, clearance=1)]
    other = builders.user(two, clearance=1)
    builds = []

    def build():
        builds.append(1)
        return (
            User.objects.filter(department_id=Param("dept")),
            {"clearance": F("clearance") + Param("by", models.IntegerField())},
        )

    raise_clearance = CompiledUpdate(build)
    with django_assert_num_queries(1):
        assert raise_clearance(dept=one.pk, by=2) == 2
    assert raise_clearance(dept=one.pk, by=0) == 2
    assert raise_clearance(dept=-1, by=1) == 0
    assert len(builds) == 1
    assert [User.objects.get(pk=u.pk).clearance for u in users] == [3, 3]
    assert User.objects.get(pk=other.pk).clearance == 1
    assert raise_clearance.sql().startswith("UPDATE")
    with pytest.raises(TypeError):
        raise_clearance(dept=one.pk)
