from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.data_type_enum import DataTypeEnum
from ..models.kind_enum import KindEnum
from ..models.level_enum import LevelEnum
from ..types import UNSET, Unset

T = TypeVar("T", bound="DataItemWriteRequest")


@_attrs_define
class DataItemWriteRequest:
    """
    Attributes:
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
        level (LevelEnum | Unset): * `1` - L1 不敏感
            * `2` - L2 低敏感
            * `3` - L3 较敏感
            * `4` - L4 敏感
        kind (KindEnum | Unset): * `none` - 非个人信息
            * `id_number` - 公民身份号码
            * `mobile` - 手机号码
            * `name` - 姓名
            * `uscc` - 统一社会信用代码
            * `bank_card` - 银行卡号
            * `address` - 住址
        is_key (bool | Unset):
        description (str | Unset):
        code_list (None | str | Unset): The code of the item's code list (e.g. `GB/T 2261.1-2003`), for C, N and I
            items; empty or null for none. Left out on an update, an item keeps its list.
    """

    name: str
    data_type: DataTypeEnum
    length: int
    level: LevelEnum | Unset = UNSET
    kind: KindEnum | Unset = UNSET
    is_key: bool | Unset = UNSET
    description: str | Unset = UNSET
    code_list: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        data_type = self.data_type.value

        length = self.length

        level: int | Unset = UNSET
        if not isinstance(self.level, Unset):
            level = self.level.value

        kind: str | Unset = UNSET
        if not isinstance(self.kind, Unset):
            kind = self.kind.value

        is_key = self.is_key

        description = self.description

        code_list: None | str | Unset
        if isinstance(self.code_list, Unset):
            code_list = UNSET
        else:
            code_list = self.code_list

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "data_type": data_type,
                "length": length,
            }
        )
        if level is not UNSET:
            field_dict["level"] = level
        if kind is not UNSET:
            field_dict["kind"] = kind
        if is_key is not UNSET:
            field_dict["is_key"] = is_key
        if description is not UNSET:
            field_dict["description"] = description
        if code_list is not UNSET:
            field_dict["code_list"] = code_list

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        data_type = DataTypeEnum(d.pop("data_type"))

        length = d.pop("length")

        _level = d.pop("level", UNSET)
        level: LevelEnum | Unset
        if isinstance(_level, Unset):
            level = UNSET
        else:
            level = LevelEnum(_level)

        _kind = d.pop("kind", UNSET)
        kind: KindEnum | Unset
        if isinstance(_kind, Unset):
            kind = UNSET
        else:
            kind = KindEnum(_kind)

        is_key = d.pop("is_key", UNSET)

        description = d.pop("description", UNSET)

        def _parse_code_list(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        code_list = _parse_code_list(d.pop("code_list", UNSET))

        data_item_write_request = cls(
            name=name,
            data_type=data_type,
            length=length,
            level=level,
            kind=kind,
            is_key=is_key,
            description=description,
            code_list=code_list,
        )

        return data_item_write_request
