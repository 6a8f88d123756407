from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.correction_status_enum import CorrectionStatusEnum

T = TypeVar("T", bound="Correction")


@_attrs_define
class Correction:
    """
    Attributes:
        id (int):
        resource (int):
        item (int | None):
        department (int):
        description (str):
        evidence (str):
        status (CorrectionStatusEnum): * `open` - 未办结
            * `accepted` - 已采纳并更正
            * `rejected` - 不予采纳
        due_date (datetime.date):
        deadline_provisional (bool): The answer's due date is provisional (see share requests).
        created_at (datetime.datetime):
        answer (str):
        answered_at (datetime.datetime | None):
    """

    id: int
    resource: int
    item: int | None
    department: int
    description: str
    evidence: str
    status: CorrectionStatusEnum
    due_date: datetime.date
    deadline_provisional: bool
    created_at: datetime.datetime
    answer: str
    answered_at: datetime.datetime | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        resource = self.resource

        item: int | None
        item = self.item

        department = self.department

        description = self.description

        evidence = self.evidence

        status = self.status.value

        due_date = self.due_date.isoformat()

        deadline_provisional = self.deadline_provisional

        created_at = self.created_at.isoformat()

        answer = self.answer

        answered_at: None | str
        if isinstance(self.answered_at, datetime.datetime):
            answered_at = self.answered_at.isoformat()
        else:
            answered_at = self.answered_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "resource": resource,
                "item": item,
                "department": department,
                "description": description,
                "evidence": evidence,
                "status": status,
                "due_date": due_date,
                "deadline_provisional": deadline_provisional,
                "created_at": created_at,
                "answer": answer,
                "answered_at": answered_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        resource = d.pop("resource")

        def _parse_item(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        item = _parse_item(d.pop("item"))

        department = d.pop("department")

        description = d.pop("description")

        evidence = d.pop("evidence")

        status = CorrectionStatusEnum(d.pop("status"))

        due_date = datetime.date.fromisoformat(d.pop("due_date"))

        deadline_provisional = d.pop("deadline_provisional")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        answer = d.pop("answer")

        def _parse_answered_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                answered_at_type_0 = datetime.datetime.fromisoformat(data)

                return answered_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        answered_at = _parse_answered_at(d.pop("answered_at"))

        correction = cls(
            id=id,
            resource=resource,
            item=item,
            department=department,
            description=description,
            evidence=evidence,
            status=status,
            due_date=due_date,
            deadline_provisional=deadline_provisional,
            created_at=created_at,
            answer=answer,
            answered_at=answered_at,
        )

        correction.additional_properties = d
        return correction

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
