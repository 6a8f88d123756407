from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.level_enum import LevelEnum
from ..models.roles_enum import RolesEnum

if TYPE_CHECKING:
    from ..models.department_ref import DepartmentRef
    from ..models.token_info import TokenInfo


T = TypeVar("T", bound="Me")


@_attrs_define
class Me:
    """
    Attributes:
        id (int):
        username (str): 必填；长度为150个字符或以下；只能包含字母、数字、特殊字符“@”、“.”、“-”和“_”。
        full_name (str):
        department (DepartmentRef | None):
        roles (list[RolesEnum]):
        clearance (LevelEnum): * `1` - L1 不敏感
            * `2` - L2 低敏感
            * `3` - L3 较敏感
            * `4` - L4 敏感
        token (None | TokenInfo): The token this request was made with; null for a session.
    """

    id: int
    username: str
    full_name: str
    department: DepartmentRef | None
    roles: list[RolesEnum]
    clearance: LevelEnum
    token: None | TokenInfo
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.department_ref import DepartmentRef  # noqa: PLC0415
        from ..models.token_info import TokenInfo  # noqa: PLC0415

        id = self.id

        username = self.username

        full_name = self.full_name

        department: dict[str, Any] | None
        if isinstance(self.department, DepartmentRef):
            department = self.department.to_dict()
        else:
            department = self.department

        roles = []
        for roles_item_data in self.roles:
            roles_item = roles_item_data.value
            roles.append(roles_item)

        clearance = self.clearance.value

        token: dict[str, Any] | None
        if isinstance(self.token, TokenInfo):
            token = self.token.to_dict()
        else:
            token = self.token

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "username": username,
                "full_name": full_name,
                "department": department,
                "roles": roles,
                "clearance": clearance,
                "token": token,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.department_ref import DepartmentRef  # noqa: PLC0415
        from ..models.token_info import TokenInfo  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        username = d.pop("username")

        full_name = d.pop("full_name")

        def _parse_department(data: object) -> DepartmentRef | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                department_type_1 = DepartmentRef.from_dict(data)

                return department_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DepartmentRef | None, data)

        department = _parse_department(d.pop("department"))

        roles = []
        _roles = d.pop("roles")
        for roles_item_data in _roles:
            roles_item = RolesEnum(roles_item_data)

            roles.append(roles_item)

        clearance = LevelEnum(d.pop("clearance"))

        def _parse_token(data: object) -> None | TokenInfo:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                token_type_1 = TokenInfo.from_dict(data)

                return token_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TokenInfo, data)

        token = _parse_token(d.pop("token"))

        me = cls(
            id=id,
            username=username,
            full_name=full_name,
            department=department,
            roles=roles,
            clearance=clearance,
            token=token,
        )

        me.additional_properties = d
        return me

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
