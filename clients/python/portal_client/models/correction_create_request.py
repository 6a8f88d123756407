from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="CorrectionCreateRequest")


@_attrs_define
class CorrectionCreateRequest:
    """
    Attributes:
        resource (int):
        description (str):
        item (int | Unset):
        evidence (str | Unset):
    """

    resource: int
    description: str
    item: int | Unset = UNSET
    evidence: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        resource = self.resource

        description = self.description

        item = self.item

        evidence = self.evidence

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "resource": resource,
                "description": description,
            }
        )
        if item is not UNSET:
            field_dict["item"] = item
        if evidence is not UNSET:
            field_dict["evidence"] = evidence

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        resource = d.pop("resource")

        description = d.pop("description")

        item = d.pop("item", UNSET)

        evidence = d.pop("evidence", UNSET)

        correction_create_request = cls(
            resource=resource,
            description=description,
            item=item,
            evidence=evidence,
        )

        correction_create_request.additional_properties = d
        return correction_create_request

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
