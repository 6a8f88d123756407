from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.catalog_scope_enum import CatalogScopeEnum
from ..models.format_class_enum import FormatClassEnum
from ..models.level_enum import LevelEnum
from ..models.open_type_enum import OpenTypeEnum
from ..models.share_method_enum import ShareMethodEnum
from ..models.share_type_enum import ShareTypeEnum
from ..models.update_cycle_enum import UpdateCycleEnum
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.data_item_write_request import DataItemWriteRequest


T = TypeVar("T", bound="ResourceWriteRequest")


@_attrs_define
class ResourceWriteRequest:
    """What a catalog editor sends to register or change a resource; the services validate it.

    Attributes:
        category (int):
        name (str):
        summary (str):
        format_class (FormatClassEnum): * `file` - 电子文件
            * `sheet` - 电子表格
            * `database` - 数据库
            * `image` - 图形图像
            * `media` - 流媒体
            * `selfdesc` - 自描述格式
            * `service` - 服务接口
            * `other` - 其他
        share_type (ShareTypeEnum): * `unconditional` - 无条件共享
            * `conditional` - 有条件共享
            * `none` - 不予共享
        share_method (ShareMethodEnum): * `api` - 共享平台：接口
            * `file` - 共享平台：文件
            * `database` - 共享平台：数据库
            * `email` - 线下：邮件
            * `media` - 线下：介质
        update_cycle (UpdateCycleEnum): * `realtime` - 实时
            * `daily` - 每日
            * `weekly` - 每周
            * `dekad` - 每旬
            * `monthly` - 每月
            * `quarterly` - 每季度
            * `semiannual` - 每半年
            * `yearly` - 每年
            * `irregular` - 不定期
        level (LevelEnum): * `1` - L1 不敏感
            * `2` - L2 低敏感
            * `3` - L3 较敏感
            * `4` - L4 敏感
        items (list[DataItemWriteRequest]): The resource's data items, in order.
        format_type (str | Unset):
        share_condition (str | Unset): 无条件共享填写“无条件”；有条件共享填写共享条件；不予共享填写法律依据。
        open_type (OpenTypeEnum | Unset): * `unconditional` - 无条件开放
            * `conditional` - 有条件开放
            * `not_open` - 不予开放
        open_condition (str | Unset):
        catalog_scope (CatalogScopeEnum | Unset): * `departments` - 各部门可见
            * `cleared` - 仅分级授权人员可见
            * `provider` - 仅提供方可见
        catalog_scope_reason (str | Unset):
        source_system (int | None | Unset):
        region_code (str | Unset):
        valid_until (datetime.date | None | Unset): 目录条目有效的最后一天；留空表示长期有效。
        state_secret (bool | Unset): True if the resource holds state secrets (涉密); such a resource is refused. Default:
            False.
    """

    category: int
    name: str
    summary: str
    format_class: FormatClassEnum
    share_type: ShareTypeEnum
    share_method: ShareMethodEnum
    update_cycle: UpdateCycleEnum
    level: LevelEnum
    items: list[DataItemWriteRequest]
    format_type: str | Unset = UNSET
    share_condition: str | Unset = UNSET
    open_type: OpenTypeEnum | Unset = UNSET
    open_condition: str | Unset = UNSET
    catalog_scope: CatalogScopeEnum | Unset = UNSET
    catalog_scope_reason: str | Unset = UNSET
    source_system: int | None | Unset = UNSET
    region_code: str | Unset = UNSET
    valid_until: datetime.date | None | Unset = UNSET
    state_secret: bool | Unset = False

    def to_dict(self) -> dict[str, Any]:
        category = self.category

        name = self.name

        summary = self.summary

        format_class = self.format_class.value

        share_type = self.share_type.value

        share_method = self.share_method.value

        update_cycle = self.update_cycle.value

        level = self.level.value

        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)

        format_type = self.format_type

        share_condition = self.share_condition

        open_type: str | Unset = UNSET
        if not isinstance(self.open_type, Unset):
            open_type = self.open_type.value

        open_condition = self.open_condition

        catalog_scope: str | Unset = UNSET
        if not isinstance(self.catalog_scope, Unset):
            catalog_scope = self.catalog_scope.value

        catalog_scope_reason = self.catalog_scope_reason

        source_system: int | None | Unset
        if isinstance(self.source_system, Unset):
            source_system = UNSET
        else:
            source_system = self.source_system

        region_code: str | Unset
        if isinstance(self.region_code, Unset):
            region_code = UNSET
        else:
            region_code = self.region_code

        valid_until: None | str | Unset
        if isinstance(self.valid_until, Unset):
            valid_until = UNSET
        elif isinstance(self.valid_until, datetime.date):
            valid_until = self.valid_until.isoformat()
        else:
            valid_until = self.valid_until

        state_secret = self.state_secret

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "category": category,
                "name": name,
                "summary": summary,
                "format_class": format_class,
                "share_type": share_type,
                "share_method": share_method,
                "update_cycle": update_cycle,
                "level": level,
                "items": items,
            }
        )
        if format_type is not UNSET:
            field_dict["format_type"] = format_type
        if share_condition is not UNSET:
            field_dict["share_condition"] = share_condition
        if open_type is not UNSET:
            field_dict["open_type"] = open_type
        if open_condition is not UNSET:
            field_dict["open_condition"] = open_condition
        if catalog_scope is not UNSET:
            field_dict["catalog_scope"] = catalog_scope
        if catalog_scope_reason is not UNSET:
            field_dict["catalog_scope_reason"] = catalog_scope_reason
        if source_system is not UNSET:
            field_dict["source_system"] = source_system
        if region_code is not UNSET:
            field_dict["region_code"] = region_code
        if valid_until is not UNSET:
            field_dict["valid_until"] = valid_until
        if state_secret is not UNSET:
            field_dict["state_secret"] = state_secret

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.data_item_write_request import DataItemWriteRequest  # noqa: PLC0415

        d = dict(src_dict)
        category = d.pop("category")

        name = d.pop("name")

        summary = d.pop("summary")

        format_class = FormatClassEnum(d.pop("format_class"))

        share_type = ShareTypeEnum(d.pop("share_type"))

        share_method = ShareMethodEnum(d.pop("share_method"))

        update_cycle = UpdateCycleEnum(d.pop("update_cycle"))

        level = LevelEnum(d.pop("level"))

        items = []
        _items = d.pop("items")
        for items_item_data in _items:
            items_item = DataItemWriteRequest.from_dict(items_item_data)

            items.append(items_item)

        format_type = d.pop("format_type", UNSET)

        share_condition = d.pop("share_condition", UNSET)

        _open_type = d.pop("open_type", UNSET)
        open_type: OpenTypeEnum | Unset
        if isinstance(_open_type, Unset):
            open_type = UNSET
        else:
            open_type = OpenTypeEnum(_open_type)

        open_condition = d.pop("open_condition", UNSET)

        _catalog_scope = d.pop("catalog_scope", UNSET)
        catalog_scope: CatalogScopeEnum | Unset
        if isinstance(_catalog_scope, Unset):
            catalog_scope = UNSET
        else:
            catalog_scope = CatalogScopeEnum(_catalog_scope)

        catalog_scope_reason = d.pop("catalog_scope_reason", UNSET)

        def _parse_source_system(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        source_system = _parse_source_system(d.pop("source_system", UNSET))

        def _parse_region_code(data: object) -> str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(str | Unset, data)

        region_code = _parse_region_code(d.pop("region_code", UNSET))

        def _parse_valid_until(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                valid_until_type_0 = datetime.date.fromisoformat(data)

                return valid_until_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        valid_until = _parse_valid_until(d.pop("valid_until", UNSET))

        state_secret = d.pop("state_secret", UNSET)

        resource_write_request = cls(
            category=category,
            name=name,
            summary=summary,
            format_class=format_class,
            share_type=share_type,
            share_method=share_method,
            update_cycle=update_cycle,
            level=level,
            items=items,
            format_type=format_type,
            share_condition=share_condition,
            open_type=open_type,
            open_condition=open_condition,
            catalog_scope=catalog_scope,
            catalog_scope_reason=catalog_scope_reason,
            source_system=source_system,
            region_code=region_code,
            valid_until=valid_until,
            state_secret=state_secret,
        )

        return resource_write_request
