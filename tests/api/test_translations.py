"""The Chinese catalogs of the API and the token pages are complete."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings

CATALOGS = ["accounts", "portal"]


@pytest.mark.parametrize("app", CATALOGS)
def test_every_message_has_a_chinese_translation(app):
    path = Path(settings.BASE_DIR) / app / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    with path.open("rb") as handle:
        catalog = read_po(handle, locale="zh_Hans")
    assert not catalog.fuzzy
    untranslated = [m.id for m in catalog if m.id and (not m.string or m.fuzzy)]
    assert untranslated == []
