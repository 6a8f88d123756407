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


T = TypeVar("T", bound="PatchedResourceWriteRequest")


@_attrs_define
class PatchedResourceWriteRequest:
    """What a catalog editor sends to register or change a resource; the services validate it.

    Attributes:
        category (int | Unset):
        name (str | Unset):
        summary (str | Unset):
        format_class (FormatClassEnum | Unset): * `file` - 电子文件
            * `sheet` - 电子表格
            * `database` - 数据库
            * `image` - 图形图像
            * `media` - 流媒体
            * `selfdesc` - 自描述格式
            * `service` - 服务接口
            * `other` - 其他
        format_type (str | Unset):
        share_type (ShareTypeEnum | Unset): * `unconditional` - 无条件共享
            * `conditional` - 有条件共享
            * `none` - 不予共享
        share_condition (str | Unset): 无条件共享填写“无条件”；有条件共享填写共享条件；不予共享填写法律依据。
        share_method (ShareMethodEnum | Unset): * `api` - 共享平台：接口
            * `file` - 共享平台：文件
            * `database` - 共享平台：数据库
            * `email` - 线下：邮件
            * `media` - 线下：介质
        open_type (OpenTypeEnum | Unset): * `unconditional` - 无条件开放
            * `conditional` - 有条件开放
            * `not_open` - 不予开放
        open_condition (str | Unset):
        update_cycle (UpdateCycleEnum | Unset): * `realtime` - 实时
            * `daily` - 每日
            * `weekly` - 每周
            * `dekad` - 每旬
            * `monthly` - 每月
            * `quarterly` - 每季度
            * `semiannual` - 每半年
            * `yearly` - 每年
            * `irregular` - 不定期
        level (LevelEnum | Unset): * `1` - L1 不敏感
            * `2` - L2 低敏感
            * `3` - L3 较敏感
            * `4` - L4 敏感
        catalog_scope (CatalogScopeEnum | Unset): * `departments` - 各部门可见
            * `cleared` - 仅分级授权人员可见
            * `provider` - 仅提供方可见
        catalog_scope_reason (str | Unset):
        source_system (int | None | Unset):
        region_code (str | Unset):
        valid_until (datetime.date | None | Unset): 目录条目有效的最后一天；留空表示长期有效。
        items (list[DataItemWriteRequest] | Unset): The resource's data items, in order.
        state_secret (bool | Unset): True if the resource holds state secrets (涉密); such a resource is refused. Default:
            False.
    """

    category: int | Unset = UNSET
    name: str | Unset = UNSET
    summary: str | Unset = UNSET
    format_class: FormatClassEnum | Unset = UNSET
    format_type: str | Unset = UNSET
    share_type: ShareTypeEnum | Unset = UNSET
    share_condition: str | Unset = UNSET
    share_method: ShareMethodEnum | Unset = UNSET
    open_type: OpenTypeEnum | Unset = UNSET
    open_condition: str | Unset = UNSET
    update_cycle: UpdateCycleEnum | Unset = UNSET
    level: LevelEnum | Unset = UNSET
    catalog_scope: CatalogScopeEnum | Unset = UNSET
    catalog_scope_reason: str | Unset = UNSET
    source_system: int | None | Unset = UNSET
    region_code: str | Unset = UNSET
    valid_until: datetime.date | None | Unset = UNSET
    items: list[DataItemWriteRequest] | Unset = UNSET
    state_secret: bool | Unset = False

    def to_dict(self) -> dict[str, Any]:
        category = self.category

        name = self.name

        summary = self.summary

        format_class: str | Unset = UNSET
        if not isinstance(self.format_class, Unset):
            format_class = self.format_class.value

        format_type = self.format_type

        share_type: str | Unset = UNSET
        if not isinstance(self.share_type, Unset):
            share_type = self.share_type.value

        share_condition = self.share_condition

        share_method: str | Unset = UNSET
        if not isinstance(self.share_method, Unset):
            share_method = self.share_method.value

        open_type: str | Unset = UNSET
        if not isinstance(self.open_type, Unset):
            open_type = self.open_type.value

        open_condition = self.open_condition

        update_cycle: str | Unset = UNSET
        if not isinstance(self.update_cycle, Unset):
            update_cycle = self.update_cycle.value

        level: int | Unset = UNSET
        if not isinstance(self.level, Unset):
            level = self.level.value

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

        items: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.items, Unset):
            items = []
            for items_item_data in self.items:
                items_item = items_item_data.to_dict()
                items.append(items_item)

        state_secret = self.state_secret

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if category is not UNSET:
            field_dict["category"] = category
        if name is not UNSET:
            field_dict["name"] = name
        if summary is not UNSET:
            field_dict["summary"] = summary
        if format_class is not UNSET:
            field_dict["format_class"] = format_class
        if format_type is not UNSET:
            field_dict["format_type"] = format_type
        if share_type is not UNSET:
            field_dict["share_type"] = share_type
        if share_condition is not UNSET:
            field_dict["share_condition"] = share_condition
        if share_method is not UNSET:
            field_dict["share_method"] = share_method
        if open_type is not UNSET:
            field_dict["open_type"] = open_type
        if open_condition is not UNSET:
            field_dict["open_condition"] = open_condition
        if update_cycle is not UNSET:
            field_dict["update_cycle"] = update_cycle
        if level is not UNSET:
            field_dict["level"] = level
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
        if items is not UNSET:
            field_dict["items"] = items
        if state_secret is not UNSET:
            field_dict["state_secret"] = state_secret

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.data_item_write_request import DataItemWriteRequest  # noqa: PLC0415

        d = dict(src_dict)
        category = d.pop("category", UNSET)

        name = d.pop("name", UNSET)

        summary = d.pop("summary", UNSET)

        _format_class = d.pop("format_class", UNSET)
        format_class: FormatClassEnum | Unset
        if isinstance(_format_class, Unset):
            format_class = UNSET
        else:
            format_class = FormatClassEnum(_format_class)

        format_type = d.pop("format_type", UNSET)

        _share_type = d.pop("share_type", UNSET)
        share_type: ShareTypeEnum | Unset
        if isinstance(_share_type, Unset):
            share_type = UNSET
        else:
            share_type = ShareTypeEnum(_share_type)

        share_condition = d.pop("share_condition", UNSET)

        _share_method = d.pop("share_method", UNSET)
        share_method: ShareMethodEnum | Unset
        if isinstance(_share_method, Unset):
            share_method = UNSET
        else:
            share_method = ShareMethodEnum(_share_method)

        _open_type = d.pop("open_type", UNSET)
        open_type: OpenTypeEnum | Unset
        if isinstance(_open_type, Unset):
            open_type = UNSET
        else:
            open_type = OpenTypeEnum(_open_type)

        open_condition = d.pop("open_condition", UNSET)

        _update_cycle = d.pop("update_cycle", UNSET)
        update_cycle: UpdateCycleEnum | Unset
        if isinstance(_update_cycle, Unset):
            update_cycle = UNSET
        else:
            update_cycle = UpdateCycleEnum(_update_cycle)

        _level = d.pop("level", UNSET)
        level: LevelEnum | Unset
        if isinstance(_level, Unset):
            level = UNSET
        else:
            level = LevelEnum(_level)

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

        _items = d.pop("items", UNSET)
        items: list[DataItemWriteRequest] | Unset = UNSET
        if _items is not UNSET:
            items = []
            for items_item_data in _items:
                items_item = DataItemWriteRequest.from_dict(items_item_data)

                items.append(items_item)

        state_secret = d.pop("state_secret", UNSET)

        patched_resource_write_request = cls(
            category=category,
            name=name,
            summary=summary,
            format_class=format_class,
            format_type=format_type,
            share_type=share_type,
            share_condition=share_condition,
            share_method=share_method,
            open_type=open_type,
            open_condition=open_condition,
            update_cycle=update_cycle,
            level=level,
            catalog_scope=catalog_scope,
            catalog_scope_reason=catalog_scope_reason,
            source_system=source_system,
            region_code=region_code,
            valid_until=valid_until,
            items=items,
            state_secret=state_secret,
        )

        return patched_resource_write_request
