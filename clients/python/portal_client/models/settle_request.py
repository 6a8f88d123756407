from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.settle_decision_enum import SettleDecisionEnum
from ..types import UNSET, Unset

T = TypeVar("T", bound="SettleRequest")


@_attrs_define
class SettleRequest:
    """
    Attributes:
        reason (str): The coordinator's reason.
        decision (SettleDecisionEnum): * `approve` - approve
            * `refuse` - refuse
        items (list[int] | Unset): Grant only these requested items (default: every requested item).
        valid_from (datetime.date | Unset):
        valid_until (datetime.date | Unset): May shorten, not extend.
        row_scope_region (str | Unset): Deliver only rows whose region code starts with this prefix of the requesting
            department's region code; empty string: every row. Left out: the default, which is the requesting district's own
            region when a district asks a city or province department above it (数据回流), otherwise every row.
        clear_items (list[int] | Unset): Personal data items among those granted to deliver unmasked.
        clear_reason (str | Unset): Required with `clear_items`: how the requester's legal basis allows it.
    """

    reason: str
    decision: SettleDecisionEnum
    items: list[int] | Unset = UNSET
    valid_from: datetime.date | Unset = UNSET
    valid_until: datetime.date | Unset = UNSET
    row_scope_region: str | Unset = UNSET
    clear_items: list[int] | Unset = UNSET
    clear_reason: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        reason = self.reason

        decision = self.decision.value

        items: list[int] | Unset = UNSET
        if not isinstance(self.items, Unset):
            items = self.items

        valid_from: str | Unset = UNSET
        if not isinstance(self.valid_from, Unset):
            valid_from = self.valid_from.isoformat()

        valid_until: str | Unset = UNSET
        if not isinstance(self.valid_until, Unset):
            valid_until = self.valid_until.isoformat()

        row_scope_region = self.row_scope_region

        clear_items: list[int] | Unset = UNSET
        if not isinstance(self.clear_items, Unset):
            clear_items = self.clear_items

        clear_reason = self.clear_reason

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "reason": reason,
                "decision": decision,
            }
        )
        if items is not UNSET:
            field_dict["items"] = items
        if valid_from is not UNSET:
            field_dict["valid_from"] = valid_from
        if valid_until is not UNSET:
            field_dict["valid_until"] = valid_until
        if row_scope_region is not UNSET:
            field_dict["row_scope_region"] = row_scope_region
        if clear_items is not UNSET:
            field_dict["clear_items"] = clear_items
        if clear_reason is not UNSET:
            field_dict["clear_reason"] = clear_reason

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        reason = d.pop("reason")

        decision = SettleDecisionEnum(d.pop("decision"))

        items = cast(list[int], d.pop("items", UNSET))

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

        row_scope_region = d.pop("row_scope_region", UNSET)

        clear_items = cast(list[int], d.pop("clear_items", UNSET))

        clear_reason = d.pop("clear_reason", UNSET)

        settle_request = cls(
            reason=reason,
            decision=decision,
            items=items,
            valid_from=valid_from,
            valid_until=valid_until,
            row_scope_region=row_scope_region,
            clear_items=clear_items,
            clear_reason=clear_reason,
        )

        return settle_request
