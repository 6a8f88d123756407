"""Forms that name a department take it typed (name or credit code), never from a list of all.

A select of every department was read and rendered on each request (5,000 at province scale):
the data-need form, the new account and new department forms and the accounts filter. Each
now renders a text input and looks the text up among the departments the user may choose;
these tests pin that no page lists the departments, that what may not be chosen is refused
with the same message, and that the pages' queries do not grow with the city.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Department, Level, Role, User
from needs.models import Need

from . import builders

pytestmark = pytest.mark.django_db

REFUSED = "没有名称或统一社会信用代码与此相符的部门。"


@pytest.fixture
def city():
    home = builders.department("市民政局", clearance=Level.L4)
    police = builders.department("市公安局")
    closed = builders.department("已撤销局")
    Department.objects.filter(pk=closed.pk).update(is_active=False)
    return {
        "home": home,
        "police": police,
        "closed": closed,
        "staff": builders.user(home, clearance=Level.L2, username="mz"),
        "sysadmin": builders.user(
            home, clearance=Level.L4, roles=(Role.SYSTEM_ADMIN,), username="sys"
        ),
    }


def _need(**overrides) -> dict:
    return {
        "title": "婚姻登记信息",
        "description": "核验婚姻状况",
        "data_items": "公民身份号码\n婚姻状况",
        "legal_basis": "《社会救助暂行办法》第十一条",
        "purpose": "verification",
        "business": "最低生活保障审核",
        **overrides,
    }


def _grow_the_city(n: int) -> None:
    for _ in range(n):
        builders.department()


def _queries(client, url: str) -> tuple[int, str]:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries), response.content.decode()


@pytest.mark.parametrize(
    "url_name,user_key",
    [
        ("needs:need_new", "staff"),
        ("accounts:user_create", "sysadmin"),
        ("accounts:department_create", "sysadmin"),
        ("accounts:user_list", "sysadmin"),
    ],
)
def test_the_page_lists_no_department_and_does_not_grow_with_the_city(
    client, city, url_name, user_key
):
    client.force_login(city[user_key])
    url = reverse(url_name)
    before, page = _queries(client, url)
    for field in ("department", "suggested_provider", "parent"):
        assert f'<select name="{field}"' not in page
    assert "市公安局" not in page
    _grow_the_city(12)
    after, page = _queries(client, url)
    assert after == before
    assert "市公安局" not in page


def test_a_need_names_the_department_by_name_or_code(client, city):
    client.force_login(city["staff"])
    url = reverse("needs:need_new")
    police = city["police"]
    for n, typed in enumerate((police.name, police.uscc, f" {police.name} ")):
        response = client.post(url, _need(title=f"需求{n}", suggested_provider=typed))
        assert response.status_code == 302, typed
        assert Need.objects.get(title=f"需求{n}").suggested_provider == police
    # Blank is still allowed (the field is optional).
    assert client.post(url, _need(title="无建议")).status_code == 302


@pytest.mark.parametrize("which", ["home", "closed", "unknown"])
def test_a_need_refuses_what_the_requester_may_not_name(client, city, which):
    # Not their own department, not a department no longer active, nothing unknown.
    client.force_login(city["staff"])
    typed = "不存在的局" if which == "unknown" else city[which].name
    before = Need.objects.count()
    response = client.post(reverse("needs:need_new"), _need(suggested_provider=typed))
    assert response.status_code == 400  # the page's answer to a refused form, as before
    assert response.context["form"].errors["suggested_provider"] == [REFUSED]
    assert f'value="{typed}"' in response.content.decode()  # kept for correcting
    assert Need.objects.count() == before


def test_a_new_account_goes_to_the_typed_active_department(client, city):
    client.force_login(city["sysadmin"])
    url = reverse("accounts:user_create")
    account = {"full_name": "新人", "password": "Long-enough-pass-2026"}
    response = client.post(url, {**account, "username": "by_name", "department": "市公安局"})
    assert response.status_code == 302
    assert User.objects.get(username="by_name").department == city["police"]
    response = client.post(
        url, {**account, "username": "by_code", "department": city["police"].uscc}
    )
    assert User.objects.get(username="by_code").department == city["police"]
    response = client.post(url, {**account, "username": "closed", "department": "已撤销局"})
    assert response.context["form"].errors["department"] == [REFUSED]
    response = client.post(url, {**account, "username": "none"})
    assert response.context["form"].errors["department"]
    assert not User.objects.filter(username__in=["closed", "none"]).exists()


def test_a_new_department_names_its_parent(client, city):
    client.force_login(city["sysadmin"])
    url = reverse("accounts:department_create")
    uscc = builders.department().uscc  # a valid code, taken: the form refuses it after the parent
    response = client.post(url, {"name": "下级局", "parent": "不存在的局", "uscc": uscc})
    assert response.context["form"].errors["parent"] == [REFUSED]


def test_the_accounts_filter_takes_a_typed_department(client, city):
    builders.user(city["police"], username="jc01")
    client.force_login(city["sysadmin"])
    url = reverse("accounts:user_list")
    response = client.get(url, {"department": "市公安局"})
    assert {u.username for u in response.context["page_obj"]} == {"jc01"}
    assert 'value="市公安局"' in response.content.decode()
    response = client.get(url, {"department": "不存在的局"})
    assert REFUSED in response.content.decode()
