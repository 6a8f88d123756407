"""The live exchange's test world: a provider with an interface on a real upstream, consumers."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from django.test import override_settings

from accounts.models import Department, Role, User
from catalog.models import Resource
from exchange.models import EgressNetwork, Interface
from exchange.services.interfaces import (
    ParameterSpec,
    interface_publish,
    interface_register,
    interface_submit,
)
from tests import builders

from .upstream import Upstream, running

OUTPUTS = {
    "编号": "bh",
    "姓名": "xm",
    "公民身份号码": "sfzh",
    "手机号码": "sj",
    "行政区划代码": "qh",
    "备注": "bz",
}


@pytest.fixture(scope="module")
def upstream() -> Any:
    with running() as state:
        yield state


@dataclass
class World:
    provider: Department
    consumer: Department
    editor: User
    coordinator: User
    reader: User  # consumer, cleared L3, granted 编号 姓名 公民身份号码 行政区划代码 备注
    low_reader: User  # consumer, cleared L1: only the L1 items of the grant
    stranger: User  # a department with no grant
    high_only: User  # a department granted only L3 items, the user cleared L1
    resource: Resource
    interface: Interface
    upstream: Upstream

    def register(self, **overrides: Any) -> Interface:
        return register(self, **overrides)


def register(world: Any, *, resource: Resource | None = None, **overrides: Any) -> Interface:
    resource = resource or world.resource
    items = {i.name: i.pk for i in resource.items.all()}
    fields: dict[str, Any] = {
        "name": "people",
        "base_url": world.upstream.url(),
        "method": "GET",
        "parameters": [ParameterSpec(items["编号"], "input", "bh")]
        + [ParameterSpec(items[n], "output", u) for n, u in OUTPUTS.items() if n in items],
    }
    fields.update(overrides)
    return interface_register(actor=world.editor, resource=resource, **fields)


def build_world(upstream: Upstream) -> World:
    EgressNetwork.objects.create(cidr="127.0.0.0/8", note="测试上游")
    provider = builders.department("接口提供部门", region_code="340100")
    consumer = builders.department("接口使用部门", region_code="340102", admin_level="district")
    other = builders.department("无授权部门")
    high = builders.department("高密级授权部门")
    bureau = builders.department("接口数据局")
    resource = builders.resource(
        provider,
        level=3,
        name="人口基本信息",
        items=[
            builders.item("编号", level=1, is_key=True, length=10),
            builders.item("姓名", level=2, kind="name", length=20),
            builders.item("公民身份号码", level=3, kind="id_number"),
            builders.item("手机号码", level=3, kind="mobile", length=11),
            builders.item("行政区划代码", level=1, length=6),
            builders.item("备注", level=1, length=20),
        ],
    )
    builders.grant(
        resource, consumer, item_names=["编号", "姓名", "公民身份号码", "行政区划代码", "备注"]
    )
    builders.grant(resource, high, item_names=["公民身份号码"])
    editor = builders.user(provider, clearance=4, roles=(Role.STAFF, Role.EDITOR))
    coordinator = builders.user(bureau, clearance=4, roles=(Role.STAFF, Role.COORDINATOR))
    w = World(
        provider=provider,
        consumer=consumer,
        editor=editor,
        coordinator=coordinator,
        reader=builders.user(consumer, clearance=3),
        low_reader=builders.user(consumer, clearance=1),
        stranger=builders.user(other, clearance=4),
        high_only=builders.user(high, clearance=1),
        resource=resource,
        interface=None,  # type: ignore[arg-type]
        upstream=upstream,
    )
    interface = register(w)
    interface = interface_submit(actor=editor, interface=interface)
    w.interface = interface_publish(actor=coordinator, interface=interface)
    return w


@pytest.fixture(scope="module")
def world_once(django_db_setup, django_db_blocker, upstream) -> Iterator[World]:
    """Build the world once for a module, inside a transaction rolled back after its last test.

    Each test runs in its own savepoint (``db``) and gets a copy of the objects (``world``), so
    what it writes and changes is gone before the next test. tests/conftest.py runs a module's
    tests that use it last, as it does for the access matrix.
    """
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=hashers),
        transaction.atomic(),
    ):
        yield build_world(upstream)
        transaction.set_rollback(True)


@pytest.fixture
def world(world_once, db) -> World:
    """Return a copy of the module's world (sharing its one upstream), the upstream reset."""
    world_once.upstream.reset()
    return copy.deepcopy(world_once, memo={id(world_once.upstream): world_once.upstream})
