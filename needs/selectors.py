"""Every read of the needs pages and API; each takes ``user=`` and applies ``needs.policies``."""

from __future__ import annotations

import operator
import re
from functools import reduce

from django.db.models import Case, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone

from accounts.models import Department, User
from audit.models import AuditEvent
from catalog import selectors as catalog_selectors
from catalog.models import Resource

from . import policies
from .models import OPEN_STATUSES, Need, NeedStatus

SIMILAR_LIMIT = 5
# Filters of the list, by the name used in the address (?state=).
STATES = ("open", "mine", "waiting", "answered", "overdue")
_SPLIT = re.compile(r"[\s,，、;；。.:：/()（）]+")
_CJK = re.compile(r"^[\u3400-\u9fff]+$")


def _needs(user: User) -> QuerySet[Need]:
    # ``resource_visible``: whether the viewer may be shown the linked resource, by the
    # catalog's own visibility filter, in the same query (a list shows many needs).
    shown = catalog_selectors.resources_visible_to(user=user).filter(pk=OuterRef("resource_id"))
    return (
        Need.objects.filter(policies.needs_visible_q(user))
        .select_related("requester_department", "provider", "suggested_provider", "resource")
        .annotate(resource_visible=Exists(shown))
        .order_by("-created_at", "-id")
    )


def needs_visible_to(*, user: User, state: str = "") -> QuerySet[Need]:
    """Return the needs the user may see, optionally narrowed to one of ``STATES``."""
    needs = _needs(user)
    if state == "open":
        needs = needs.filter(status__in=OPEN_STATUSES)
    elif state == "mine":
        needs = needs.filter(requester_department_id=user.department_id)
    elif state == "waiting":
        needs = needs.filter(policies.needs_answerable_q(user) | policies.needs_routable_q(user))
    elif state == "answered":
        needs = needs.filter(status__in=[NeedStatus.LINKED, NeedStatus.REFUSED])
    elif state == "overdue":
        needs = needs.filter(status=NeedStatus.ROUTED, due_date__lt=timezone.localdate())
    return needs


def need_get_visible(*, user: User, pk: int) -> Need:
    """Return the need if the user may see it; raise ``Need.DoesNotExist`` otherwise."""
    return _needs(user).get(pk=pk)


def needs_waiting_count(*, user: User) -> int:
    """Return how many needs wait for the user: to route (coordinator) or to answer (provider)."""
    where = policies.needs_answerable_q(user) | policies.needs_routable_q(user)
    return Need.objects.filter(where).count()


def title_terms(title: str) -> list[str]:
    """Return the search terms of a need's title.

    Words split on spaces and punctuation; a run of Chinese characters (written without spaces)
    also gives its two-character words, so 户籍人口信息 finds 户籍迁移记录.
    """
    terms: list[str] = []
    for word in _SPLIT.split(title.strip()):
        if len(word) < 2:
            continue
        terms.append(word)
        if _CJK.match(word) and len(word) > 2:
            terms.extend(word[i : i + 2] for i in range(len(word) - 1))
    return list(dict.fromkeys(terms))[:20]


def needs_similar(*, user: User, title: str, exclude_pk: int | None = None) -> list[Need]:
    """Return open needs whose titles share terms with ``title``, the most shared first."""
    terms = title_terms(title)
    if not terms or not policies.may_see_needs(user):
        return []
    matches = [
        Case(When(title__icontains=t, then=Value(1)), default=Value(0), output_field=IntegerField())
        for t in terms
    ]
    score = reduce(operator.add, matches)
    any_term = Q()
    for t in terms:
        any_term |= Q(title__icontains=t)
    needs = (
        _needs(user)
        .filter(any_term, status__in=OPEN_STATUSES)
        .annotate(score=score)
        .order_by("-score", "-created_at", "-id")
    )
    if exclude_pk is not None:
        needs = needs.exclude(pk=exclude_pk)
    return list(needs[:SIMILAR_LIMIT])


def departments_to_route(*, user: User, need: Need) -> QuerySet[Department]:
    """Return the departments a need may be routed to: active ones other than its requester."""
    if not policies.can_route_need(user, need):
        return Department.objects.none()
    return Department.objects.filter(is_active=True).exclude(pk=need.requester_department_id)


def departments_to_suggest() -> QuerySet[Department]:
    """Return the departments a requester may name as believed to hold the data."""
    return Department.objects.filter(is_active=True).order_by("name")


def resources_to_link(*, user: User, need: Need) -> QuerySet[Resource]:
    """Return the provider's published resources the user may link as the need's answer."""
    if not policies.can_answer_need(user, need):
        return Resource.objects.none()
    return (
        catalog_selectors.resources_visible_to(user=user)
        .filter(provider_id=need.provider_id, status=Resource.Status.PUBLISHED)
        .order_by("name", "id")
    )


def need_timeline(*, need: Need) -> QuerySet[AuditEvent]:
    """Return the audit events of a need, oldest first (the caller may see the need)."""
    return (
        AuditEvent.objects.filter(object_type="needs.need", object_id=str(need.pk))
        .select_related("actor")
        .order_by("created_at", "id")
    )
