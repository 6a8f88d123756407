"""The resource card rendered in Python writes what its former template wrote, byte for byte.

``tests/catalog/reference/resource_results.html`` is the list's template as it was before the
card moved to ``catalog.templatetags.catalog_cards``; both are rendered with the same context
for every kind of card (status, validity, code, format, search marks, the basket button and
who sees it, both languages) and must agree.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.template import engines
from django.template.loader import get_template
from django.test import RequestFactory
from django.utils.translation import override

from accounts.models import Level
from catalog.models import Resource
from tests import builders

pytestmark = pytest.mark.django_db

REFERENCE = Path(__file__).parent / "reference" / "resource_results.html"


@pytest.fixture
def cards():
    provider = builders.department("市<甲>局 & Co")
    other = builders.department("市乙局")
    made = [
        builders.resource(provider, name='人口<b>基础</b>信息 & "户籍"'),
        builders.resource(
            provider,
            status="draft",
            summary="长" * 200,
            format_type="",
        ),
        builders.resource(
            provider,
            share_type="unconditional",
            level=Level.L3,
            valid_until=datetime.date(2020, 1, 1),
        ),
        builders.resource(provider, share_type="none", summary="信息 <script>alert(1)</script>"),
    ]
    resources = list(
        Resource.objects.filter(pk__in=[r.pk for r in made])
        .select_related("provider", "category")
        .order_by("pk")
    )
    resources[0].matched_items = ["户籍<地址>", "信息 & 编号"]
    resources[1].published_at = None
    # 20:00 UTC is the next day in the portal's time zone: the card writes the local day.
    resources[2].published_at = datetime.datetime(2026, 1, 1, 20, 0, tzinfo=datetime.UTC)
    resources[3].summary = "Cafe\u0301 信息"  # not in NFC: truncatechars normalises it
    return {"resources": resources, "provider": provider, "other": other}


def _both(context: dict) -> tuple[str, str]:
    reference = engines["django"].from_string(REFERENCE.read_text())
    current = get_template("catalog/includes/resource_results.html")
    return reference.render(context), current.render(context)


def _request(user, path="/catalog/search/?q=信息&page=2&x=<y>"):
    request = RequestFactory().get(path)
    request.user = user
    return request


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("searching", [True, False])
def test_cards_for_another_department_with_the_basket(cards, language, searching):
    user = builders.user(cards["other"], clearance=Level.L4)
    request = _request(user)
    context = {
        "resources": cards["resources"],
        "user": user,
        "request": request,
        "csrf_token": "tok<en>",
        "searching": searching,
        "highlight": ["信息", "b", "<"] if searching else None,
    }
    with override(language):
        reference, current = _both(context)
    assert current == reference
    # The published ones not shared unconditionally (the request page refuses "not shared").
    assert current.count("data-basket-add") == 2
    assert "<script>" not in current
    assert "2026-01-02" in current  # the local day of 20:00 UTC


def test_cards_for_the_providers_own_staff_offer_no_basket(cards):
    user = builders.user(cards["provider"], clearance=Level.L4)
    context = {"resources": cards["resources"], "user": user, "request": _request(user)}
    reference, current = _both(context)
    assert current == reference
    assert "data-basket-add" not in current


def test_cards_without_a_department_or_a_token(cards):
    from django.contrib.auth.models import AnonymousUser

    context = {"resources": cards["resources"], "user": AnonymousUser(), "request": None}
    reference, current = _both(context)
    assert current == reference
    assert "data-basket-add" not in current


def test_an_empty_list_says_so():
    html = get_template("catalog/includes/resource_results.html").render({"resources": []})
    assert "empty-state" in html
    assert "resource-card" not in html
