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
search_document)``, GIN-indexed (catalog migration 0001), and the query is a ``tsquery`` with ``<->``
phrases; on SQLite the same tokens are matched with ``LIKE`` on the space-delimited document, with
the same results. docs/decisions.md has the measurements behind the choice (a stored vector, not an
expression index: the phrase recheck then reads the stored vector instead of re-parsing the text).

A query is read word by word (``query_concepts``): each word between spaces matches as typed,
or as any term of its synonym group (``catalog.synonyms``, kept by the coordinator), or, for a
compound, by its words in any order (迁移户籍 finds 户籍迁移). A resource matches when any word
matches and ranks by how many do (then a name hit, then ``ts_rank``), so one word that matches
nothing no longer empties the result.

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
from typing import Any

import jieba
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import (
    BigIntegerField,
    BooleanField,
    Case,
    F,
    FloatField,
    Func,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from pypinyin import lazy_pinyin

from . import synonyms
from .models import Resource
from .synonyms import Dictionary

jieba.setLogLevel(logging.WARNING)  # jieba announces loading its dictionary on stderr

# The name of the PostgreSQL GIN index on search_vector.
SEARCH_INDEX_NAME = "resource_search_gin"
SEARCH_CONFIG = "simple"
# A query is cut into at most this many terms; the rest is ignored (bounds the SQL's size).
MAX_TERMS = 8
# A run is cut into at most this many words for matching them in any order (else: as typed).
MAX_WORDS = 6

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
    text: str  # the run as typed (normalised), for ranking by name and highlighting


@dataclass(frozen=True)
class Both:
    """Every part must match (the runs of one word, the words of a compound in any order)."""

    parts: tuple[Expr, ...]


@dataclass(frozen=True)
class Either:
    """Any part may match (a term and its synonyms; a phrase or its words in any order)."""

    parts: tuple[Expr, ...]


Expr = Term | Both | Either


@dataclass(frozen=True)
class Concept:
    """One word of the query as typed (a chunk between spaces) and what matches it."""

    text: str
    expr: Expr


def query_terms(query: str) -> list[Term]:
    """Return the runs of a user's query as literal terms (no synonyms, no reordering)."""
    return [_literal(run) for run in _runs(query)[:MAX_TERMS]]


def _literal(run: str) -> Term:
    if _CJK_RE.match(run) and len(run) >= 2:
        return Term(tuple(_bigrams(run)), prefix=False, text=run)
    # One Chinese character, or letters/digits: the start of a token.
    return Term((run,), prefix=True, text=run)


def _either(parts: list[Expr]) -> Expr:
    unique = list(dict.fromkeys(parts))
    return unique[0] if len(unique) == 1 else Either(tuple(unique))


def _with_synonyms(word: str, words: Dictionary) -> Expr:
    """Return a word or any term of its synonym group."""
    group = words.group_of(word)
    return _either([_literal(word), *(_literal(t) for t in group if t != word)])


def _segment(run: str, words: Dictionary) -> list[str]:
    """Cut a run of Chinese into words: the dictionary's terms (longest first), jieba between."""
    found: list[str] = []
    rest = ""
    i = 0
    while i < len(run):
        term = next(
            (
                run[i : i + n]
                for n in range(min(words.longest, len(run) - i), 1, -1)
                if run[i : i + n] in words.groups
            ),
            None,
        )
        if term is None:
            rest += run[i]
            i += 1
            continue
        if rest:
            found.extend(jieba.lcut(rest))
            rest = ""
        found.append(term)
        i += len(term)
    if rest:
        found.extend(jieba.lcut(rest))
    return [w for w in found if w.strip()]


def _run_expr(run: str, words: Dictionary) -> Expr:
    """Return what matches one run: itself or a synonym, or all of its words in any order."""
    if not _CJK_RE.match(run) or len(run) < 2:
        return _literal(run)
    if run in words.groups:
        return _with_synonyms(run, words)
    parts = _segment(run, words)
    if not 2 <= len(parts) <= MAX_WORDS or any(len(p) < 2 for p in parts):
        # One word, too many, or single characters (础基 is no word of 基础): as typed only.
        return _literal(run)
    # The phrase as typed, or its words (each with its synonyms) anywhere: 迁移户籍 finds
    # 户籍迁移, 户口迁移 finds 户籍迁移 too.
    return _either([_literal(run), Both(tuple(_with_synonyms(w, words) for w in parts))])


def query_concepts(query: str, words: Dictionary | None = None) -> list[Concept]:
    """Return the concepts of a user's query: each word between spaces, with its synonyms.

    A resource matches the query when it matches any concept, and ranks by how many it
    matches; the runs inside one word (人口-基础, 101/000123) must all match.
    """
    words = synonyms.dictionary() if words is None else words
    concepts: list[Concept] = []
    budget = MAX_TERMS
    for chunk in unicodedata.normalize("NFKC", query).lower().split():
        runs = _runs(chunk)[:budget]
        if not runs:
            continue
        budget -= len(runs)
        exprs = [_run_expr(run, words) for run in runs]
        concepts.append(Concept("".join(runs), exprs[0] if len(exprs) == 1 else Both(tuple(exprs))))
        if budget <= 0:
            break
    return concepts


def expr_terms(expr: Expr) -> list[Term]:
    """Return every term of an expression, in order."""
    if isinstance(expr, Term):
        return [expr]
    return [t for part in expr.parts for t in expr_terms(part)]


def expr_tsquery(expr: Expr) -> str:
    """Return the PostgreSQL tsquery (raw syntax) of an expression."""
    # Tokens hold only CJK characters, a-z and 0-9 (_RUN_RE): quoting them is enough.
    if isinstance(expr, Term):
        if expr.prefix:
            return f"'{expr.tokens[0]}':*"
        return "(" + " <-> ".join(f"'{t}'" for t in expr.tokens) + ")"
    joiner = " & " if isinstance(expr, Both) else " | "
    return "(" + joiner.join(expr_tsquery(part) for part in expr.parts) + ")"


def tsquery_text(terms: Sequence[Term]) -> str:
    """Return the PostgreSQL tsquery (raw syntax) that requires every term."""
    return " & ".join(expr_tsquery(term) for term in terms)


def concepts_tsquery(concepts: Sequence[Concept]) -> str:
    """Return the tsquery that any concept satisfies."""
    return " | ".join(expr_tsquery(c.expr) for c in concepts)


def expr_matches_text(expr: Expr, text: str) -> bool:
    """Return whether a short text (a data item's name) matches an expression.

    The same rule as the index, read on the text itself: a phrase is a substring, a prefix
    term the start of a run.
    """
    if isinstance(expr, Term):
        normal = unicodedata.normalize("NFKC", text).lower()
        if expr.prefix:
            return any(run.startswith(expr.text) or expr.text in run for run in _runs(normal))
        return expr.text in normal
    found = (expr_matches_text(part, text) for part in expr.parts)
    return all(found) if isinstance(expr, Both) else any(found)


def _sqlite_q(expr: Expr) -> Q:
    if isinstance(expr, Term):
        if expr.prefix:
            return Q(search_document__contains=f" {expr.tokens[0]}")
        return Q(search_document__contains=f" {' '.join(expr.tokens)} ")
    combined = Q()
    for i, part in enumerate(expr.parts):
        q = _sqlite_q(part)
        combined = q if i == 0 else (combined & q if isinstance(expr, Both) else combined | q)
    return combined


def _concept_q(concept: Concept) -> Q:
    if connection.vendor == "postgresql":
        return Q(search_vector=_raw_query(expr_tsquery(concept.expr)))
    return _sqlite_q(concept.expr)


def _raw_query(text: str) -> SearchQuery:
    return SearchQuery(text, search_type="raw", config=SEARCH_CONFIG)


def _any_concept_q(concepts: Sequence[Concept]) -> Q:
    if connection.vendor == "postgresql":
        return Q(search_vector=_raw_query(concepts_tsquery(concepts)))
    combined = Q()
    for concept in concepts:
        combined |= _sqlite_q(concept.expr)
    return combined


# Ranking, best first: how many of the query's words match (CONCEPT_WEIGHT each), then the name
# holding the first word (NAME_WEIGHT), then PostgreSQL's ts_rank normalised below 1 (so it
# only orders within the same count and name hit); an exact resource code adds CODE_WEIGHT.
CONCEPT_WEIGHT = 2.0
NAME_WEIGHT = 1.0
CODE_WEIGHT = 10.0
# ts_rank's normalisation 32: rank / (rank + 1), always below 1.
TS_RANK_NORMALIZATION = 32


def name_terms(concepts: Sequence[Concept]) -> list[str]:
    """Return the texts whose presence in a name lifts a result: the first word or a synonym."""
    if not concepts:
        return []
    expr = concepts[0].expr
    while isinstance(expr, Both):  # a word of several runs: its first run
        expr = expr.parts[0]
    if isinstance(expr, Term):
        return [expr.text]
    return [part.text for part in expr.parts if isinstance(part, Term)]


def _name_boost(concepts: Sequence[Concept]) -> Case | Value:
    """Rank resources whose name holds the query's first word (or a synonym of it) higher."""
    texts = name_terms(concepts)
    if not texts:
        return Value(0.0)
    condition = Q()
    for text in texts:
        condition |= Q(name__icontains=text)
    return Case(
        When(condition, then=Value(NAME_WEIGHT)),
        default=Value(0.0),
        output_field=FloatField(),
    )


def _concept_count(concepts: Sequence[Concept]) -> Any:
    """Return the number of matching concepts, times the weight (constant for one concept)."""
    if len(concepts) == 1:
        return Value(CONCEPT_WEIGHT)
    total: Any = None
    for concept in concepts:
        case = Case(
            When(_concept_q(concept), then=Value(CONCEPT_WEIGHT)),
            default=Value(0.0),
            output_field=FloatField(),
        )
        total = case if total is None else total + case
    return total


def search_match(
    queryset: QuerySet[Resource], query: str, *, concepts: Sequence[Concept] | None = None
) -> QuerySet[Resource]:
    """Narrow a resource queryset to the matches of ``query``, without ranking (for counts)."""
    concepts = query_concepts(query) if concepts is None else concepts
    if not concepts:
        return queryset
    return queryset.filter(_any_concept_q(concepts))


def _match_every(queryset: QuerySet[Resource], concepts: Sequence[Concept]) -> QuerySet[Resource]:
    for concept in concepts:
        queryset = queryset.filter(_concept_q(concept))
    return queryset


@dataclass(frozen=True)
class Bounded:
    """A query's matches, annotated with ``search_rank``; see ``search_bounded``."""

    resources: QuerySet[Resource]
    count: int  # the matches, counted up to the bound
    more: bool  # more matches than the bound


def search_bounded(
    queryset: QuerySet[Resource], query: str, *, bound: int, relevance: bool = True
) -> Bounded:
    """Return the matches of ``query`` within ``queryset``, counted and ranked within a bound.

    Ranking reads every match's search vector, so a broad query (信息 matches 70,000 entries
    at city scale) cannot be ranked in full on each request. The first ``bound`` + 1 matches
    the index yields are read as ids: they are the count (up to the bound) and the candidates
    that are ranked, so the ranking reads at most ``bound`` vectors whatever the query. For
    several words the first ``bound`` matching every word join the candidates, so resources
    matching more words keep coming first. With ``relevance`` false (another order, walking
    its own index) a broad query keeps every match.
    """
    concepts = query_concepts(query)
    if not concepts:  # nothing searchable in it (punctuation only): no filter, as if empty
        return Bounded(search_filter(queryset, query, concepts=concepts), queryset.count(), False)
    matched = search_match(queryset, query, concepts=concepts)
    first = list(matched.order_by().values_list("pk", flat=True)[: bound + 1])
    more = len(first) > bound
    if more and not relevance:
        return Bounded(_ranked(matched, query, concepts), bound, more)
    candidates = set(first[:bound])
    if more and len(concepts) > 1:
        every = _match_every(queryset, concepts).order_by().values_list("pk", flat=True)
        candidates.update(every[:bound])
    # The candidates are matches already: rank them without matching them again.
    ranked = _ranked(queryset.filter(pk_among(sorted(candidates))), query, concepts)
    return Bounded(ranked, min(len(first), bound), more)


def pk_among(pks: list[int]) -> Q:
    """Return ``pk IN pks``: on PostgreSQL one array parameter, not one parameter per id.

    The array travels as its text (``{1,2,3}``, cast to ``bigint[]`` by PostgreSQL): adapted
    as a list, each of a thousand ids went through the field's preparation in Python.
    """
    if connection.vendor == "postgresql":
        text = "{" + ",".join(str(int(pk)) for pk in pks) + "}"
        array = RawSQL("%s::bigint[]", (text,), output_field=ArrayField(BigIntegerField()))
        return Q(_AnyOf(F("pk"), array))
    return Q(pk__in=pks)


class _AnyOf(Func):
    """``column = ANY(array)`` (PostgreSQL)."""

    template = "(%(expressions)s))"
    arg_joiner = " = ANY("
    output_field = BooleanField()


def search_filter(
    queryset: QuerySet[Resource], query: str, *, concepts: Sequence[Concept] | None = None
) -> QuerySet[Resource]:
    """Narrow a resource queryset to the matches of ``query``, annotated with ``search_rank``.

    An empty query (nothing searchable in it) returns the queryset unchanged, with rank 0.
    """
    concepts = query_concepts(query) if concepts is None else concepts
    if not concepts:
        return queryset.annotate(search_rank=Value(0.0, output_field=FloatField()))
    return _ranked(search_match(queryset, query, concepts=concepts), query, concepts)


def _ranked(
    queryset: QuerySet[Resource], query: str, concepts: Sequence[Concept]
) -> QuerySet[Resource]:
    """Annotate matches of ``concepts`` with their ``search_rank``."""
    code_hit = Case(
        When(code=query.strip(), then=Value(CODE_WEIGHT)),
        default=Value(0.0),
        output_field=FloatField(),
    )
    rank = _concept_count(concepts) + _name_boost(concepts) + code_hit
    if connection.vendor == "postgresql":
        text_rank = Coalesce(
            SearchRank(
                F("search_vector"),
                _raw_query(concepts_tsquery(concepts)),
                normalization=Value(TS_RANK_NORMALIZATION),
            ),
            Value(0.0),
        )
        rank = rank + text_rank
    return queryset.annotate(search_rank=rank)


def highlight_words(concepts: Sequence[Concept]) -> list[str]:
    """Return the words to mark in results: every term of the query and its synonyms."""
    words = {t.text for c in concepts for t in expr_terms(c.expr) if t.text}
    return sorted(words, key=lambda w: (-len(w), w))


def name_sort_key(name: str) -> str:
    """Return the pinyin key of a name for the "name" order: 人口 → renkou (docs/decisions.md)."""
    text = unicodedata.normalize("NFKC", name).lower()
    return re.sub(r"[^0-9a-z]", "", "".join(lazy_pinyin(text)))[:300]


def search_match_any_token(tokens: Sequence[str]) -> Q:
    """Return the filter of resources whose document holds any of these exact tokens."""
    clean = [t for t in tokens if _RUN_RE.fullmatch(t)]
    if not clean:
        return Q(pk__in=[])
    if connection.vendor == "postgresql":
        return Q(search_vector=_raw_query(" | ".join(f"'{t}'" for t in clean)))
    combined = Q()
    for token in clean:
        combined |= Q(search_document__contains=f" {token} ")
    return combined
