from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.purpose_enum import PurposeEnum
from ..models.share_status_enum import ShareStatusEnum

T = TypeVar("T", bound="ShareRequest")


@_attrs_define
class ShareRequest:
    """A share request to one provider; ``resource`` is set when it names a single resource.

    Attributes:
        id (int):
        number (str):
        status (ShareStatusEnum):
        stage (str): The workflow's own state: `signoff` (draft awaiting the requesting department's approver),
            `submitted`, `changes`, `approved`, `rejected`, `negotiation` (escalated to the coordinator), `refused`
            (rejected after coordination), `withdrawn`.
        resource (int | None):
        resources (list[int]):
        items (list[int]):
        requester_department (int):
        provider_department (int):
        deadline (datetime.date | None): The provider's reply is due on this day.
        deadline_provisional (bool): The deadline reaches into a year whose working-day calendar is not official yet; it
            is recounted (and both sides notified if it moves) when the year is made official.
        purpose (PurposeEnum): * `administrative` - 行政依据
            * `reference` - 工作参考
            * `verification` - 数据校核
            * `collaboration` - 业务协同
            * `other` - 其他
        purpose_other (str):
        legal_basis (str):
        scenario (str):
        valid_from (datetime.date):
        valid_until (datetime.date):
        created_at (datetime.datetime):
        submitted_at (datetime.datetime | None):
        decided_at (datetime.datetime | None):
        decision_reason (str):
        changes_comment (str):
    """

    id: int
    number: str
    status: ShareStatusEnum
    stage: str
    resource: int | None
    resources: list[int]
    items: list[int]
    requester_department: int
    provider_department: int
    deadline: datetime.date | None
    deadline_provisional: bool
    purpose: PurposeEnum
    purpose_other: str
    legal_basis: str
    scenario: str
    valid_from: datetime.date
    valid_until: datetime.date
    created_at: datetime.datetime
    submitted_at: datetime.datetime | None
    decided_at: datetime.datetime | None
    decision_reason: str
    changes_comment: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        number = self.number

        status = self.status.value

        stage = self.stage

        resource: int | None
        resource = self.resource

        resources = self.resources

        items = self.items

        requester_department = self.requester_department

        provider_department = self.provider_department

        deadline: None | str
        if isinstance(self.deadline, datetime.date):
            deadline = self.deadline.isoformat()
        else:
            deadline = self.deadline

        deadline_provisional = self.deadline_provisional

        purpose = self.purpose.value

        purpose_other = self.purpose_other

        legal_basis = self.legal_basis

        scenario = self.scenario

        valid_from = self.valid_from.isoformat()

        valid_until = self.valid_until.isoformat()

        created_at = self.created_at.isoformat()

        submitted_at: None | str
        if isinstance(self.submitted_at, datetime.datetime):
            submitted_at = self.submitted_at.isoformat()
        else:
            submitted_at = self.submitted_at

        decided_at: None | str
        if isinstance(self.decided_at, datetime.datetime):
            decided_at = self.decided_at.isoformat()
        else:
            decided_at = self.decided_at

        decision_reason = self.decision_reason

        changes_comment = self.changes_comment

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "number": number,
                "status": status,
                "stage": stage,
                "resource": resource,
                "resources": resources,
                "items": items,
                "requester_department": requester_department,
                "provider_department": provider_department,
                "deadline": deadline,
                "deadline_provisional": deadline_provisional,
                "purpose": purpose,
                "purpose_other": purpose_other,
                "legal_basis": legal_basis,
                "scenario": scenario,
                "valid_from": valid_from,
                "valid_until": valid_until,
                "created_at": created_at,
                "submitted_at": submitted_at,
                "decided_at": decided_at,
                "decision_reason": decision_reason,
                "changes_comment": changes_comment,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        number = d.pop("number")

        status = ShareStatusEnum(d.pop("status"))

        stage = d.pop("stage")

        def _parse_resource(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        resource = _parse_resource(d.pop("resource"))

        resources = cast(list[int], d.pop("resources"))

        items = cast(list[int], d.pop("items"))

        requester_department = d.pop("requester_department")

        provider_department = d.pop("provider_department")

        def _parse_deadline(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                deadline_type_0 = datetime.date.fromisoformat(data)

                return deadline_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        deadline = _parse_deadline(d.pop("deadline"))

        deadline_provisional = d.pop("deadline_provisional")

        purpose = PurposeEnum(d.pop("purpose"))

        purpose_other = d.pop("purpose_other")

        legal_basis = d.pop("legal_basis")

        scenario = d.pop("scenario")

        valid_from = datetime.date.fromisoformat(d.pop("valid_from"))

        valid_until = datetime.date.fromisoformat(d.pop("valid_until"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_submitted_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                submitted_at_type_0 = datetime.datetime.fromisoformat(data)

                return submitted_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        submitted_at = _parse_submitted_at(d.pop("submitted_at"))

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

        decision_reason = d.pop("decision_reason")

        changes_comment = d.pop("changes_comment")

        share_request = cls(
            id=id,
            number=number,
            status=status,
            stage=stage,
            resource=resource,
            resources=resources,
            items=items,
            requester_department=requester_department,
            provider_department=provider_department,
            deadline=deadline,
            deadline_provisional=deadline_provisional,
            purpose=purpose,
            purpose_other=purpose_other,
            legal_basis=legal_basis,
            scenario=scenario,
            valid_from=valid_from,
            valid_until=valid_until,
            created_at=created_at,
            submitted_at=submitted_at,
            decided_at=decided_at,
            decision_reason=decision_reason,
            changes_comment=changes_comment,
        )

        share_request.additional_properties = d
        return share_request

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
