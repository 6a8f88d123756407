from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="CodeList")


@_attrs_define
class CodeList:
    """A code list (代码集): a standard's codes, public to every authenticated caller.

    Attributes:
        code (str): 标准编号，如“GB/T 2261.1-2003”。
        name (str):
        description (str):
        source (str): 所依据的标准或发布机构。
        active (bool): 编目人员可为数据项选用此代码集。
        entry_count (int): How many codes the list holds, inactive ones included.
        updated_at (datetime.datetime):
    """

    code: str
    name: str
    description: str
    source: str
    active: bool
    entry_count: int
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        name = self.name

        description = self.description

        source = self.source

        active = self.active

        entry_count = self.entry_count

        updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "code": code,
                "name": name,
                "description": description,
                "source": source,
                "active": active,
                "entry_count": entry_count,
                "updated_at": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        code = d.pop("code")

        name = d.pop("name")

        description = d.pop("description")

        source = d.pop("source")

        active = d.pop("active")

        entry_count = d.pop("entry_count")

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        code_list = cls(
            code=code,
            name=name,
            description=description,
            source=source,
            active=active,
            entry_count=entry_count,
            updated_at=updated_at,
        )

        code_list.additional_properties = d
        return code_list

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
