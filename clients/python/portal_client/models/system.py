from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.system_status_enum import SystemStatusEnum

T = TypeVar("T", bound="System")


@_attrs_define
class System:
    """
    Attributes:
        id (int):
        registration_code (str):
        name (str):
        department (int):
        department_name (str):
        purpose (str):
        status (SystemStatusEnum): * `active` - 在用
            * `retired` - 已下架
    """

    id: int
    registration_code: str
    name: str
    department: int
    department_name: str
    purpose: str
    status: SystemStatusEnum
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        registration_code = self.registration_code

        name = self.name

        department = self.department

        department_name = self.department_name

        purpose = self.purpose

        status = self.status.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "registration_code": registration_code,
                "name": name,
                "department": department,
                "department_name": department_name,
                "purpose": purpose,
                "status": status,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        registration_code = d.pop("registration_code")

        name = d.pop("name")

        department = d.pop("department")

        department_name = d.pop("department_name")

        purpose = d.pop("purpose")

        status = SystemStatusEnum(d.pop("status"))

        system = cls(
            id=id,
            registration_code=registration_code,
            name=name,
            department=department,
            department_name=department_name,
            purpose=purpose,
            status=status,
        )

        system.additional_properties = d
        return system

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
