from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

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
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        catalog_scope = self.catalog_scope.value

        catalog_scope_reason = self.catalog_scope_reason

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
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

        scope_request.additional_properties = d
        return scope_request

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
