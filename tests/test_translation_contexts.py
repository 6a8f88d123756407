"""One English word, two meanings: each meaning has its own entry, so no catalog's wins.

Django merges every app's catalog into one; a context-free msgid translated differently by two
apps shows whichever app comes first in INSTALLED_APPS, on the other app's pages too (the
editor's “Code” column read 验证码, the one-time code of the sign-in form).
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from accounts.models import Role
from tests import builders

ROOT = Path(settings.BASE_DIR)
CATALOGS = sorted(ROOT.glob("locale/zh_Hans/LC_MESSAGES/django.po")) + sorted(
    ROOT.glob("*/locale/zh_Hans/LC_MESSAGES/django.po")
)
# Words known to carry two meanings: they may appear only with a context.
AMBIGUOUS = {"Code", "Open", "Submitted", "Active", "Key"}
# Context-free msgids that two apps still word differently but that mean the same thing in both.
SYNONYMS = {
    "Overdue",
    "updated",
    "Resource",
    "Resources",
    "No corrections.",
    "Corrections",
    "Service items",
    "Import from Excel",
    "Departments",
    "level",
    "Who read our data",
    "Reason",
    "Decision",
    "Sharing",
    "Notifications",
}


def _entries() -> dict[tuple[str | None, str], dict[str, str]]:
    found: dict[tuple[str | None, str], dict[str, str]] = defaultdict(dict)
    for path in CATALOGS:
        with path.open("rb") as handle:
            for message in read_po(handle):
                if not message.id:
                    continue
                msgid = message.id if isinstance(message.id, str) else message.id[0]
                string = message.string if isinstance(message.string, str) else message.string[0]
                found[(message.context, msgid)][str(path.relative_to(ROOT))] = string
    return found


def test_ambiguous_words_have_only_context_specific_entries():
    entries = _entries()
    bare = sorted(msgid for (context, msgid) in entries if context is None and msgid in AMBIGUOUS)
    assert bare == []
    for word in AMBIGUOUS:
        contexts = {ctx: set(v.values()) for (ctx, msgid), v in entries.items() if msgid == word}
        assert len(contexts) >= 2, word
        assert all(len(strings) == 1 for strings in contexts.values()), contexts


def test_meanings_of_the_ambiguous_words_read_apart():
    ask = translation.pgettext  # a plain call would be collected by makemessages
    with translation.override("zh-hans"):
        assert ask("resource code", "Code") == "资源代码"
        assert ask("one-time code", "Code") == "验证码"
        assert ask("time submitted", "Submitted") == "提交时间"
        assert ask("request event", "Submitted") == "已提交"
        assert ask("open a notification", "Open") == "查看"
        assert ask("correction state", "Open") != "查看"
        assert ask("grant state", "Active") == "生效中"
        assert ask("account state", "Active") == "启用"
        assert ask("primary key", "Key") == "主键"


def test_no_new_message_is_worded_differently_by_two_apps():
    clashes = {
        msgid
        for (context, msgid), strings in _entries().items()
        if context is None and len(set(strings.values())) > 1
    }
    assert clashes - SYNONYMS == set()
    # A synonym that no longer clashes leaves the list.
    assert SYNONYMS - clashes == set()


@pytest.mark.django_db
def test_editor_resource_list_shows_the_resource_code_column(client):
    dept = builders.department()
    editor = builders.user(dept, roles=(Role.EDITOR,))
    builders.resource(dept, status="draft")
    client.force_login(editor)
    page = client.get(reverse("catalog:resource_mine")).content.decode()
    assert "资源代码" in page
    assert "验证码" not in page
