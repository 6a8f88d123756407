from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.admin_level_enum import AdminLevelEnum

T = TypeVar("T", bound="Department")


@_attrs_define
class Department:
    """
    Attributes:
        id (int):
        name (str):
        short_name (str):
        name_en (str):
        uscc (str): 共 18 位，末位为 GB 32100 规定的校验码；机关单位以“11”开头。
        region_code (str): GB/T 2260 规定的行政区划代码，共 6 位数字。
        parent (int | None):
        admin_level (AdminLevelEnum): * `province` - 省级
            * `city` - 市级
            * `district` - 区县级
            * `township` - 乡镇（街道）级
        vertically_managed (bool): 由上级主管部门实行垂直管理，如税务部门。
    """

    id: int
    name: str
    short_name: str
    name_en: str
    uscc: str
    region_code: str
    parent: int | None
    admin_level: AdminLevelEnum
    vertically_managed: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        short_name = self.short_name

        name_en = self.name_en

        uscc = self.uscc

        region_code = self.region_code

        parent: int | None
        parent = self.parent

        admin_level = self.admin_level.value

        vertically_managed = self.vertically_managed

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "short_name": short_name,
                "name_en": name_en,
                "uscc": uscc,
                "region_code": region_code,
                "parent": parent,
                "admin_level": admin_level,
                "vertically_managed": vertically_managed,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        short_name = d.pop("short_name")

        name_en = d.pop("name_en")

        uscc = d.pop("uscc")

        region_code = d.pop("region_code")

        def _parse_parent(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        parent = _parse_parent(d.pop("parent"))

        admin_level = AdminLevelEnum(d.pop("admin_level"))

        vertically_managed = d.pop("vertically_managed")

        department = cls(
            id=id,
            name=name,
            short_name=short_name,
            name_en=name_en,
            uscc=uscc,
            region_code=region_code,
            parent=parent,
            admin_level=admin_level,
            vertically_managed=vertically_managed,
        )

        department.additional_properties = d
        return department

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
