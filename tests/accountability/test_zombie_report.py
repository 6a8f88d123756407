"""The zombie report, a page at a time: the same systems, counts and dates as a plain count."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accountability import views
from accountability.selectors.zombies import zombie_cutoff, zombie_figures, zombie_systems
from accounts.models import Level, Role
from catalog.models import InformationSystem, Resource
from tests import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    monkeypatch.setattr(views, "UNCONFIRMED_SHOWN", 2)


def _coordinator(clearance: int):
    bureau = builders.department(f"数据局L{clearance}")
    return builders.user(bureau, clearance=clearance, roles=(Role.STAFF, Role.COORDINATOR))


def _world(settings):
    """Systems in two departments with resources at several levels, statuses and dates."""
    settings.PORTAL_ZOMBIE_MONTHS = 6
    now = timezone.now()
    recent, old = now - timedelta(days=20), now - timedelta(days=300)
    first, second = builders.department("乙局"), builders.department("甲局")

    def feed(system, dept, level, status="published", updated=None):
        resource = builders.resource(dept, level=level, status=status, source_system=system)
        Resource.objects.filter(pk=resource.pk).update(data_updated_at=updated)

    # Fresh only through an L3 resource: a zombie for an L1 or L2 coordinator (stale below).
    s = builders.system(first, "甲系统")
    feed(s, first, Level.L1, updated=old)
    feed(s, first, Level.L3, updated=recent)
    # Only an L4 resource, never updated: "never updated" for L4, "no resource" below.
    s = builders.system(first, "乙系统")
    feed(s, first, Level.L4)
    # Fresh through L1: no zombie for anyone; a recent draft and a retired one do not count.
    s = builders.system(second, "丙系统")
    feed(s, second, Level.L1, updated=recent)
    feed(s, second, Level.L2, updated=old)
    # Stale at every level, with a recent retired resource and a draft, which do not count.
    s = builders.system(second, "丁系统")
    feed(s, second, Level.L1, updated=old)
    feed(s, second, Level.L2, updated=old - timedelta(days=30))
    feed(s, second, Level.L2, status="retired", updated=recent)
    feed(s, second, Level.L1, status="draft")
    # Nothing at all; and a retired system, never listed.
    builders.system(second, "戊系统")
    retired = builders.system(second, "己系统", status=InformationSystem.Status.RETIRED)
    feed(retired, second, Level.L1, updated=old)
    return now


def _expected(clearance: int, now) -> list[tuple[int, int, object]]:
    """The report computed plainly: every approved system, its resources counted in Python."""
    cutoff = zombie_cutoff(now)
    rows = []
    systems = InformationSystem.objects.filter(status=InformationSystem.Status.APPROVED)
    for system in sorted(systems, key=lambda s: (s.department.name, s.name, s.pk)):
        published = [
            r
            for r in Resource.objects.filter(source_system=system)
            if r.status == Resource.Status.PUBLISHED and r.level <= clearance
        ]
        dates = [r.data_updated_at for r in published if r.data_updated_at is not None]
        last = max(dates) if dates else None
        if not published or last is None or last < cutoff:
            rows.append((system.pk, len(published), last))
    return rows


@pytest.mark.parametrize("clearance", [Level.L1, Level.L2, Level.L4])
def test_the_report_agrees_with_a_plain_count(client, settings, small_pages, clearance):
    now = _world(settings)
    coordinator = _coordinator(clearance)
    expected = _expected(clearance, now)
    found = zombie_figures(user=coordinator, systems=zombie_systems(user=coordinator, now=now))
    assert [(z.system.pk, z.published, z.last_update) for z in found] == expected
    # The same rows through the pages of the report.
    client.force_login(coordinator)
    shown = []
    for number in range(1, len(expected) // 2 + 2):
        response = client.get(reverse("accountability:zombies"), {"page": number})
        assert response.status_code == 200
        page = response.context["page_obj"]
        assert page.paginator.count == len(expected)
        shown += [(z.system.pk, z.published, z.last_update) for z in response.context["rows"]]
        if not page.has_next():
            break
    assert shown == expected


def test_the_reasons_follow_the_clearance(settings):
    now = _world(settings)
    reasons = {}
    for clearance in (Level.L1, Level.L4):
        coordinator = _coordinator(clearance)
        zombies = zombie_figures(
            user=coordinator, systems=zombie_systems(user=coordinator, now=now)
        )
        reasons[clearance] = {z.system.name: z.reason for z in zombies}
    assert reasons[Level.L1] == {
        "甲系统": "stale",
        "乙系统": "no_resources",
        "丁系统": "stale",
        "戊系统": "no_resources",
    }
    assert reasons[Level.L4] == {
        "乙系统": "never_updated",
        "丁系统": "stale",
        "戊系统": "no_resources",
    }


def _table(html: str, table_id: str) -> str:
    return html.split(f'id="{table_id}"')[1].split("</table>")[0]


def test_the_page_shows_the_figures_and_pages_on(client, settings, small_pages):
    _world(settings)
    client.force_login(_coordinator(Level.L4))
    first = _table(client.get(reverse("accountability:zombies")).content.decode(), "zombies")
    second = _table(
        client.get(reverse("accountability:zombies"), {"page": 2}).content.decode(), "zombies"
    )
    # By department name (乙局 sorts before 甲局), then system name: 乙, 丁 | 戊.
    assert first.index("乙系统") < first.index("丁系统") and "戊系统" not in first
    assert "戊系统" in second and "乙系统" not in second and "丁系统" not in second
    never = first.split("乙系统")[1].split("</tr>")[0]
    assert "<td>1</td>" in never and "数据从未更新" in never
    stale = first.split("丁系统")[1].split("</tr>")[0]
    assert "<td>2</td>" in stale and "近期没有数据更新" in stale
    assert "<td>0</td>" in second and "没有已发布资源" in second


def test_systems_not_reconfirmed_are_capped_with_a_link_to_all(client, settings, small_pages):
    settings.PORTAL_SYSTEM_RECONFIRM_DAYS = 365
    dept = builders.department("丙局")
    overdue = [builders.system(dept, f"逾期系统{n}") for n in range(3)]
    InformationSystem.objects.filter(pk__in=[s.pk for s in overdue]).update(
        confirmed_at=timezone.now() - timedelta(days=400)
    )
    coordinator = _coordinator(Level.L4)
    client.force_login(coordinator)
    page = client.get(reverse("accountability:zombies")).content.decode()
    table = page.split('id="unconfirmed"')[1].split("</table>")[0]
    assert sum(s.name in table for s in overdue) == 2
    assert 'id="unconfirmed-more"' in page
    assert reverse("accountability:unconfirmed_systems") in page
    listed = []
    for number in (1, 2):
        response = client.get(reverse("accountability:unconfirmed_systems"), {"page": number})
        assert response.status_code == 200
        listed += [s.pk for s in response.context["page_obj"]]
    assert sorted(listed) == sorted(s.pk for s in overdue)
    # With every system shown, no link.
    settings.PORTAL_SYSTEM_RECONFIRM_DAYS = 500
    assert (
        'id="unconfirmed-more"'
        not in client.get(reverse("accountability:zombies")).content.decode()
    )


@pytest.mark.parametrize(
    "url_name", ["accountability:zombies", "accountability:unconfirmed_systems"]
)
def test_a_department_user_does_not_see_the_report(client, url_name):
    dept = builders.department("丁局")
    for user in (
        builders.user(dept, clearance=Level.L4),
        builders.user(dept, clearance=Level.L4, roles=(Role.STAFF, Role.DEPARTMENT_ADMIN)),
    ):
        client.force_login(user)
        # What a user may not see does not exist for them (the evaluation's pages).
        assert client.get(reverse(url_name)).status_code == 404
    client.force_login(_coordinator(Level.L4))
    assert client.get(reverse(url_name)).status_code == 200


def test_the_queries_do_not_grow_with_systems_or_resources(client, settings):
    now = _world(settings)
    client.force_login(_coordinator(Level.L4))
    url = reverse("accountability:zombies")

    def count() -> int:
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    before = count()
    dept = builders.department("戊局")
    for n in range(3):
        system = builders.system(dept, f"新系统{n}")
        InformationSystem.objects.filter(pk=system.pk).update(
            confirmed_at=now - timedelta(days=400)
        )
        for _ in range(2):
            builders.resource(dept, source_system=system)
    assert count() == before
