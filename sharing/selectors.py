"""Every read of the sharing pages: each takes ``user=`` and applies sharing.policies in SQL."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, IntegerField, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from accounts.models import Role, User
from audit.models import AuditEvent
from catalog import policies as catalog_policies
from catalog.models import DataItem, Resource
from workcalendar.workdays import working_days_between

from . import policies
from .models import (
    BasketEntry,
    Correction,
    Follow,
    Grant,
    Notification,
    RequestLine,
    RequestStatus,
    ShareRequest,
)

# Loads the lines with their resources and items in two queries whatever the page size
# (without it, each row of a list costs one query per line and one per line's items).
_LINES = Prefetch(
    "lines",
    queryset=RequestLine.objects.select_related("resource").prefetch_related("items"),
)


def listing_rows(rows: QuerySet[Any]) -> QuerySet[Any]:
    """Return requests or grants with only what a row of a list shows of them.

    A request row (the request lists, the coordination list, "My work") shows its lines'
    resource names (one query, of those names only, without the items) and its two
    departments, not the people who asked and decided. A grant
    row in "My work" shows its resource and departments: no items. Detail pages and the grant
    lists keep their full relations.
    """
    if rows.model is ShareRequest:
        # A row names its lines' resources: nothing else of them is loaded.
        lines = RequestLine.objects.select_related("resource").only(
            "request_id", "resource_id", "resource__name"
        )
        return (
            rows.select_related(None)
            .select_related("requester_department", "provider")
            .prefetch_related(None)
            .prefetch_related(Prefetch("lines", queryset=lines))
        )
    if rows.model is Grant:
        return rows.prefetch_related(None)
    return rows  # another app's queue: as its selector made it


def _with_relations(requests: QuerySet[ShareRequest]) -> QuerySet[ShareRequest]:
    return requests.select_related(
        "requester_department", "provider", "requested_by", "decided_by"
    ).prefetch_related(_LINES)


def _requests(user: User) -> QuerySet[ShareRequest]:
    return _with_relations(ShareRequest.objects.filter(policies.requests_visible_q(user)))


def requests_visible_to(*, user: User) -> QuerySet[ShareRequest]:
    """Return every share request the user may see."""
    return _requests(user)


def requests_of_my_department(*, user: User) -> QuerySet[ShareRequest]:
    """Return the requests the user's department has made."""
    return _with_relations(ShareRequest.objects.filter(policies.requests_made_q(user)))


def requests_to_my_department(*, user: User) -> QuerySet[ShareRequest]:
    """Return the requests made to the user's department as provider."""
    return _with_relations(ShareRequest.objects.filter(policies.requests_received_q(user)))


INBOX_KINDS = ("decision", "signoff")


def requests_inbox(*, user: User, kind: str = "") -> QuerySet[ShareRequest]:
    """Return the requests awaiting the user's decision or sign-off, the most urgent first.

    ``kind`` narrows the inbox to one of its two queues: "decision" (requests to the user's
    department, or delegated) or "signoff" (the department's own outgoing requests).
    """
    # Both filters are subsets of requests_visible_q (tests/sharing check it): repeating the
    # visibility filter would double the query's subqueries and its planning time. The status
    # test is implied too; said outright, it lets PostgreSQL use the partial index of waiting
    # requests (share_request_waiting).
    if kind == "decision":
        waiting, statuses = policies.requests_decidable_q(user), [RequestStatus.SUBMITTED]
    elif kind == "signoff":
        waiting, statuses = policies.requests_signoff_q(user), [RequestStatus.SIGNOFF]
    else:
        waiting = policies.requests_decidable_q(user) | policies.requests_signoff_q(user)
        statuses = [RequestStatus.SUBMITTED, RequestStatus.SIGNOFF]
    return _with_relations(ShareRequest.objects.filter(waiting, status__in=statuses)).order_by(
        "due_date", "submitted_at", "id"
    )


def requests_returned(*, user: User) -> QuerySet[ShareRequest]:
    """Return the department's requests the provider sent back for changes, oldest first."""
    return (
        requests_of_my_department(user=user)
        .filter(status=RequestStatus.CHANGES_REQUESTED)
        .order_by("decided_at", "id")
    )


# --- counts of the work waiting for the user (the navigation's badges) ---------------------------
#
# Each on the same filter as its queue page, so a badge never promises what the page does not
# show; ``work_counts`` asks for several in ONE query (a COUNT subquery each), because the
# navigation shows them on every page. tests/sharing/test_nav_counts.py pins its queries.


def _returned_requests(user: User) -> QuerySet[ShareRequest]:
    if user.department_id is None:
        return ShareRequest.objects.none()
    return ShareRequest.objects.filter(
        policies.requests_made_q(user), status=RequestStatus.CHANGES_REQUESTED
    )


def _inbox_requests(user: User) -> QuerySet[ShareRequest]:
    waiting = policies.requests_decidable_q(user) | policies.requests_signoff_q(user)
    return ShareRequest.objects.filter(
        waiting, status__in=[RequestStatus.SUBMITTED, RequestStatus.SIGNOFF]
    )


# Queue name -> its rows for a user; built only when asked for (some filters cost a query).
_WORK: dict[str, Callable[[User], QuerySet[Any]]] = {
    # unread notifications
    "notifications": lambda user: Notification.objects.filter(
        recipient_id=user.pk, read_at__isnull=True
    ),
    # resources in the basket that the user may still see
    "basket": lambda user: BasketEntry.objects.filter(
        user_id=user.pk,
        resource__in=Resource.objects.filter(catalog_policies.resources_visible_q(user)),
    ),
    # the department's requests the provider returned for changes
    "returned": _returned_requests,
    # requests awaiting the user's decision or sign-off (the inbox)
    "inbox": _inbox_requests,
    # requests in coordination the user may settle
    "negotiation": lambda user: ShareRequest.objects.filter(policies.requests_settleable_q(user)),
    # open corrections the user may answer for the provider
    "corrections": lambda user: Correction.objects.filter(policies.corrections_answerable_q(user)),
}


WORK_QUEUES = ("notifications", "basket", "returned", "inbox", "negotiation", "corrections")


class CountOfFirst(Subquery):
    """The number of rows of a (sliced) subquery: ``(SELECT COUNT(*) FROM (…) AS first)``."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) AS first_waiting)"


# A badge counts up to this many and then says "99+": counting every waiting item would make
# every page of the coordinator (5,850 requests in coordination at city scale) pay for the
# whole queue; the queue's own page counts them all.
BADGE_CAP = 99


def work_counts(*, user: User, queues: Iterable[str] = WORK_QUEUES) -> dict[str, int]:
    """Return how many things wait in each of the named queues (``WORK_QUEUES``), in one query.

    A count stops at ``BADGE_CAP`` + 1: more than the cap shows as "99+".
    """
    wanted = [q for q in WORK_QUEUES if q in set(queues)]
    if not wanted or not user.is_authenticated:
        return dict.fromkeys(wanted, 0)
    columns = {
        f"n_{name}": CountOfFirst(
            _WORK[name](user).order_by().values("pk")[: BADGE_CAP + 1],
            output_field=IntegerField(),
        )
        for name in wanted
    }
    row = User.objects.filter(pk=user.pk).values(**columns).first()
    found: dict[str, Any] = dict(row) if row else {}
    return {name: int(found.get(f"n_{name}") or 0) for name in wanted}


def basket_contains(*, user: User, resource_id: int) -> bool:
    """Return whether the resource is in the user's basket."""
    return BasketEntry.objects.filter(user_id=user.pk, resource_id=resource_id).exists()


def requests_in_negotiation(*, user: User) -> QuerySet[ShareRequest]:
    """Return the requests in coordination that the user may settle."""
    return (
        _requests(user).filter(policies.requests_settleable_q(user)).order_by("submitted_at", "id")
    )


def request_get_visible(*, user: User, pk: int) -> ShareRequest:
    """Return one request the user may see, or raise ``ShareRequest.DoesNotExist``."""
    return _requests(user).get(pk=pk)


def working_days_left(request: ShareRequest, *, today: date | None = None) -> int | None:
    """Return the working days left before the reply is due (negative when overdue)."""
    if request.due_date is None or request.status != RequestStatus.SUBMITTED:
        return None
    today = today or timezone.localdate()
    return working_days_between(today, request.due_date)


@dataclass(frozen=True)
class RequestActions:
    decide: bool
    signoff: bool
    settle: bool
    edit: bool
    withdraw: bool
    escalate: bool


def request_actions(*, user: User, request: ShareRequest) -> RequestActions:
    """Return what the user may do with the request now."""
    requester = policies.can_act_as_requester(user, request)
    return RequestActions(
        decide=policies.can_decide_request(user, request),
        signoff=policies.can_signoff_request(user, request),
        settle=policies.can_settle_request(user, request),
        edit=requester and request.status == RequestStatus.CHANGES_REQUESTED,
        withdraw=requester
        and request.status
        in (RequestStatus.SIGNOFF, RequestStatus.SUBMITTED, RequestStatus.CHANGES_REQUESTED),
        escalate=requester and request.status == RequestStatus.REJECTED,
    )


# --- basket and request form ------------------------------------------------------------------


def basket_entries(*, user: User) -> QuerySet[BasketEntry]:
    """Return the user's basket, limited to resources the user may still see."""
    visible = Resource.objects.filter(catalog_policies.resources_visible_q(user))
    return (
        BasketEntry.objects.filter(user_id=user.pk, resource__in=visible)
        .select_related("resource__provider")
        .order_by("resource__provider__name", "added_at", "id")
    )


def requestable_items(*, user: User, resource: Resource) -> QuerySet[DataItem]:
    """Return the items of a resource the user may ask for: every item of an entry they see.

    Items above the user's clearance too; only the department's users cleared for an item's
    level will receive it.
    """
    return policies.items_nameable_by(user, resource).order_by("position", "id")


def correctable_items(*, user: User, resource: Resource) -> QuerySet[DataItem]:
    """Return the items of a resource the user may file a correction on: within clearance."""
    return policies.items_correctable_by(user, resource).order_by("position", "id")


# --- grants -----------------------------------------------------------------------------------


def _grants(user: User, visible: Q | None = None) -> QuerySet[Grant]:
    return (
        Grant.objects.filter(policies.grants_visible_q(user) if visible is None else visible)
        .select_related("resource__provider", "department", "request", "granted_by")
        # The resource's search columns (its largest) are shown by no grant list or page.
        .defer("resource__search_document", "resource__search_vector")
        .prefetch_related("items")
    )


def grants_count_items(grants: Iterable[Grant]) -> list[Grant]:
    """Set ``item_count`` on each grant (the data items it covers), in one query; return them."""
    listed = list(grants)
    through = Grant.items.through
    counts = {
        row["grant_id"]: row["n"]
        for row in through.objects.filter(grant_id__in=[g.pk for g in listed])
        .values("grant_id")
        .annotate(n=Count("pk"))
    }
    for grant in listed:
        grant.item_count = counts.get(grant.pk, 0)  # type: ignore[attr-defined]
    return listed


def grants_as_consumer(*, user: User) -> QuerySet[Grant]:
    """Return the grants the user's department holds."""
    return _grants(user, policies.grants_held_q(user))


def grants_as_provider(*, user: User) -> QuerySet[Grant]:
    """Return the grants on the user's department's resources."""
    return _grants(user, policies.grants_given_q(user))


def grants_visible_to(*, user: User) -> QuerySet[Grant]:
    """Return every grant the user may see."""
    return _grants(user)


EXPIRING_DAYS = 30


def grants_expiring(*, user: User, days: int = EXPIRING_DAYS) -> QuerySet[Grant]:
    """Return the department's grants in force that end within ``days``, the soonest first.

    Both sides: the grants the department holds and those given on its resources.
    """
    if user.department_id is None:
        return Grant.objects.none()
    now = timezone.now()
    mine = Q(department_id=user.department_id) | Q(resource__provider_id=user.department_id)
    return (
        _grants(user)
        .filter(
            mine,
            status=Grant.Status.ACTIVE,
            valid_from__lte=now,
            valid_until__gt=now,
            valid_until__lte=now + timedelta(days=days),
        )
        .order_by("valid_until", "id")
    )


def grant_get_visible(*, user: User, pk: int) -> Grant:
    """Return one grant the user may see, or raise ``Grant.DoesNotExist``."""
    return _grants(user).get(pk=pk)


def department_other_grants(*, user: User, request: ShareRequest) -> QuerySet[Grant]:
    """Return the requesting department's other grants, as far as the user may see them."""
    # The requester's own staff see their department's side of the policy (grants_held_q):
    # the same grants, without the other side's OR that misled the planner (grants_as_consumer).
    own = user.department_id is not None and user.department_id == request.requester_department_id
    grants = _grants(user, policies.grants_held_q(user)) if own else _grants(user)
    return grants.filter(department=request.requester_department).exclude(request_id=request.pk)


# --- corrections ------------------------------------------------------------------------------


def _corrections(user: User) -> QuerySet[Correction]:
    return Correction.objects.filter(policies.corrections_visible_q(user)).select_related(
        "resource__provider", "item", "department", "filed_by", "answered_by"
    )


def corrections_visible_to(*, user: User, state: str = "") -> QuerySet[Correction]:
    """Return the corrections the user may see.

    ``state`` is "", "open", "overdue" or "to_answer" (open ones the user may answer for the
    provider, the soonest due first).
    """
    qs = _corrections(user)
    if state == "to_answer":
        return qs.filter(policies.corrections_answerable_q(user)).order_by("due_date", "id")
    if state in ("open", "overdue"):
        qs = qs.filter(status=Correction.Status.OPEN)
    if state == "overdue":
        qs = qs.filter(due_date__lt=timezone.localdate())
    return qs


def correction_get_visible(*, user: User, pk: int) -> Correction:
    """Return one correction the user may see, or raise ``Correction.DoesNotExist``."""
    return _corrections(user).get(pk=pk)


# --- notifications and history ----------------------------------------------------------------


def notifications_for(*, user: User) -> QuerySet[Notification]:
    """Return the user's notifications, newest first."""
    return Notification.objects.filter(recipient_id=user.pk)


def notifications_unread(*, user: User) -> QuerySet[Notification]:
    """Return the user's unread notifications, newest first."""
    return notifications_for(user=user).filter(read_at__isnull=True)


def notifications_unread_count(*, user: User) -> int:
    """Return how many of the user's notifications are unread."""
    return Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).count()


def _events(*pairs: tuple[str, list[int]]) -> QuerySet[AuditEvent]:
    where = Q(pk__in=[])
    for object_type, pks in pairs:
        if pks:
            where |= Q(object_type=object_type, object_id__in=[str(pk) for pk in pks])
    return AuditEvent.objects.filter(where).select_related("actor").order_by("created_at", "id")


def request_timeline(*, request: ShareRequest) -> QuerySet[AuditEvent]:
    """Return the audit events of a request and of the grants it created, oldest first.

    The caller has already established that the user may see the request.
    """
    grants = list(request.grants.values_list("pk", flat=True))
    return _events(("sharing.sharerequest", [request.pk]), ("sharing.grant", grants))


def grant_timeline(*, grant: Grant) -> QuerySet[AuditEvent]:
    """Return the audit events of a grant and of the request behind it, oldest first."""
    requests = [grant.request_id] if grant.request_id else []
    return _events(("sharing.grant", [grant.pk]), ("sharing.sharerequest", requests))


def correction_timeline(*, correction: Correction) -> QuerySet[AuditEvent]:
    """Return the audit events of a correction, oldest first."""
    return _events(("sharing.correction", [correction.pk]))


# --- people to tell ------------------------------------------------------------------------------


def people_with_role(
    department_id: int | None, *roles: str, min_clearance: int = 1
) -> QuerySet[User]:
    """Return the active users of a department holding one of the roles and the clearance."""
    if department_id is None:
        return User.objects.none()
    return User.objects.filter(
        department_id=department_id,
        is_active=True,
        clearance__gte=min_clearance,
        role_assignments__role__in=roles,
    ).distinct()


def resource_audience(*, resource: Resource) -> QuerySet[User]:
    """Return who hears of the resource's changes, before the visibility rule: the active people
    of each department holding a grant in force on it, and its followers.

    Service accounts read through the API and have no inbox; they are not told.
    """
    holders = Grant.objects.in_force().filter(resource=resource).values("department_id")
    followers = Follow.objects.filter(resource=resource).values("user_id")
    return (
        User.objects.filter(Q(department_id__in=holders) | Q(pk__in=followers))
        .filter(is_active=True)
        .exclude(kind=User.Kind.SERVICE)
        .order_by("pk")
    )


def resource_followed(*, user: User, resource: Resource) -> bool:
    """Return whether the user follows the resource."""
    return Follow.objects.filter(user_id=user.pk, resource=resource).exists()


def coordinators(*, min_clearance: int = 1) -> QuerySet[User]:
    """Return the active platform coordinators with at least the clearance."""
    return User.objects.filter(
        is_active=True, clearance__gte=min_clearance, role_assignments__role=Role.COORDINATOR
    ).distinct()
