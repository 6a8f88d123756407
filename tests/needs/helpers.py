"""Builders of data needs: valid terms, and needs filed and moved through the services."""

from __future__ import annotations

from typing import Any

from accounts.models import User
from catalog.models import Resource
from needs import services
from needs.models import Need


def need_terms(**overrides: Any) -> dict[str, Any]:
    """Return valid terms of a need."""
    values: dict[str, Any] = {
        "title": "婚姻登记信息",
        "description": "办理低保审核时需核验申请人婚姻状况",
        "data_items": ["姓名", "公民身份号码", "婚姻状况"],
        "legal_basis": "《社会救助暂行办法》第十一条",
        "purpose": "verification",
        "business": "最低生活保障审核",
    }
    values.update(overrides)
    return values


def file(user: User, **overrides: Any) -> Need:
    return services.need_file(actor=user, **need_terms(**overrides))


def routed(user: User, coordinator: User, provider_id: int, **overrides: Any) -> Need:
    need = file(user, **overrides)
    return services.need_route(actor=coordinator, need=need, provider_id=provider_id)


def linked(
    user: User, coordinator: User, answerer: User, resource: Resource, **overrides: Any
) -> Need:
    need = routed(user, coordinator, resource.provider_id, **overrides)
    return services.need_link(actor=answerer, need=need, resource_id=resource.pk)
