"""Chinese is the default language: every catalog is complete and compiles."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
CATALOGS = sorted(ROOT.glob("locale/zh_Hans/LC_MESSAGES/django.po")) + sorted(
    ROOT.glob("*/locale/zh_Hans/LC_MESSAGES/django.po")
)


def test_there_are_catalogs_for_every_app():
    apps = {p.parts[-5] if p.parts[-5] != ROOT.name else "." for p in CATALOGS}
    assert {"accounts", "catalog", "sharing", "audit"} <= {
        p.relative_to(ROOT).parts[0] for p in CATALOGS
    }
    assert apps


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_message_is_translated_and_none_is_fuzzy(path):
    with path.open("rb") as handle:
        catalog = read_po(handle)
    missing = [
        m.id
        for m in catalog
        if m.id and not (m.string if isinstance(m.string, str) else all(m.string))
    ]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert missing == [], f"untranslated in {path}"
    assert fuzzy == [], f"fuzzy in {path}"


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: str(p.relative_to(ROOT)))
def test_placeholders_survive_translation(path):
    import re

    pattern = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")
    with path.open("rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        if not message.id or not message.string:
            continue
        source = message.id if isinstance(message.id, str) else message.id[0]
        target = message.string if isinstance(message.string, str) else message.string[0]
        assert sorted(pattern.findall(source)) == sorted(pattern.findall(target)), source
