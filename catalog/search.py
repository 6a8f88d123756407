"""Full-text search of the catalog that works for Chinese, on PostgreSQL and SQLite.

Chinese has no spaces between words, so neither database can tokenise it by itself. Each
resource keeps a ``search_document``: its searchable text (name, code, summary, data item names,
provider name and USCC) cut into tokens by us and joined with spaces. For every run of Chinese
characters the document holds

* the words jieba finds in search mode (``cut_for_search``: 企业法人 → 企业, 法人, 企业法人), which
  rank whole words higher, and
* every pair of adjacent characters (bigrams, in order), so any substring of two or more characters
  is found even where jieba segments the query and the text differently: a query of n ≥ 2
  characters becomes the *phrase* of its n - 1 bigrams, which matches exactly where the text
  contains the query.

Latin letters and digits are kept as lower-case runs (codes, USCCs, format names) and matched by
prefix. On PostgreSQL the services also store ``search_vector = to_tsvector('simple',
search_document)``, GIN-indexed (migration 0003), and the query is a ``tsquery`` with ``<->``
phrases; on SQLite the same tokens are matched with ``LIKE`` on the space-delimited document, with
the same results. docs/decisions.md has the measurements behind the choice (a stored vector, not an
expression index: the phrase recheck then reads the stored vector instead of re-parsing the text).

This module is the text analysis and the matching, over any resource queryset; it knows nothing
of users. The catalog services write the document on every resource write
(``catalog.services.resource_search_document_refresh``); ``catalog.selectors.browse`` applies the
matching to what a user may see (``resources_search``, the browse page's query).
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import jieba
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Case, F, FloatField, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce

from .models import Resource

jieba.setLogLevel(logging.WARNING)  # jieba announces loading its dictionary on stderr

# The name of the PostgreSQL GIN index on search_vector.
SEARCH_INDEX_NAME = "resource_search_gin"
SEARCH_CONFIG = "simple"
# A query is cut into at most this many terms; the rest is ignored (bounds the SQL's size).
MAX_TERMS = 8

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN_RE = re.compile(rf"[{_CJK}]+|[0-9a-z]+")
_CJK_RE = re.compile(rf"^[{_CJK}]+$")


def _runs(text: str) -> list[str]:
    """Return the text's runs of Chinese characters and of Latin letters/digits, normalised.

    NFKC folds full-width letters and digits (ＡＢＣ１２３) into ASCII; punctuation and
    whitespace separate runs and are dropped.
    """
    return _RUN_RE.findall(unicodedata.normalize("NFKC", text).lower())


def _bigrams(run: str) -> list[str]:
    return [run[i : i + 2] for i in range(len(run) - 1)]


def document_tokens(text: str) -> list[str]:
    """Return the index tokens of a text: jieba words and bigrams for Chinese, runs otherwise."""
    tokens: list[str] = []
    for run in _runs(text):
        if _CJK_RE.match(run):
            tokens.extend(jieba.cut_for_search(run))
            # Bigrams of one run stay adjacent so that phrase queries match substrings.
            tokens.extend(_bigrams(run))
        else:
            tokens.append(run)
    return tokens


def document_build(
    *,
    name: str,
    code: str | None,
    summary: str,
    provider_name: str,
    provider_short_name: str,
    provider_uscc: str,
    item_names: Iterable[str],
) -> str:
    """Return the search document of a resource from its searchable fields."""
    parts = [name, code or "", summary, provider_name, provider_short_name, provider_uscc]
    parts.extend(item_names)
    tokens: list[str] = []
    for part in parts:
        tokens.extend(document_tokens(part))
    # Leading and trailing spaces let SQLite match whole tokens with LIKE '% token %'.
    return f" {' '.join(tokens)} " if tokens else ""


# --- the query ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """One term of a query: a phrase of tokens, or a single token matched as a prefix."""

    tokens: tuple[str, ...]
    prefix: bool
    text: str  # the run as typed (normalised), for ranking by name


def query_terms(query: str) -> list[Term]:
    """Return the terms of a user's query; every term must match (AND)."""
    terms: list[Term] = []
    for run in _runs(query)[:MAX_TERMS]:
        if _CJK_RE.match(run) and len(run) >= 2:
            terms.append(Term(tuple(_bigrams(run)), prefix=False, text=run))
        else:
            # One Chinese character, or letters/digits: the start of a token.
            terms.append(Term((run,), prefix=True, text=run))
    return terms


def tsquery_text(terms: Sequence[Term]) -> str:
    """Return the PostgreSQL tsquery (raw syntax) that requires every term."""
    # Tokens hold only CJK characters, a-z and 0-9 (_RUN_RE): quoting them is enough.
    parts = []
    for term in terms:
        if term.prefix:
            parts.append(f"'{term.tokens[0]}':*")
        else:
            parts.append("(" + " <-> ".join(f"'{t}'" for t in term.tokens) + ")")
    return " & ".join(parts)


def _sqlite_match(term: Term) -> Q:
    if term.prefix:
        return Q(search_document__contains=f" {term.tokens[0]}")
    return Q(search_document__contains=f" {' '.join(term.tokens)} ")


def _name_boost(terms: Sequence[Term]) -> Case | Value:
    """Rank resources whose name contains the query's terms above those matching elsewhere."""
    whens = [When(Q(name__icontains=term.text), then=Value(1.0)) for term in terms]
    if not whens:
        return Value(0.0)
    # One point when the name holds the first term: cheap, and enough to lift name hits first.
    return Case(*whens[:1], default=Value(0.0), output_field=FloatField())


def search_match(queryset: QuerySet[Resource], query: str) -> QuerySet[Resource]:
    """Narrow a resource queryset to the matches of ``query``, without ranking (for counts)."""
    terms = query_terms(query)
    if not terms:
        return queryset
    if connection.vendor == "postgresql":
        return queryset.filter(search_vector=_tsquery(terms))
    for term in terms:
        queryset = queryset.filter(_sqlite_match(term))
    return queryset


def _tsquery(terms: Sequence[Term]) -> SearchQuery:
    return SearchQuery(tsquery_text(terms), search_type="raw", config=SEARCH_CONFIG)


def search_filter(queryset: QuerySet[Resource], query: str) -> QuerySet[Resource]:
    """Narrow a resource queryset to the matches of ``query``, annotated with ``search_rank``.

    An empty query (nothing searchable in it) returns the queryset unchanged, with rank 0.
    """
    terms = query_terms(query)
    if not terms:
        return queryset.annotate(search_rank=Value(0.0, output_field=FloatField()))
    code_hit = Case(
        When(code=query.strip(), then=Value(10.0)), default=Value(0.0), output_field=FloatField()
    )
    matched = search_match(queryset, query)
    if connection.vendor == "postgresql":
        text_rank = Coalesce(SearchRank(F("search_vector"), _tsquery(terms)), Value(0.0))
        return matched.annotate(search_rank=text_rank + _name_boost(terms) + code_hit)
    return matched.annotate(search_rank=_name_boost(terms) + code_hit)
