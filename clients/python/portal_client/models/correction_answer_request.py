from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.decision_enum import DecisionEnum

T = TypeVar("T", bound="CorrectionAnswerRequest")


@_attrs_define
class CorrectionAnswerRequest:
    """
    Attributes:
        decision (DecisionEnum): * `accept` - accept
            * `reject` - reject
        answer (str): What was fixed, or why not.
    """

    decision: DecisionEnum
    answer: str

    def to_dict(self) -> dict[str, Any]:
        decision = self.decision.value

        answer = self.answer

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "decision": decision,
                "answer": answer,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        decision = DecisionEnum(d.pop("decision"))

        answer = d.pop("answer")

        correction_answer_request = cls(
            decision=decision,
            answer=answer,
        )

        return correction_answer_request
