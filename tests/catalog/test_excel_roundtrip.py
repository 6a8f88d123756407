"""The demo catalog exported to xlsx re-imports into an emptied catalog unchanged."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import User
from catalog import excel
from catalog.models import Resource, ResourceVersion
from catalog.services.imports import resources_import
from needs.models import Need
from sharing.models import Grant

from .maintenance_helpers import body, login

pytestmark = pytest.mark.django_db


def _catalog_state() -> dict[str, dict]:
    """Return every published resource's metadata and items, keyed by code."""
    state = {}
    for r in Resource.objects.filter(status="published").prefetch_related("items", "related"):
        state[r.code] = {
            "category": r.category.code,
            "name": r.name,
            "provider": r.provider.uscc,
            "summary": r.summary,
            "format": (r.format_class, r.format_type),
            "share": (r.share_type, r.share_condition, r.share_method),
            "open": (r.open_type, r.open_condition),
            "update_cycle": r.update_cycle,
            "level": r.level,
            "system": r.source_system.registration_code if r.source_system else None,
            "region": r.region_code,
            "published": r.published_at.date() if r.published_at else None,
            "valid_until": r.valid_until,
            # The template names related resources by code; one not yet published has none.
            "related": sorted(x.code for x in r.related.all() if x.code),
            "items": [
                (i.name, i.data_type, i.length, i.level, i.kind, i.is_key, i.description)
                for i in r.items.order_by("position")
            ],
        }
    return state


def test_demo_export_reimports_into_an_emptied_catalog(client):
    call_command("load_demo", stdout=io.StringIO())
    coordinator = User.objects.get(username="coordinator")
    # Some entries carry a validity date (有效期), one of them already past: both come back.
    dated = list(Resource.objects.filter(status="published").order_by("pk")[:3])
    Resource.objects.filter(pk=dated[0].pk).update(valid_until=date(2031, 12, 31))
    Resource.objects.filter(pk=dated[1].pk).update(valid_until=date(2020, 1, 31))
    before = _catalog_state()
    assert sorted(str(v["valid_until"]) for v in before.values() if v["valid_until"]) == [
        "2020-01-31",
        "2031-12-31",
    ]
    assert len(before) > 20

    login(client, coordinator)
    # The published catalog: without ?status the export holds what /catalog/ lists, which for
    # the coordinator includes submitted and retired resources (and those have no code yet).
    response = client.get(reverse("catalog:resource_export"), {"status": "published"})
    assert response.status_code == 200
    content = body(response)
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == [excel.RESOURCE_SHEET, excel.ITEM_SHEET]
    assert book[excel.RESOURCE_SHEET].max_row == len(before) + 1

    # Empty the catalog: the same departments, systems and category tree remain (same USCCs),
    # every resource with its requests, corrections, grants and versions goes.
    from sharing.models import Correction, ShareRequest

    Need.objects.all().delete()  # the demo's needs name resources it answered with
    Correction.objects.all().delete()
    Grant.objects.all().delete()
    ShareRequest.objects.all().delete()
    Resource.objects.all().delete()
    assert not ResourceVersion.objects.exists()

    result = resources_import(actor=coordinator, data=content, publish=True)
    assert result.problems == []
    assert len(result.created) == len(before)
    after = _catalog_state()
    for code, fields in before.items():
        for key, value in fields.items():
            assert after[code][key] == value, (code, key)
    assert after == before
    # Each re-imported resource starts its history again with a first version.
    assert ResourceVersion.objects.count() == len(before)
