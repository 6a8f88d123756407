"""Bad input on the catalog pages, and the pages in both languages."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from django.utils.translation import trans_real

from accounts.models import Level
from tests import builders

from .helpers import login, page_pks

pytestmark = pytest.mark.django_db


@pytest.fixture
def viewer(db):
    return builders.user(builders.department(), clearance=Level.L2)


@pytest.fixture
def compiled_translations():
    """Compile the catalogs (.mo files are not committed) and drop cached translations."""
    call_command("compile_translations", verbosity=0)
    trans_real._translations = {}
    trans_real._default = None
    yield
    translation.activate("zh-hans")


def test_unknown_filter_values_are_ignored_and_reported(client, viewer):
    shown = builders.resource(builders.department(), name="人口基础信息", level=1)
    login(client, viewer)
    response = client.get(
        reverse("catalog:resource_list"),
        {"level": "9", "share_type": "maybe", "category": "1x", "provider": "abc", "sort": "zz"},
    )
    assert response.status_code == 200
    filters = response.context["filters"]
    assert set(filters.invalid) == {"level", "share_type", "category", "provider", "sort"}
    assert page_pks(response) == {shown.pk}
    assert 'class="portal-notice' in response.content.decode()
    good = client.get(reverse("catalog:resource_list"), {"level": "1"})
    assert good.context["filters"].invalid == ()
    assert 'class="portal-notice' not in good.content.decode()


def test_pages_out_of_range_and_missing_objects(client, viewer):
    builders.resource(builders.department(), level=1)
    login(client, viewer)
    last = client.get(reverse("catalog:resource_list"), {"page": "999", "per_page": "7"})
    assert last.status_code == 200
    assert last.context["page_obj"].number == 1  # a page past the end shows the last one
    assert last.context["page_obj"].paginator.per_page == 20  # unknown page size: the default
    assert client.get(reverse("catalog:resource_detail", args=[999_999])).status_code == 404
    assert client.get(reverse("catalog:department_detail", args=[999_999])).status_code == 404
    assert client.get(reverse("catalog:category_detail", args=["299"])).status_code == 404
    assert client.get("/catalog/categories/12/").status_code == 404  # not a category code


def test_an_overlong_query_is_cut_not_refused(client, viewer):
    login(client, viewer)
    response = client.get(reverse("catalog:search"), {"q": "人口" * 500})
    assert response.status_code == 200
    assert len(response.context["filters"].q) == 200


def test_pages_speak_chinese_by_default_and_english_on_request(
    client, viewer, compiled_translations
):
    resource = builders.resource(builders.department(), name="人口基础信息", level=1)
    login(client, viewer)
    detail_url = reverse("catalog:resource_detail", args=[resource.pk])
    chinese = client.get(detail_url).content.decode()
    assert "核心元数据" in chinese and "信息资源摘要" in chinese and "有条件共享" in chinese
    client.cookies["django_language"] = "en"
    english = client.get(detail_url).content.decode()
    assert "Core metadata" in english and "Conditional sharing" in english
    assert "核心元数据" not in english
    search = client.get(reverse("catalog:search"), {"q": "人口"}).content.decode()
    assert "Search results for “人口”" in search
