from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.need_status_enum import NeedStatusEnum
from ..models.purpose_enum import PurposeEnum

T = TypeVar("T", bound="Need")


@_attrs_define
class Need:
    """A data need as every department sees it; ``resource`` only if the caller may see it.

    Attributes:
        id (int):
        number (str):
        title (str):
        description (str):
        data_items (Any):
        legal_basis (str):
        purpose (PurposeEnum): * `administrative` - 行政依据
            * `reference` - 工作参考
            * `verification` - 数据校核
            * `collaboration` - 业务协同
            * `other` - 其他
        purpose_other (str):
        business (str):
        requester_department (int):
        requester_department_name (str):
        suggested_provider (int | None):
        provider (int | None):
        provider_name (None | str):
        status (NeedStatusEnum): * `open` - 待分派
            * `routed` - 待提供方答复
            * `registering` - 新资源编目中
            * `linked` - 已以信息资源答复
            * `refused` - 不予提供
        created_at (datetime.datetime):
        routed_at (datetime.datetime | None):
        due_date (datetime.date | None):
        deadline_provisional (bool): The answer's due date reaches into a year whose calendar is not official.
        answered_at (datetime.datetime | None):
        answer (str):
        resource (int | None): The resource that answers the need; null until linked, and null for a caller who may not
            see that resource in the catalog.
        new_resource (bool):
        share_request (int | None): The share request made from the need (requesting department and provider only; null
            for others).
    """

    id: int
    number: str
    title: str
    description: str
    data_items: Any
    legal_basis: str
    purpose: PurposeEnum
    purpose_other: str
    business: str
    requester_department: int
    requester_department_name: str
    suggested_provider: int | None
    provider: int | None
    provider_name: None | str
    status: NeedStatusEnum
    created_at: datetime.datetime
    routed_at: datetime.datetime | None
    due_date: datetime.date | None
    deadline_provisional: bool
    answered_at: datetime.datetime | None
    answer: str
    resource: int | None
    new_resource: bool
    share_request: int | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        number = self.number

        title = self.title

        description = self.description

        data_items = self.data_items

        legal_basis = self.legal_basis

        purpose = self.purpose.value

        purpose_other = self.purpose_other

        business = self.business

        requester_department = self.requester_department

        requester_department_name = self.requester_department_name

        suggested_provider: int | None
        suggested_provider = self.suggested_provider

        provider: int | None
        provider = self.provider

        provider_name: None | str
        provider_name = self.provider_name

        status = self.status.value

        created_at = self.created_at.isoformat()

        routed_at: None | str
        if isinstance(self.routed_at, datetime.datetime):
            routed_at = self.routed_at.isoformat()
        else:
            routed_at = self.routed_at

        due_date: None | str
        if isinstance(self.due_date, datetime.date):
            due_date = self.due_date.isoformat()
        else:
            due_date = self.due_date

        deadline_provisional = self.deadline_provisional

        answered_at: None | str
        if isinstance(self.answered_at, datetime.datetime):
            answered_at = self.answered_at.isoformat()
        else:
            answered_at = self.answered_at

        answer = self.answer

        resource: int | None
        resource = self.resource

        new_resource = self.new_resource

        share_request: int | None
        share_request = self.share_request

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "number": number,
                "title": title,
                "description": description,
                "data_items": data_items,
                "legal_basis": legal_basis,
                "purpose": purpose,
                "purpose_other": purpose_other,
                "business": business,
                "requester_department": requester_department,
                "requester_department_name": requester_department_name,
                "suggested_provider": suggested_provider,
                "provider": provider,
                "provider_name": provider_name,
                "status": status,
                "created_at": created_at,
                "routed_at": routed_at,
                "due_date": due_date,
                "deadline_provisional": deadline_provisional,
                "answered_at": answered_at,
                "answer": answer,
                "resource": resource,
                "new_resource": new_resource,
                "share_request": share_request,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        number = d.pop("number")

        title = d.pop("title")

        description = d.pop("description")

        data_items = d.pop("data_items")

        legal_basis = d.pop("legal_basis")

        purpose = PurposeEnum(d.pop("purpose"))

        purpose_other = d.pop("purpose_other")

        business = d.pop("business")

        requester_department = d.pop("requester_department")

        requester_department_name = d.pop("requester_department_name")

        def _parse_suggested_provider(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        suggested_provider = _parse_suggested_provider(d.pop("suggested_provider"))

        def _parse_provider(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        provider = _parse_provider(d.pop("provider"))

        def _parse_provider_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        provider_name = _parse_provider_name(d.pop("provider_name"))

        status = NeedStatusEnum(d.pop("status"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_routed_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                routed_at_type_0 = datetime.datetime.fromisoformat(data)

                return routed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        routed_at = _parse_routed_at(d.pop("routed_at"))

        def _parse_due_date(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                due_date_type_0 = datetime.date.fromisoformat(data)

                return due_date_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        due_date = _parse_due_date(d.pop("due_date"))

        deadline_provisional = d.pop("deadline_provisional")

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

        answer = d.pop("answer")

        def _parse_resource(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        resource = _parse_resource(d.pop("resource"))

        new_resource = d.pop("new_resource")

        def _parse_share_request(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        share_request = _parse_share_request(d.pop("share_request"))

        need = cls(
            id=id,
            number=number,
            title=title,
            description=description,
            data_items=data_items,
            legal_basis=legal_basis,
            purpose=purpose,
            purpose_other=purpose_other,
            business=business,
            requester_department=requester_department,
            requester_department_name=requester_department_name,
            suggested_provider=suggested_provider,
            provider=provider,
            provider_name=provider_name,
            status=status,
            created_at=created_at,
            routed_at=routed_at,
            due_date=due_date,
            deadline_provisional=deadline_provisional,
            answered_at=answered_at,
            answer=answer,
            resource=resource,
            new_resource=new_resource,
            share_request=share_request,
        )

        need.additional_properties = d
        return need

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
