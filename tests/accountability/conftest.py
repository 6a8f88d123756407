"""A small city with known dates, for checking every scorecard figure by hand.

Departments: 市甲局 (the provider under evaluation), 市乙局 (a consumer), 市丙局 (no catalog)
and the data bureau with the coordinator. Dates are written into the rows after the services
created them, so each figure's expected value can be computed on paper; comments say how.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from accounts.models import Department, Level, Role, User
from catalog.models import Resource
from sharing import services as sharing_services
from sharing.models import Correction, Grant, ShareRequest
from tests import builders
from tests.sharing.conftest import client, submit  # noqa: F401 - the fixture is re-exported

PERIOD = "2026"
# Evaluated after the year: every figure is taken at 2027-01-01 00:00.
NOW = timezone.make_aware(datetime(2027, 1, 15, 12, 0))


def at(year: int, month: int, day: int, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(date(year, month, day), time(hour)))


@dataclass
class City:
    a: Department
    b: Department
    c: Department
    bureau: Department
    users: dict[str, User] = field(default_factory=dict)
    resources: dict[str, Resource] = field(default_factory=dict)
    requests: dict[str, ShareRequest] = field(default_factory=dict)
    corrections: dict[str, Correction] = field(default_factory=dict)


def _resource(city: City, key: str, dept: Department, **fields) -> Resource:
    created = builders.resource(dept, name=f"{dept.short_name}{key}", **fields)
    city.resources[key] = created
    return created


def build_city() -> City:
    city = City(
        a=builders.department("市甲局"),
        b=builders.department("市乙局"),
        c=builders.department("市丙局"),
        bureau=builders.department("市数据局"),
    )
    u = city.users
    u["a_admin"] = builders.user(
        city.a, clearance=Level.L3, roles=(Role.STAFF, Role.DEPARTMENT_ADMIN)
    )
    u["a_approver"] = builders.user(city.a, clearance=Level.L4, roles=(Role.STAFF, Role.APPROVER))
    u["a_staff"] = builders.user(city.a, clearance=Level.L4)
    u["b_admin"] = builders.user(
        city.b, clearance=Level.L4, roles=(Role.STAFF, Role.DEPARTMENT_ADMIN)
    )
    u["b_staff"] = builders.user(city.b, clearance=Level.L4)
    u["c_staff"] = builders.user(city.c, clearance=Level.L4)
    u["coordinator"] = builders.user(
        city.bureau, clearance=Level.L4, roles=(Role.STAFF, Role.COORDINATOR)
    )
    u["auditor"] = builders.user(
        city.bureau, clearance=Level.L4, roles=(Role.STAFF, Role.AUDIT_ADMIN)
    )

    # Freshness, at 2027-01-01 00:00 (the end of 2026):
    fresh = {
        "daily_on_time": ("daily", at(2026, 12, 31, 20)),  # within 1 day: on cycle
        "daily_late": ("daily", at(2026, 12, 30)),  # updated in 2026, not in the last day: late
        "monthly_on_time": ("monthly", at(2026, 12, 5)),  # after 2026-12-01: on cycle
        "yearly_on_time": ("yearly", at(2026, 3, 1)),  # after 2026-01-01: on cycle
        "weekly_missing": ("weekly", None),  # never updated: missing
        "quarterly_missing": ("quarterly", at(2025, 12, 20)),  # none in 2026: missing
        "weekly_after": ("weekly", at(2027, 1, 5)),  # only after the period: late
        "irregular": ("irregular", None),  # no cycle: left out
    }
    for key, (cycle, updated) in fresh.items():
        _resource(city, key, city.a, update_cycle=cycle)
        Resource.objects.filter(pk=city.resources[key].pk).update(data_updated_at=updated)
    _resource(city, "draft", city.a, status="draft")
    _resource(city, "submitted", city.a, status="submitted")
    _resource(city, "b_own", city.b, update_cycle="irregular")
    # Requested and corrected resources have no cycle, so they leave the freshness alone.
    for key in ("r1", "r2", "r3", "r4", "r5", "r6"):
        _resource(city, f"res_{key}", city.a, update_cycle="irregular")
    for key in ("c1", "c2", "c3", "c4"):
        _resource(city, f"res_{key}", city.a, update_cycle="irregular", share_type="unconditional")
    for key in ("g1", "g2", "g3", "g4"):
        _resource(city, f"res_{key}", city.a, update_cycle="irregular")
    Resource.objects.filter(status="published").update(published_at=at(2026, 1, 10))

    # Requests from 乙 to 甲 (due dates by the statutory calendar, 10 working days):
    approver = u["a_approver"]
    plan = {
        # 2026-09-30 → 2026-10-09: 1–7 Oct are the National Day holiday, so 2 working days.
        "r1": (at(2026, 9, 30, 9), date(2026, 10, 20), at(2026, 10, 9, 15), "approve", ""),
        # 2026-03-02 → 03-20: 14 working days, due 03-16: late, and the reason cites no law.
        "r2": (at(2026, 3, 2), date(2026, 3, 16), at(2026, 3, 20), "reject", "不同意提供"),
        # 2 working days, in time, citing a law.
        "r3": (
            at(2026, 5, 6),
            date(2026, 5, 19),
            at(2026, 5, 8),
            "reject",
            "依据《中华人民共和国个人信息保护法》第十三条不予提供",
        ),
        # Unanswered, due 12-15: overdue at the end of the year.
        "r4": (at(2026, 12, 1), date(2026, 12, 15), None, "", ""),
        # Submitted in 2025: not in the period.
        "r5": (at(2025, 12, 20), date(2026, 1, 6), None, "", ""),
        # Unanswered but not yet due.
        "r6": (at(2026, 12, 28), date(2027, 1, 12), None, "", ""),
    }
    for key, (submitted, due, decided, decision, reason) in plan.items():
        (request,) = submit(u["b_staff"], city.resources[f"res_{key}"])
        if decision:
            sharing_services.share_request_decide(
                actor=approver, request=request, decision=decision, reason=reason
            )
        ShareRequest.objects.filter(pk=request.pk).update(
            submitted_at=submitted, due_date=due, decided_at=decided
        )
        request.refresh_from_db()
        city.requests[key] = request

    # Corrections filed by 乙 on 甲's unconditional resources:
    corrections = {
        # 04-01 → 04-03: 2 working days, due 04-16: in time.
        "c1": (at(2026, 4, 1), date(2026, 4, 16), at(2026, 4, 3)),
        # 06-01 → 06-30: 20 working days (the Dragon Boat holiday, 06-19, is off): late.
        "c2": (at(2026, 6, 1), date(2026, 6, 15), at(2026, 6, 30)),
        # Open past its due date at the end of the year.
        "c3": (at(2026, 12, 10), date(2026, 12, 24), None),
        # Open, not yet due.
        "c4": (at(2026, 12, 28), date(2027, 1, 11), None),
    }
    for key, (filed, due, answered) in corrections.items():
        correction = sharing_services.correction_file(
            actor=u["b_staff"], resource=city.resources[f"res_{key}"], description="数据有误"
        )
        if answered:
            correction = sharing_services.correction_answer(
                actor=approver, correction=correction, accepted=True, answer="已更正"
            )
        Correction.objects.filter(pk=correction.pk).update(
            created_at=filed, due_date=due, answered_at=answered
        )
        city.corrections[key] = correction

    # Grants on 甲's resources, dated around the end of 2026 (r1's approval made one for 乙).
    Grant.objects.update(valid_from=at(2026, 10, 9), valid_until=at(2027, 10, 9))
    grants = {
        "g1": (city.b, at(2026, 6, 1), at(2027, 6, 1)),  # in force
        "g2": (city.c, at(2026, 6, 1), at(2027, 6, 1)),  # in force
        "g3": (city.c, at(2026, 6, 1), at(2027, 6, 1)),  # revoked on 2026-12-01
        "g4": (city.b, at(2026, 1, 1), at(2026, 11, 1)),  # ran out before the end
    }
    for key, (dept, start, until) in grants.items():
        grant = builders.grant(city.resources[f"res_{key}"], dept)
        if key == "g3":
            sharing_services.grant_revoke(actor=None, grant=grant, reason="测试撤销")
            Grant.objects.filter(pk=grant.pk).update(revoked_at=at(2026, 12, 1))
        status = "expired" if key == "g4" else None
        Grant.objects.filter(pk=grant.pk).update(
            valid_from=start, valid_until=until, **({"status": status} if status else {})
        )
    return city


@pytest.fixture
def city(city_once, db) -> City:
    """Return the city, evaluated as if today were ``NOW`` (after the year it describes).

    Built once per module (``city_once``); each test gets a copy of its objects, to change in
    memory as it likes, and its own savepoint, so what it writes is gone before the next test.
    The statutory calendar of the city's year and of today is loaded, as building the city inside the test used to
    leave it: the query-count pins count the figures' own queries, not the calendar's, which
    a running portal loads once per process (workcalendar.workdays).
    """
    from workcalendar.workdays import year_schedule

    for year in (NOW.year - 1, NOW.year):
        year_schedule(year)
    return copy.deepcopy(city_once)


@pytest.fixture(scope="module")
def city_once(django_db_setup, django_db_blocker) -> Iterator[City]:
    """Build the city once for a module, inside a transaction rolled back after its last test.

    Each test still runs in its own savepoint (``db``), so rows it writes are undone; tests that
    take ``city_once`` itself share its objects and may not change them in memory (``city``
    gives a copy). Tests then see the clock at ``NOW``. Like the access matrix, the city stays
    until the module's last test: tests/conftest.py runs the module's tests that use it last.
    """
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=hashers),
        pytest.MonkeyPatch.context() as patch,
        transaction.atomic(),
    ):
        patch.setattr("accountability.periods.clock", lambda: NOW)
        yield build_city()
        transaction.set_rollback(True)
