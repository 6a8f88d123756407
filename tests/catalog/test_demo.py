"""The demo loads through the services, is consistent, and loads twice without change."""

from __future__ import annotations

import re
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from accounts.models import Department, User
from catalog.models import DataItem, Resource
from sharing.models import Grant

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker) -> Iterator[None]:
    """Load the demo once for the module, in a transaction rolled back after its last test.

    Each test runs in a savepoint of its own (``db``): what it writes is undone before the next.
    """
    from tests.conftest import restore_seeds

    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=hashers),
        transaction.atomic(),
    ):
        restore_seeds()
        call_command("load_demo", stdout=StringIO())
        yield
        transaction.set_rollback(True)


def snapshot():
    return (
        Department.objects.count(),
        User.objects.count(),
        Resource.objects.count(),
        DataItem.objects.count(),
        Grant.objects.count(),
    )


def test_demo_is_idempotent_and_complete(demo):
    first = snapshot()
    call_command("load_demo", stdout=StringIO())
    assert snapshot() == first
    published = Resource.objects.filter(status="published")
    assert published.count() >= 80
    assert set(published.values_list("level", flat=True)) == {1, 2, 3, 4}
    assert set(published.values_list("share_type", flat=True)) == {
        "unconditional",
        "conditional",
        "none",
    }
    assert Resource.objects.filter(status="draft").exists()
    assert Department.objects.filter(name="市税务局", vertically_managed=True).exists()
    for name in ["人口基础信息", "企业法人登记信息", "社会保险参保信息", "不动产登记信息"]:
        assert published.filter(name=name).exists(), name
    # Every published resource has a national-format code and no item above its level.
    for resource in published.prefetch_related("items"):
        assert resource.code and resource.code.split("/")[0] == resource.category.code
        assert max(i.level for i in resource.items.all()) <= resource.level
    # A district department's grants on city resources carry its own region's rows (回流);
    # city departments' grants every row.
    grants = Grant.objects.select_related("department")
    district = [g for g in grants if g.department.admin_level == "district"]
    assert district and all(g.row_scope_region == g.department.region_code for g in district)
    assert all(g.row_scope_region == "" for g in grants if g.department.admin_level == "city")


def test_the_readme_counts_what_load_demo_loads(demo):
    """The README's figures are those load_demo prints (a fresh reader compares the two)."""
    readme = " ".join((Path(__file__).resolve().parents[2] / "README.md").read_text().split())
    match = re.search(
        r"holds (\d+) departments .*? (\d+) resources \((\d+) published\) .*? (\d+) active grants",
        readme,
    )
    assert match, "the README no longer states the demo's figures"
    assert [int(n) for n in match.groups()] == [
        Department.objects.count(),
        Resource.objects.count(),
        Resource.objects.filter(status=Resource.Status.PUBLISHED).count(),
        Grant.objects.filter(status=Grant.Status.ACTIVE).count(),
    ]
    out = StringIO()
    call_command("load_demo", stdout=out)
    printed = out.getvalue()
    assert f"{match[1]} departments" in printed
    assert f"{match[3]} published resources, {match[4]} active grants" in printed


def test_demo_accounts_sign_in_with_the_documented_password(demo, client):
    expected = {
        "coordinator": ("市政务服务数据管理局", 4),
        "ga_editor": ("市公安局", 4),
        "ga_approver": ("市公安局", 4),
        "mz_staff": ("市民政局", 2),
        "rs_staff": ("市人力资源和社会保障局", 3),
        "sj_staff": ("市市场监督管理局", 3),
    }
    for username, (department, clearance) in expected.items():
        user = User.objects.get(username=username)
        assert (user.department.name, user.clearance) == (department, clearance)
    assert User.objects.get(username="qx_staff").department.admin_level == "district"
    assert User.objects.get(username="qx_staff").clearance == 1
    response = client.post(
        "/accounts/login/",
        {"username": "mz_staff", "password": "demo-pass-2026"},
        REMOTE_ADDR="127.0.0.1",
    )
    assert response.status_code == 302
    assert client.get("/").wsgi_request.user.username == "mz_staff"


def test_privileged_demo_accounts_have_the_published_authenticator(demo):
    from django.conf import settings
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from demo.management.commands.load_demo import DEMO_TOTP_SECRET_HEX

    for user in User.objects.all():
        devices = TOTPDevice.objects.filter(user=user, confirmed=True)
        if user.has_role(*settings.PORTAL_TWO_FACTOR_ROLES):
            assert [d.key for d in devices] == [DEMO_TOTP_SECRET_HEX], user.username
        else:
            assert not devices.exists(), user.username
    out = StringIO()
    call_command("demo_totp", "ga_approver", stdout=out)
    code = out.getvalue().strip()
    assert len(code) == 6 and code.isdigit()
    assert TOTPDevice.objects.get(user__username="ga_approver").verify_token(code)


def test_demo_totp_refuses_accounts_without_the_demo_secret(demo):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("demo_totp", "mz_staff")


def test_demo_datasets_hold_valid_rows_and_load_once(demo):
    from datasets import selectors as data_selectors
    from datasets.models import DatasetRow, DatasetVersion
    from demo.datasets import demo_datasets_load

    names = ["人口基础信息", "企业法人登记信息", "社会保险参保信息", "不动产登记信息"]
    versions = DatasetVersion.objects.filter(resource__name__in=names, status="active")
    assert versions.count() == 4
    counts = {v.resource.name: v.row_count for v in versions.select_related("resource")}
    assert counts["人口基础信息"] == 200 and sum(counts.values()) >= 500
    rows = DatasetRow.objects.count()
    assert demo_datasets_load() == {}  # every resource already holds data: nothing pushed
    call_command("load_demo", stdout=StringIO())
    assert DatasetRow.objects.count() == rows and DatasetVersion.objects.count() == 4
    # A consumer with a grant reads masked rows of its granted items.
    from tests import builders

    mz_dept = User.objects.get(username="mz_staff").department
    mz = builders.user(mz_dept, clearance=3)
    resource = Resource.objects.get(name="社会保险参保信息")
    page = data_selectors.dataset_rows_for(user=mz, resource=resource, limit=5)
    assert len(page.rows) == 5 and "*" in page.as_dicts()[0]["公民身份号码"]


def test_demo_content_keeps_its_conventions():
    from demo.content import RESOURCES, check

    assert check().endswith("OK")
    # The loader unpacks data items as tuples, as the Python source of the content wrote them.
    assert all(isinstance(item, tuple) for r in RESOURCES for item in r["items"])
