from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ResourceInterface")


@_attrs_define
class ResourceInterface:
    """A published live interface of the resource (a share method), called through the broker.

    Attributes:
        id (int):
        name (str):
        description (str):
        method (str):
        call_url (str): The stable path of the call: POST the input parameters there.
    """

    id: int
    name: str
    description: str
    method: str
    call_url: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        description = self.description

        method = self.method

        call_url = self.call_url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "description": description,
                "method": method,
                "call_url": call_url,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        description = d.pop("description")

        method = d.pop("method")

        call_url = d.pop("call_url")

        resource_interface = cls(
            id=id,
            name=name,
            description=description,
            method=method,
            call_url=call_url,
        )

        resource_interface.additional_properties = d
        return resource_interface

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
