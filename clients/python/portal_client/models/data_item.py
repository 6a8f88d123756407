from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.data_type_enum import DataTypeEnum
from ..models.kind_enum import KindEnum
from ..models.level_enum import LevelEnum

if TYPE_CHECKING:
    from ..models.code_list_ref import CodeListRef


T = TypeVar("T", bound="DataItem")


@_attrs_define
class DataItem:
    """
    Attributes:
        id (int):
        name (str):
        data_type (DataTypeEnum): * `C` - C 字符
            * `N` - N 数值
            * `Y` - Y 货币
            * `D` - D 日期
            * `T` - T 日期时间
            * `L` - L 逻辑
            * `M` - M 备注
            * `G` - G 通用
            * `B` - B 双精度
            * `I` - I 整型
            * `F` - F 浮点
        length (int):
        level (LevelEnum): * `1` - L1 不敏感
            * `2` - L2 低敏感
            * `3` - L3 较敏感
            * `4` - L4 敏感
        kind (KindEnum): * `none` - 非个人信息
            * `id_number` - 公民身份号码
            * `mobile` - 手机号码
            * `name` - 姓名
            * `uscc` - 统一社会信用代码
            * `bank_card` - 银行卡号
            * `address` - 住址
        is_key (bool):
        description (str):
        code_list (CodeListRef | None): The code list (代码集) the item's values come from; null for none. Its codes: GET
            /api/v1/code-lists/{code}/.
    """

    id: int
    name: str
    data_type: DataTypeEnum
    length: int
    level: LevelEnum
    kind: KindEnum
    is_key: bool
    description: str
    code_list: CodeListRef | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.code_list_ref import CodeListRef  # noqa: PLC0415

        id = self.id

        name = self.name

        data_type = self.data_type.value

        length = self.length

        level = self.level.value

        kind = self.kind.value

        is_key = self.is_key

        description = self.description

        code_list: dict[str, Any] | None
        if isinstance(self.code_list, CodeListRef):
            code_list = self.code_list.to_dict()
        else:
            code_list = self.code_list

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "data_type": data_type,
                "length": length,
                "level": level,
                "kind": kind,
                "is_key": is_key,
                "description": description,
                "code_list": code_list,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.code_list_ref import CodeListRef  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        data_type = DataTypeEnum(d.pop("data_type"))

        length = d.pop("length")

        level = LevelEnum(d.pop("level"))

        kind = KindEnum(d.pop("kind"))

        is_key = d.pop("is_key")

        description = d.pop("description")

        def _parse_code_list(data: object) -> CodeListRef | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                code_list_type_1 = CodeListRef.from_dict(data)

                return code_list_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CodeListRef | None, data)

        code_list = _parse_code_list(d.pop("code_list"))

        data_item = cls(
            id=id,
            name=name,
            data_type=data_type,
            length=length,
            level=level,
            kind=kind,
            is_key=is_key,
            description=description,
            code_list=code_list,
        )

        data_item.additional_properties = d
        return data_item

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
