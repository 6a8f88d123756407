"""Duplicate collection and zombie systems, with the rules checked on hand-built data."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from accountability.rules import normalise_item_name
from accountability.selectors.duplicates import duplicate_groups
from accountability.selectors.zombies import unconfirmed_systems, zombie_figures, zombie_systems
from catalog import services as catalog_services
from catalog.models import InformationSystem, Resource
from tests import builders


def test_names_are_normalised_with_the_synonym_table():
    assert normalise_item_name("身份证号码") == "身份证号"
    assert normalise_item_name(" 公民身份号码 ") == "身份证号"
    assert normalise_item_name("身份证-号") == "身份证号"
    assert normalise_item_name("企业（名称）") == "单位名称" != normalise_item_name("企业地址")


def _collect(dept, name, data_type="C", category="101", **fields):
    return builders.resource(
        dept,
        category_code=category,
        items=[builders.item("编号", is_key=True), builders.item(name, data_type=data_type)],
        **fields,
    )


def test_duplicate_groups_count_resources_and_departments_and_propose_a_source(city):
    coordinator = city.users["coordinator"]
    # 身份证号 under three spellings in three departments; 乙's resource is in the 基础 class.
    _collect(city.a, "身份证号码", category="201")
    _collect(city.a, "公民身份号码", category="201")
    _collect(city.b, "身份证号", category="101")
    _collect(city.c, "身份证 号", category="202")
    # Same name, other type: not the same item.
    _collect(city.c, "身份证号", data_type="N", category="202")
    # A draft does not count.
    _collect(city.c, "居民身份证号码", category="202", status="draft")
    groups = {(g.key, g.data_type): g for g in duplicate_groups(user=coordinator)}
    group = groups[("身份证号", "C")]
    assert group.department_count == 3
    assert group.resource_count == 4
    assert group.authority.department_id == city.b.pk  # the base-class resource wins
    assert ("身份证号", "N") not in groups


def test_without_a_base_class_resource_the_most_granted_department_is_proposed(city):
    _collect(city.a, "不动产单元号", category="201")
    granted = _collect(city.c, "不动产单元号", category="202")
    builders.grant(granted, city.b)
    groups = {g.key: g for g in duplicate_groups(user=city.users["coordinator"])}
    assert groups["不动产单元号"].authority.department_id == city.c.pk


def test_duplicates_respect_clearance(city):
    coordinator = city.users["coordinator"]
    coordinator.clearance = 2
    _collect(city.a, "病历号", level=3)
    _collect(city.b, "病历号")
    assert "病历号" not in {g.key for g in duplicate_groups(user=coordinator)}


def test_zombie_systems(city, settings):
    settings.PORTAL_ZOMBIE_MONTHS = 6
    coordinator = city.users["coordinator"]

    def system(name):
        return builders.system(city.a, name)

    empty = system("无资源系统")
    stale = system("久未更新系统")
    fresh = system("正常系统")
    never = system("从未更新系统")
    retired = system("已停用系统")
    now = timezone.now()
    for sys, updated in ((stale, now - timedelta(days=200)), (fresh, now - timedelta(days=10))):
        res = builders.resource(city.a, source_system=sys)
        Resource.objects.filter(pk=res.pk).update(data_updated_at=updated)
    builders.resource(city.a, source_system=never)
    builders.resource(city.a, source_system=empty, status="draft")  # drafts do not count
    catalog_services.system_retire(actor=None, system=retired)
    zombies = zombie_figures(user=coordinator, systems=zombie_systems(user=coordinator))
    found = {z.system.pk: z.reason for z in zombies}
    assert found == {empty.pk: "no_resources", stale.pk: "stale", never.pk: "never_updated"}
    settings.PORTAL_ZOMBIE_MONTHS = 7
    found = {s.pk for s in zombie_systems(user=coordinator)}
    assert stale.pk not in found


def test_report_pages_render_for_the_coordinator(client, city):
    _collect(city.a, "身份证号码")
    _collect(city.b, "身份证号")
    client.force_login(city.users["coordinator"])
    page = client.get(reverse("accountability:duplicates")).content.decode()
    assert "身份证号码" in page and city.b.name in page
    assert client.get(reverse("accountability:zombies")).status_code == 200


def test_systems_not_reconfirmed_are_listed_beside_the_zombies(client, city, settings):
    settings.PORTAL_SYSTEM_RECONFIRM_DAYS = 365
    overdue = builders.system(city.a, "逾期未确认系统")
    confirmed = builders.system(city.a, "按时确认系统")
    retired = builders.system(city.a, "停用未确认系统", status="retired")
    draft = builders.system(city.a, "草稿系统", status="draft")
    year_ago = timezone.now() - timedelta(days=366)
    InformationSystem.objects.filter(pk__in=[overdue.pk, confirmed.pk, retired.pk]).update(
        confirmed_at=year_ago
    )
    catalog_services.system_reconfirm(actor=None, system=confirmed)
    coordinator = city.users["coordinator"]
    assert [s.pk for s in unconfirmed_systems(user=coordinator)] == [overdue.pk]
    client.force_login(coordinator)
    page = client.get(reverse("accountability:zombies")).content.decode()
    assert 'id="unconfirmed"' in page and "逾期未确认系统" in page
    assert "按时确认系统" not in page.split('id="unconfirmed"')[1]
    assert draft.name not in page
    # A longer period (a setting) and the system is no longer overdue.
    settings.PORTAL_SYSTEM_RECONFIRM_DAYS = 400
    assert not unconfirmed_systems(user=coordinator).exists()
    # Nobody but the coordinator sees the list.
    with pytest.raises(PermissionDenied):
        unconfirmed_systems(user=builders.user(city.a, roles=("editor",)))
