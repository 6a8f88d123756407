from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.catalog_scope_enum import CatalogScopeEnum
from ..types import UNSET, Unset

T = TypeVar("T", bound="ScopeRequest")


@_attrs_define
class ScopeRequest:
    """
    Attributes:
        catalog_scope (CatalogScopeEnum): * `departments` - 各部门可见
            * `cleared` - 仅分级授权人员可见
            * `provider` - 仅提供方可见
        catalog_scope_reason (str | Unset): Why the entry's very existence is sensitive; required for a limited scope.
            Default: ''.
    """

    catalog_scope: CatalogScopeEnum
    catalog_scope_reason: str | Unset = ""

    def to_dict(self) -> dict[str, Any]:
        catalog_scope = self.catalog_scope.value

        catalog_scope_reason = self.catalog_scope_reason

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "catalog_scope": catalog_scope,
            }
        )
        if catalog_scope_reason is not UNSET:
            field_dict["catalog_scope_reason"] = catalog_scope_reason

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        catalog_scope = CatalogScopeEnum(d.pop("catalog_scope"))

        catalog_scope_reason = d.pop("catalog_scope_reason", UNSET)

        scope_request = cls(
            catalog_scope=catalog_scope,
            catalog_scope_reason=catalog_scope_reason,
        )

        return scope_request
