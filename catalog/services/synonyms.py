"""The coordinator's synonym dictionary: add, change and delete groups of terms.

Every change is validated as a whole before anything is written (a group of at least two
distinct terms, each one a word of at most 30 characters, none already in another group) and
recorded in the audit trail with the terms before and after. The search reads the dictionary
through ``catalog.synonyms``, whose cached copy each change drops.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from audit.services import record
from kernel.policies import require

from .. import policies, synonyms
from ..models import SynonymGroup, SynonymTerm


def _require(actor: User | None) -> None:
    require(
        actor,
        policies.can_manage_synonyms,
        message=_("Only the platform coordinator may change the synonym dictionary."),
    )


def _clean_terms(raw: Sequence[str], *, group: SynonymGroup | None) -> list[str]:
    """Return the group's terms normalised and deduplicated, or raise ``ValidationError``."""
    terms: list[str] = []
    problems: list[str] = []
    for value in raw:
        term = synonyms.normalize_term(value)
        if not term:
            problems.append(_("A term cannot be empty."))
            continue
        if len(term) > synonyms.TERM_MAX_LENGTH:
            problems.append(
                _("“%(term)s” is longer than %(max)d characters.")
                % {"term": term, "max": synonyms.TERM_MAX_LENGTH}
            )
        elif not synonyms.TERM_RE.match(term):
            problems.append(
                _(
                    "“%(term)s” is not one word: use Chinese characters, or letters and digits,"
                    " without spaces or punctuation."
                )
                % {"term": term}
            )
        if term not in terms:
            terms.append(term)
    if problems:
        raise ValidationError({"terms": problems})
    if len(terms) < 2:
        raise ValidationError({"terms": _("A synonym group needs at least two different terms.")})
    if len(terms) > synonyms.GROUP_MAX_TERMS:
        raise ValidationError(
            {
                "terms": _("A synonym group has at most %(max)d terms.")
                % {"max": synonyms.GROUP_MAX_TERMS}
            }
        )
    taken = SynonymTerm.objects.filter(term__in=terms)
    if group is not None:
        taken = taken.exclude(group=group)
    clashes = sorted(taken.values_list("term", flat=True))
    if clashes:
        raise ValidationError(
            {
                "terms": _(
                    "Already in another group: %(terms)s. A term belongs to one group only;"
                    " change that group instead."
                )
                % {"terms": "、".join(clashes)}
            }
        )
    return terms


def _write_terms(group: SynonymGroup, terms: list[str]) -> None:
    group.terms.all().delete()
    SynonymTerm.objects.bulk_create(
        SynonymTerm(group=group, term=term, position=i) for i, term in enumerate(terms)
    )


def _changed() -> None:
    # Now, so this process never reads the old groups again, and after the commit, in case
    # another request cached them in between.
    synonyms.forget()
    transaction.on_commit(synonyms.forget)


@transaction.atomic
def synonym_group_create(*, actor: User | None, terms: Sequence[str]) -> SynonymGroup:
    """Add a group of terms that the search treats as one."""
    _require(actor)
    cleaned = _clean_terms(terms, group=None)
    group = SynonymGroup.objects.create(updated_by=actor)
    _write_terms(group, cleaned)
    record(actor=actor, action="synonyms.create", obj=group, details={"terms": cleaned})
    _changed()
    return group


@transaction.atomic
def synonym_group_update(
    *, actor: User | None, group: SynonymGroup, terms: Sequence[str]
) -> SynonymGroup:
    """Replace a group's terms."""
    _require(actor)
    locked = SynonymGroup.objects.select_for_update().get(pk=group.pk)
    before = list(locked.terms.values_list("term", flat=True))
    cleaned = _clean_terms(terms, group=locked)
    _write_terms(locked, cleaned)
    locked.updated_by = actor
    locked.save(update_fields=["updated_by", "updated_at"])
    record(
        actor=actor,
        action="synonyms.update",
        obj=locked,
        details={"before": before, "terms": cleaned},
    )
    _changed()
    return locked


@transaction.atomic
def synonym_group_delete(*, actor: User | None, group: SynonymGroup) -> None:
    """Delete a group: its terms are searched for as typed again."""
    _require(actor)
    locked = SynonymGroup.objects.select_for_update().get(pk=group.pk)
    before = list(locked.terms.values_list("term", flat=True))
    record(actor=actor, action="synonyms.delete", obj=locked, details={"before": before})
    locked.delete()
    _changed()
