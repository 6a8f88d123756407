from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.purpose_enum import PurposeEnum
from ..types import UNSET, Unset

T = TypeVar("T", bound="ShareRequestResubmitRequest")


@_attrs_define
class ShareRequestResubmitRequest:
    """Changes sent with ``submit/`` on a request whose changes were asked; all optional.

    Attributes:
        legal_basis (str | Unset):
        purpose (PurposeEnum | Unset): * `administrative` - 行政依据
            * `reference` - 工作参考
            * `verification` - 数据校核
            * `collaboration` - 业务协同
            * `other` - 其他
        purpose_other (str | Unset):
        scenario (str | Unset):
        valid_from (datetime.date | Unset):
        valid_until (datetime.date | Unset):
        items (list[int] | Unset):
    """

    legal_basis: str | Unset = UNSET
    purpose: PurposeEnum | Unset = UNSET
    purpose_other: str | Unset = UNSET
    scenario: str | Unset = UNSET
    valid_from: datetime.date | Unset = UNSET
    valid_until: datetime.date | Unset = UNSET
    items: list[int] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        legal_basis = self.legal_basis

        purpose: str | Unset = UNSET
        if not isinstance(self.purpose, Unset):
            purpose = self.purpose.value

        purpose_other = self.purpose_other

        scenario = self.scenario

        valid_from: str | Unset = UNSET
        if not isinstance(self.valid_from, Unset):
            valid_from = self.valid_from.isoformat()

        valid_until: str | Unset = UNSET
        if not isinstance(self.valid_until, Unset):
            valid_until = self.valid_until.isoformat()

        items: list[int] | Unset = UNSET
        if not isinstance(self.items, Unset):
            items = self.items

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if legal_basis is not UNSET:
            field_dict["legal_basis"] = legal_basis
        if purpose is not UNSET:
            field_dict["purpose"] = purpose
        if purpose_other is not UNSET:
            field_dict["purpose_other"] = purpose_other
        if scenario is not UNSET:
            field_dict["scenario"] = scenario
        if valid_from is not UNSET:
            field_dict["valid_from"] = valid_from
        if valid_until is not UNSET:
            field_dict["valid_until"] = valid_until
        if items is not UNSET:
            field_dict["items"] = items

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        legal_basis = d.pop("legal_basis", UNSET)

        _purpose = d.pop("purpose", UNSET)
        purpose: PurposeEnum | Unset
        if isinstance(_purpose, Unset):
            purpose = UNSET
        else:
            purpose = PurposeEnum(_purpose)

        purpose_other = d.pop("purpose_other", UNSET)

        scenario = d.pop("scenario", UNSET)

        _valid_from = d.pop("valid_from", UNSET)
        valid_from: datetime.date | Unset
        if isinstance(_valid_from, Unset):
            valid_from = UNSET
        else:
            valid_from = datetime.date.fromisoformat(_valid_from)

        _valid_until = d.pop("valid_until", UNSET)
        valid_until: datetime.date | Unset
        if isinstance(_valid_until, Unset):
            valid_until = UNSET
        else:
            valid_until = datetime.date.fromisoformat(_valid_until)

        items = cast(list[int], d.pop("items", UNSET))

        share_request_resubmit_request = cls(
            legal_basis=legal_basis,
            purpose=purpose,
            purpose_other=purpose_other,
            scenario=scenario,
            valid_from=valid_from,
            valid_until=valid_until,
            items=items,
        )

        return share_request_resubmit_request
