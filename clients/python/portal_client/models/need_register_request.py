from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="NeedRegisterRequest")


@_attrs_define
class NeedRegisterRequest:
    """
    Attributes:
        answer (str | Unset): What will be registered, and when.
    """

    answer: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        answer = self.answer

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if answer is not UNSET:
            field_dict["answer"] = answer

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        answer = d.pop("answer", UNSET)

        need_register_request = cls(
            answer=answer,
        )

        return need_register_request
