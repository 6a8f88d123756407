from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.catalog_scope_enum import CatalogScopeEnum
from ..models.format_class_enum import FormatClassEnum
from ..models.level_enum import LevelEnum
from ..models.open_type_enum import OpenTypeEnum
from ..models.resource_status_enum import ResourceStatusEnum
from ..models.share_method_enum import ShareMethodEnum
from ..models.share_type_enum import ShareTypeEnum
from ..models.update_cycle_enum import UpdateCycleEnum
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.resource_data_item import ResourceDataItem


T = TypeVar("T", bound="ResourceSummary")


@_attrs_define
class ResourceSummary:
    """A resource as the list gives it: its catalog entry and how many data items it has.

    ``item_count`` counts the items the resource's detail lists; the items themselves are on
    the detail, and in the list only when it is asked for them (``?expand=items``): a page of
    50 resources with about ten items each is mostly items, which integrators listing the
    catalog rarely need.

        Attributes:
            id (int):
            code (None | str):
            name (str):
            summary (str):
            provider (int):
            provider_name (str):
            provider_code (str): The provider's USCC.
            category (int):
            category_code (str):
            share_type (ShareTypeEnum): * `unconditional` - 无条件共享
                * `conditional` - 有条件共享
                * `none` - 不予共享
            share_condition (str): 无条件共享填写“无条件”；有条件共享填写共享条件；不予共享填写法律依据。
            share_method (ShareMethodEnum): * `api` - 共享平台：接口
                * `file` - 共享平台：文件
                * `database` - 共享平台：数据库
                * `email` - 线下：邮件
                * `media` - 线下：介质
            format_class (FormatClassEnum): * `file` - 电子文件
                * `sheet` - 电子表格
                * `database` - 数据库
                * `image` - 图形图像
                * `media` - 流媒体
                * `selfdesc` - 自描述格式
                * `service` - 服务接口
                * `other` - 其他
            format_type (str):
            open_type (OpenTypeEnum): * `unconditional` - 无条件开放
                * `conditional` - 有条件开放
                * `not_open` - 不予开放
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
            catalog_scope (CatalogScopeEnum): * `departments` - 各部门可见
                * `cleared` - 仅分级授权人员可见
                * `provider` - 仅提供方可见
            catalog_scope_reason (str):
            status (ResourceStatusEnum): * `draft` - 草稿
                * `submitted` - 待审核
                * `published` - 已发布
                * `retired` - 已下架
            version (int):
            region_code (str):
            source_system (int | None):
            published_at (datetime.datetime | None):
            updated_at (datetime.datetime):
            review_comment (str):
            retired_reason (str):
            valid_until (datetime.date | None): 目录条目有效的最后一天；留空表示长期有效。
            expired (bool): True when valid_until is before today and the resource is not retired.
            item_count (int): How many data items the entry has: the items its detail lists (above the caller's clearance
                too, as definitions).
            items (list[ResourceDataItem] | Unset): The entry's data items, exactly as its detail lists them; present only
                with `?expand=items`.
    """

    id: int
    code: None | str
    name: str
    summary: str
    provider: int
    provider_name: str
    provider_code: str
    category: int
    category_code: str
    share_type: ShareTypeEnum
    share_condition: str
    share_method: ShareMethodEnum
    format_class: FormatClassEnum
    format_type: str
    open_type: OpenTypeEnum
    update_cycle: UpdateCycleEnum
    level: LevelEnum
    catalog_scope: CatalogScopeEnum
    catalog_scope_reason: str
    status: ResourceStatusEnum
    version: int
    region_code: str
    source_system: int | None
    published_at: datetime.datetime | None
    updated_at: datetime.datetime
    review_comment: str
    retired_reason: str
    valid_until: datetime.date | None
    expired: bool
    item_count: int
    items: list[ResourceDataItem] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        code: None | str
        code = self.code

        name = self.name

        summary = self.summary

        provider = self.provider

        provider_name = self.provider_name

        provider_code = self.provider_code

        category = self.category

        category_code = self.category_code

        share_type = self.share_type.value

        share_condition = self.share_condition

        share_method = self.share_method.value

        format_class = self.format_class.value

        format_type = self.format_type

        open_type = self.open_type.value

        update_cycle = self.update_cycle.value

        level = self.level.value

        catalog_scope = self.catalog_scope.value

        catalog_scope_reason = self.catalog_scope_reason

        status = self.status.value

        version = self.version

        region_code = self.region_code

        source_system: int | None
        source_system = self.source_system

        published_at: None | str
        if isinstance(self.published_at, datetime.datetime):
            published_at = self.published_at.isoformat()
        else:
            published_at = self.published_at

        updated_at = self.updated_at.isoformat()

        review_comment = self.review_comment

        retired_reason = self.retired_reason

        valid_until: None | str
        if isinstance(self.valid_until, datetime.date):
            valid_until = self.valid_until.isoformat()
        else:
            valid_until = self.valid_until

        expired = self.expired

        item_count = self.item_count

        items: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.items, Unset):
            items = []
            for items_item_data in self.items:
                items_item = items_item_data.to_dict()
                items.append(items_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "code": code,
                "name": name,
                "summary": summary,
                "provider": provider,
                "provider_name": provider_name,
                "provider_code": provider_code,
                "category": category,
                "category_code": category_code,
                "share_type": share_type,
                "share_condition": share_condition,
                "share_method": share_method,
                "format_class": format_class,
                "format_type": format_type,
                "open_type": open_type,
                "update_cycle": update_cycle,
                "level": level,
                "catalog_scope": catalog_scope,
                "catalog_scope_reason": catalog_scope_reason,
                "status": status,
                "version": version,
                "region_code": region_code,
                "source_system": source_system,
                "published_at": published_at,
                "updated_at": updated_at,
                "review_comment": review_comment,
                "retired_reason": retired_reason,
                "valid_until": valid_until,
                "expired": expired,
                "item_count": item_count,
            }
        )
        if items is not UNSET:
            field_dict["items"] = items

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.resource_data_item import ResourceDataItem  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        def _parse_code(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        code = _parse_code(d.pop("code"))

        name = d.pop("name")

        summary = d.pop("summary")

        provider = d.pop("provider")

        provider_name = d.pop("provider_name")

        provider_code = d.pop("provider_code")

        category = d.pop("category")

        category_code = d.pop("category_code")

        share_type = ShareTypeEnum(d.pop("share_type"))

        share_condition = d.pop("share_condition")

        share_method = ShareMethodEnum(d.pop("share_method"))

        format_class = FormatClassEnum(d.pop("format_class"))

        format_type = d.pop("format_type")

        open_type = OpenTypeEnum(d.pop("open_type"))

        update_cycle = UpdateCycleEnum(d.pop("update_cycle"))

        level = LevelEnum(d.pop("level"))

        catalog_scope = CatalogScopeEnum(d.pop("catalog_scope"))

        catalog_scope_reason = d.pop("catalog_scope_reason")

        status = ResourceStatusEnum(d.pop("status"))

        version = d.pop("version")

        region_code = d.pop("region_code")

        def _parse_source_system(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        source_system = _parse_source_system(d.pop("source_system"))

        def _parse_published_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                published_at_type_0 = datetime.datetime.fromisoformat(data)

                return published_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        published_at = _parse_published_at(d.pop("published_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        review_comment = d.pop("review_comment")

        retired_reason = d.pop("retired_reason")

        def _parse_valid_until(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                valid_until_type_0 = datetime.date.fromisoformat(data)

                return valid_until_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        valid_until = _parse_valid_until(d.pop("valid_until"))

        expired = d.pop("expired")

        item_count = d.pop("item_count")

        _items = d.pop("items", UNSET)
        items: list[ResourceDataItem] | Unset = UNSET
        if _items is not UNSET:
            items = []
            for items_item_data in _items:
                items_item = ResourceDataItem.from_dict(items_item_data)

                items.append(items_item)

        resource_summary = cls(
            id=id,
            code=code,
            name=name,
            summary=summary,
            provider=provider,
            provider_name=provider_name,
            provider_code=provider_code,
            category=category,
            category_code=category_code,
            share_type=share_type,
            share_condition=share_condition,
            share_method=share_method,
            format_class=format_class,
            format_type=format_type,
            open_type=open_type,
            update_cycle=update_cycle,
            level=level,
            catalog_scope=catalog_scope,
            catalog_scope_reason=catalog_scope_reason,
            status=status,
            version=version,
            region_code=region_code,
            source_system=source_system,
            published_at=published_at,
            updated_at=updated_at,
            review_comment=review_comment,
            retired_reason=retired_reason,
            valid_until=valid_until,
            expired=expired,
            item_count=item_count,
            items=items,
        )

        resource_summary.additional_properties = d
        return resource_summary

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
