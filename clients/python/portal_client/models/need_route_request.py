from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="NeedRouteRequest")


@_attrs_define
class NeedRouteRequest:
    """
    Attributes:
        provider (int): The id of the provider department.
    """

    provider: int

    def to_dict(self) -> dict[str, Any]:
        provider = self.provider

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "provider": provider,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        provider = d.pop("provider")

        need_route_request = cls(
            provider=provider,
        )

        return need_route_request
