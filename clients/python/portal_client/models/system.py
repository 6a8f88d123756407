from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.funding_stage_enum import FundingStageEnum
from ..models.system_status_enum import SystemStatusEnum

T = TypeVar("T", bound="System")


@_attrs_define
class System:
    """
    Attributes:
        id (int):
        registration_code (str): The system code if assigned, else its legacy registration code.
        code (None | str): The 18-character system code assigned at approval; never changes.
        legacy_code (str):
        name (str):
        department (int):
        department_name (str):
        purpose (str):
        project_name (str):
        funding_stage (FundingStageEnum): * `initiation` - 立项
            * `construction` - 建设
            * `operation` - 运维
        status (SystemStatusEnum): * `draft` - 草稿
            * `filed` - 已报送，待审核
            * `returned` - 已退回修改
            * `approved` - 已备案，在用
            * `retired` - 已下架
        filed_at (datetime.datetime | None):
        decided_at (datetime.datetime | None):
        confirmed_at (datetime.datetime | None):
    """

    id: int
    registration_code: str
    code: None | str
    legacy_code: str
    name: str
    department: int
    department_name: str
    purpose: str
    project_name: str
    funding_stage: FundingStageEnum
    status: SystemStatusEnum
    filed_at: datetime.datetime | None
    decided_at: datetime.datetime | None
    confirmed_at: datetime.datetime | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        registration_code = self.registration_code

        code: None | str
        code = self.code

        legacy_code = self.legacy_code

        name = self.name

        department = self.department

        department_name = self.department_name

        purpose = self.purpose

        project_name = self.project_name

        funding_stage = self.funding_stage.value

        status = self.status.value

        filed_at: None | str
        if isinstance(self.filed_at, datetime.datetime):
            filed_at = self.filed_at.isoformat()
        else:
            filed_at = self.filed_at

        decided_at: None | str
        if isinstance(self.decided_at, datetime.datetime):
            decided_at = self.decided_at.isoformat()
        else:
            decided_at = self.decided_at

        confirmed_at: None | str
        if isinstance(self.confirmed_at, datetime.datetime):
            confirmed_at = self.confirmed_at.isoformat()
        else:
            confirmed_at = self.confirmed_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "registration_code": registration_code,
                "code": code,
                "legacy_code": legacy_code,
                "name": name,
                "department": department,
                "department_name": department_name,
                "purpose": purpose,
                "project_name": project_name,
                "funding_stage": funding_stage,
                "status": status,
                "filed_at": filed_at,
                "decided_at": decided_at,
                "confirmed_at": confirmed_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        registration_code = d.pop("registration_code")

        def _parse_code(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        code = _parse_code(d.pop("code"))

        legacy_code = d.pop("legacy_code")

        name = d.pop("name")

        department = d.pop("department")

        department_name = d.pop("department_name")

        purpose = d.pop("purpose")

        project_name = d.pop("project_name")

        funding_stage = FundingStageEnum(d.pop("funding_stage"))

        status = SystemStatusEnum(d.pop("status"))

        def _parse_filed_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                filed_at_type_0 = datetime.datetime.fromisoformat(data)

                return filed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        filed_at = _parse_filed_at(d.pop("filed_at"))

        def _parse_decided_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                decided_at_type_0 = datetime.datetime.fromisoformat(data)

                return decided_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        decided_at = _parse_decided_at(d.pop("decided_at"))

        def _parse_confirmed_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                confirmed_at_type_0 = datetime.datetime.fromisoformat(data)

                return confirmed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        confirmed_at = _parse_confirmed_at(d.pop("confirmed_at"))

        system = cls(
            id=id,
            registration_code=registration_code,
            code=code,
            legacy_code=legacy_code,
            name=name,
            department=department,
            department_name=department_name,
            purpose=purpose,
            project_name=project_name,
            funding_stage=funding_stage,
            status=status,
            filed_at=filed_at,
            decided_at=decided_at,
            confirmed_at=confirmed_at,
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
