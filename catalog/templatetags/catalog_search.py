"""Template filters of the search results: mark the words the query matched."""

from __future__ import annotations

import re
from collections.abc import Sequence

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# What escape() writes for & < > " ': never cut inside one.
_ENTITY = re.compile(r"(&(?:[a-z]+|#[0-9]+|#x[0-9a-f]+);)", re.IGNORECASE)


@register.filter
def highlight(text: object, words: Sequence[str] | None) -> SafeString:
    """Return the text escaped, with every occurrence of ``words`` wrapped in ``<mark>``.

    The text is escaped first and the words matched on the escaped text outside its entities,
    so nothing in the text (or the query) can add markup; the words are the query's terms
    and synonyms (``catalog.search.highlight_words``), letters, digits and Chinese only.
    """
    escaped = str(escape("" if text is None else text))
    clean = [w for w in (words or ()) if w]
    if not clean:
        return mark_safe(escaped)  # noqa: S308 - escaped just above
    pattern = re.compile("|".join(re.escape(str(escape(w))) for w in clean), re.IGNORECASE)
    parts = _ENTITY.split(escaped)
    marked = [
        part if i % 2 else pattern.sub(lambda m: f"<mark>{m.group(0)}</mark>", part)
        for i, part in enumerate(parts)
    ]
    return mark_safe("".join(marked))  # noqa: S308 - built from escaped text only


@register.simple_tag(takes_context=True)
def marked(context: template.Context, text: object) -> SafeString:
    """Return ``text|highlight`` with the page's ``highlight`` words (none on pages without)."""
    return highlight(text, context.get("highlight"))
