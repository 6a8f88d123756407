"""The accounts list reads a page of accounts in an indexed order, and counts them up to a cap."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Level, Role
from kernel.keyset import CappedPaginator

from .. import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin():
    return builders.user(
        builders.department("系统管理局", clearance=Level.L4),
        clearance=Level.L4,
        roles=(Role.SYSTEM_ADMIN,),
        username="sys",
    )


def _usernames(response) -> list[str]:
    return [account.username for account in response.context["page_obj"]]


def test_accounts_are_grouped_by_department_then_by_username(client, admin):
    first, second = builders.department("甲局"), builders.department("乙局")
    for name in ("zz", "aa"):
        builders.user(second, username=f"{name}_second")
        builders.user(first, username=f"{name}_first")
    client.force_login(admin)
    listed = _usernames(client.get(reverse("accounts:user_list")))
    assert listed == ["sys", "aa_first", "zz_first", "aa_second", "zz_second"]
    # One department's accounts only, when it is asked for.
    response = client.get(reverse("accounts:user_list"), {"department": "乙局"})
    assert _usernames(response) == ["aa_second", "zz_second"]


@pytest.mark.parametrize("user_key", ["staff", "dept_admin", "auditor"])
def test_nobody_else_sees_the_accounts_list(client, user_key):
    department = builders.department("他局", clearance=Level.L4)
    roles = {
        "staff": (Role.STAFF,),
        "dept_admin": (Role.STAFF, Role.DEPARTMENT_ADMIN),
        "auditor": (Role.AUDIT_ADMIN,),
    }[user_key]
    client.force_login(builders.user(department, clearance=Level.L2, roles=roles))
    assert client.get(reverse("accounts:user_list")).status_code == 403


def test_the_total_stops_at_the_cap(client, admin, monkeypatch):
    monkeypatch.setattr(CappedPaginator.__init__, "__kwdefaults__", {"cap": 60})
    for n in range(60):
        builders.user(admin.department, username=f"u{n}")
    client.force_login(admin)
    response = client.get(reverse("accounts:user_list"))
    paginator = response.context["page_obj"].paginator
    assert (paginator.count, paginator.capped) == (60, True)
    assert len(_usernames(response)) == 50
    assert "第 1–50 条，共超过 60 条" in response.content.decode()


def test_the_list_costs_the_same_queries_when_the_city_grows(client, admin):
    client.force_login(admin)
    url = reverse("accounts:user_list")
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for n in range(6):
        department = builders.department()
        builders.user(department, username=f"grow{n}", roles=(Role.STAFF, Role.EDITOR))
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(large.captured_queries) == len(small.captured_queries)
