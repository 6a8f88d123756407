"""Test data builders. They call the services, so fixtures obey the same invariants as real data."""

from __future__ import annotations

import itertools
from datetime import timedelta
from typing import Any

from django.utils import timezone

from accounts import services as account_services
from accounts.identifiers import government_uscc
from accounts.models import Department, Level, Role, User
from catalog import services as catalog_services
from catalog.models import Category, InformationSystem, Resource
from sharing import services as sharing_services
from sharing.models import Grant

PASSWORD = "test-pass-2026-Aa"
_seq = itertools.count(1)


def department(
    name: str | None = None,
    *,
    clearance: int = Level.L4,
    region_code: str = "340100",
    **kwargs: Any,
) -> Department:
    n = next(_seq)
    return account_services.department_create(
        actor=None,
        name=name or f"测试部门{n}",
        short_name=(name or f"部门{n}")[:30],
        uscc=government_uscc(region_code, 900_000 + n),
        region_code=region_code,
        clearance=clearance,
        **kwargs,
    )


def system(
    dept: Department,
    name: str | None = None,
    *,
    legacy_code: str = "",
    status: str = InformationSystem.Status.APPROVED,
    filer: User | None = None,
    approver: User | None = None,
) -> InformationSystem:
    """Register an information system and take it through filing up to ``status``."""
    s = catalog_services.system_register(
        actor=None,
        department=dept,
        name=name or f"测试系统{next(_seq)}",
        project_name="测试建设项目",
        legacy_code=legacy_code,
    )
    if status == InformationSystem.Status.DRAFT:
        return s
    s = catalog_services.system_file(actor=filer, system=s)
    if status == InformationSystem.Status.FILED:
        return s
    if status == InformationSystem.Status.RETURNED:
        return catalog_services.system_return(actor=approver, system=s, reason="请补充项目材料")
    s = catalog_services.system_approve(actor=approver, system=s)
    if status == InformationSystem.Status.RETIRED:
        s = catalog_services.system_retire(actor=None, system=s)
    return s


def user(
    dept: Department | None,
    *,
    clearance: int = Level.L1,
    roles: tuple[str, ...] = (Role.STAFF,),
    username: str | None = None,
    kind: str = User.Kind.PERSON,
) -> User:
    return account_services.user_create(
        actor=None,
        username=username or f"user{next(_seq)}",
        department=dept,
        password=PASSWORD,
        clearance=clearance,
        roles=roles,
        kind=kind,
    )


def category(code: str = "101") -> Category:
    if not Category.objects.filter(code=code).exists():
        # A transactional test that ran earlier flushed the tree the migration seeded.
        import importlib

        from django.apps import apps

        importlib.import_module("catalog.migrations.0001_initial").seed(apps, None)
    return Category.objects.get(code=code)


def item(name: str = "统一社会信用代码", *, level: int = Level.L1, **kwargs: Any) -> dict[str, Any]:
    spec = {
        "name": name,
        "data_type": "C",
        "length": 18,
        "level": level,
        "kind": "none",
        "is_key": False,
    }
    spec.update(kwargs)
    return spec


def resource(
    provider: Department,
    *,
    level: int = Level.L1,
    share_type: str = "conditional",
    status: str = "published",
    items: list[dict[str, Any]] | None = None,
    name: str | None = None,
    confirm_personal: bool = True,
    **fields: Any,
) -> Resource:
    defaults: dict[str, Any] = {
        "category": category(fields.pop("category_code", "101")),
        "name": name or f"测试资源{next(_seq)}",
        "summary": "测试用信息资源",
        "format_class": "database",
        "format_type": "PostgreSQL",
        "share_type": share_type,
        "share_condition": {
            "none": "《中华人民共和国保守国家秘密法》第三十一条",
            "conditional": "用于行政审批",
        }.get(share_type, ""),
        "share_method": "api",
        "update_cycle": "daily",
        "level": level,
    }
    defaults.update(fields)
    if defaults.get("catalog_scope", "departments") != "departments":
        defaults.setdefault("catalog_scope_reason", "测试：目录本身敏感")
    created = catalog_services.resource_create(
        actor=None,
        provider=provider,
        items=items
        if items is not None
        else [item("编号", level=1, is_key=True), item("名称", level=level)],
        **defaults,
    )
    if status in ("submitted", "published", "retired"):
        if confirm_personal:
            # Test items named like personal data but tagged "not personal" stay so on purpose.
            for warning in catalog_services.unconfirmed_personal_items(created):
                catalog_services.item_personal_confirm(
                    actor=None,
                    item=created.items.get(name=warning.name),
                    reason="测试数据",
                )
        created = catalog_services.resource_submit(actor=None, resource=created)
    if status in ("published", "retired"):
        created = catalog_services.resource_publish(actor=None, resource=created)
    if status == "retired":
        created = catalog_services.resource_retire(actor=None, resource=created, reason="测试下架")
    return created


def grant(
    res: Resource,
    dept: Department,
    *,
    days: int = 30,
    start_days_ago: int = 1,
    item_names: list[str] | None = None,
) -> Grant:
    now = timezone.now()
    items = list(res.items.all())
    if item_names is not None:
        items = [i for i in items if i.name in item_names]
    return sharing_services.grant_create(
        actor=None,
        resource=res,
        department=dept,
        items=items,
        valid_from=now - timedelta(days=start_days_ago),
        valid_until=now + timedelta(days=days),
    )


def api_key(
    user: User,
    *,
    scopes: tuple[str, ...] = ("read", "write"),
    days: int | None = 30,
    name: str = "test system",
    allowed_networks: tuple[str, ...] = (),
) -> str:
    """Return the key of a new API token for ``user``, created the way the rule allows:

    a person creates their own, just after passing the second factor (which a holder of a
    privileged role needs); a service account's comes from the system (an operator).
    """
    from accounts.services.tokens import token_create

    actor = None if user.is_service_account else user
    _token, key = token_create(
        actor=actor,
        user=user,
        name=name,
        scopes=scopes,
        days=days,
        allowed_networks=allowed_networks,
        second_factor_at=timezone.now(),
    )
    return key
