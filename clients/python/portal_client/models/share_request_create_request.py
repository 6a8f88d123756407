from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.purpose_enum import PurposeEnum
from ..types import UNSET, Unset

T = TypeVar("T", bound="ShareRequestCreateRequest")


@_attrs_define
class ShareRequestCreateRequest:
    """
    Attributes:
        legal_basis (str): 使用依据: the legal basis.
        purpose (PurposeEnum): * `administrative` - 行政依据
            * `reference` - 工作参考
            * `verification` - 数据校核
            * `collaboration` - 业务协同
            * `other` - 其他
        scenario (str): The application scenario.
        valid_until (datetime.date):
        resources (list[int]): Ids of the resources to request; one request is made per provider.
        purpose_other (str | Unset): Required when purpose=other.
        valid_from (datetime.date | Unset): Default: today.
        items (list[int] | Unset): Data item ids; a resource none of whose items is listed gets all it may.
    """

    legal_basis: str
    purpose: PurposeEnum
    scenario: str
    valid_until: datetime.date
    resources: list[int]
    purpose_other: str | Unset = UNSET
    valid_from: datetime.date | Unset = UNSET
    items: list[int] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        legal_basis = self.legal_basis

        purpose = self.purpose.value

        scenario = self.scenario

        valid_until = self.valid_until.isoformat()

        resources = self.resources

        purpose_other = self.purpose_other

        valid_from: str | Unset = UNSET
        if not isinstance(self.valid_from, Unset):
            valid_from = self.valid_from.isoformat()

        items: list[int] | Unset = UNSET
        if not isinstance(self.items, Unset):
            items = self.items

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "legal_basis": legal_basis,
                "purpose": purpose,
                "scenario": scenario,
                "valid_until": valid_until,
                "resources": resources,
            }
        )
        if purpose_other is not UNSET:
            field_dict["purpose_other"] = purpose_other
        if valid_from is not UNSET:
            field_dict["valid_from"] = valid_from
        if items is not UNSET:
            field_dict["items"] = items

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        legal_basis = d.pop("legal_basis")

        purpose = PurposeEnum(d.pop("purpose"))

        scenario = d.pop("scenario")

        valid_until = datetime.date.fromisoformat(d.pop("valid_until"))

        resources = cast(list[int], d.pop("resources"))

        purpose_other = d.pop("purpose_other", UNSET)

        _valid_from = d.pop("valid_from", UNSET)
        valid_from: datetime.date | Unset
        if isinstance(_valid_from, Unset):
            valid_from = UNSET
        else:
            valid_from = datetime.date.fromisoformat(_valid_from)

        items = cast(list[int], d.pop("items", UNSET))

        share_request_create_request = cls(
            legal_basis=legal_basis,
            purpose=purpose,
            scenario=scenario,
            valid_until=valid_until,
            resources=resources,
            purpose_other=purpose_other,
            valid_from=valid_from,
            items=items,
        )

        return share_request_create_request
