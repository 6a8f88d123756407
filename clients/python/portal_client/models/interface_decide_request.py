from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.interface_decide_decision_enum import InterfaceDecideDecisionEnum
from ..types import UNSET, Unset

T = TypeVar("T", bound="InterfaceDecideRequest")


@_attrs_define
class InterfaceDecideRequest:
    """
    Attributes:
        decision (InterfaceDecideDecisionEnum): * `publish` - publish
            * `return` - return
        comment (str | Unset):
    """

    decision: InterfaceDecideDecisionEnum
    comment: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        decision = self.decision.value

        comment = self.comment

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "decision": decision,
            }
        )
        if comment is not UNSET:
            field_dict["comment"] = comment

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        decision = InterfaceDecideDecisionEnum(d.pop("decision"))

        comment = d.pop("comment", UNSET)

        interface_decide_request = cls(
            decision=decision,
            comment=comment,
        )

        return interface_decide_request
