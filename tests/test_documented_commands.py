"""Every management command the operator guides name exists (a named one once did not)."""

from __future__ import annotations

import re
from pathlib import Path

from django.core.management import get_commands

ROOT = Path(__file__).resolve().parent.parent
GUIDES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def _named_in(text: str) -> set[str]:
    named = set(re.findall(r"manage\.py ([a-z][a-z0-9_]*)", text))
    # The operations guide's list of commands names them without "manage.py".
    for listing in re.findall(r"^- Commands: (.*?)(?=^\S|^- |\Z)", text, re.M | re.S):
        named |= set(re.findall(r"`([a-z][a-z0-9_]*)[ `]", listing))
    return named


def test_the_guides_name_only_commands_that_exist():
    commands = set(get_commands())
    named = {name: guide.name for guide in GUIDES for name in _named_in(guide.read_text())}
    assert {"sharing_sweep", "import_jobs_sweep", "issue_token"} <= set(named)
    missing = {name: guide for name, guide in named.items() if name not in commands}
    assert missing == {}
