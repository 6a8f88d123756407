from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.side_enum import SideEnum

if TYPE_CHECKING:
    from ..models.comparison import Comparison
    from ..models.other_side import OtherSide
    from ..models.own_side import OwnSide


T = TypeVar("T", bound="ConflictLink")


@_attrs_define
class ConflictLink:
    """One link the caller's department owns a side of, with its last comparison.

    Attributes:
        id (int):
        side (SideEnum):
        authoritative (bool): Whether the caller's side is the authoritative source.
        own (OwnSide):
        other (OtherSide):
        last_comparison (Comparison | None):
    """

    id: int
    side: SideEnum
    authoritative: bool
    own: OwnSide
    other: OtherSide
    last_comparison: Comparison | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.comparison import Comparison  # noqa: PLC0415

        id = self.id

        side = self.side.value

        authoritative = self.authoritative

        own = self.own.to_dict()

        other = self.other.to_dict()

        last_comparison: dict[str, Any] | None
        if isinstance(self.last_comparison, Comparison):
            last_comparison = self.last_comparison.to_dict()
        else:
            last_comparison = self.last_comparison

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "side": side,
                "authoritative": authoritative,
                "own": own,
                "other": other,
                "last_comparison": last_comparison,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.comparison import Comparison  # noqa: PLC0415
        from ..models.other_side import OtherSide  # noqa: PLC0415
        from ..models.own_side import OwnSide  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        side = SideEnum(d.pop("side"))

        authoritative = d.pop("authoritative")

        own = OwnSide.from_dict(d.pop("own"))

        other = OtherSide.from_dict(d.pop("other"))

        def _parse_last_comparison(data: object) -> Comparison | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                last_comparison_type_1 = Comparison.from_dict(data)

                return last_comparison_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Comparison | None, data)

        last_comparison = _parse_last_comparison(d.pop("last_comparison"))

        conflict_link = cls(
            id=id,
            side=side,
            authoritative=authoritative,
            own=own,
            other=other,
            last_comparison=last_comparison,
        )

        conflict_link.additional_properties = d
        return conflict_link

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
