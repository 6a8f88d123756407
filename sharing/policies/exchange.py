"""Who may see and act on share requests, grants and corrections: predicates and SQL filters.

A request, a grant or a correction concerns two departments: the one asking (or holding, or
reporting) and the provider. All active staff of those two departments see it, and so does the
platform coordinator; nobody else does, and nobody sees one that names a resource whose catalog
entry they may not see (its catalog scope does not admit them; a correction, which may quote
values, needs clearance for the resource's level). Acting is narrower: only the provider's approvers (or per-object delegates) decide,
never on a request from their own department; the requesting department's approver signs off
outgoing requests; the coordinator settles negotiations.

Each rule is written twice, as a predicate for one object and as a queryset filter for lists;
the access-matrix tests in tests/sharing check that the pages built on both agree.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.lookups import IsNull

from accounts.models import Level, Role, User
from catalog import policies as catalog_policies
from catalog.models import CatalogScope, DataItem, Resource

from ..models import Correction, Grant, RequestLine, RequestStatus, ShareRequest
from .reading import DataRead, data_read

AnyUser = User | AnonymousUser
NOTHING = catalog_policies.NOTHING


def _active(user: AnyUser) -> bool:
    return bool(user.is_authenticated and user.is_active)


def _is_coordinator(user: User) -> bool:
    return user.has_role(Role.COORDINATOR)


# --- share requests ---------------------------------------------------------------------------


def _above_clearance(user: User) -> Exists:
    return Exists(
        RequestLine.objects.filter(request=OuterRef("pk"), resource__level__gt=user.clearance)
    )


def _out_of_scope(user: User) -> Exists:
    """Return whether a request names a resource whose catalog scope does not admit the user."""
    return Exists(
        RequestLine.objects.filter(request=OuterRef("pk")).exclude(
            catalog_policies.resources_in_scope_q(user, through="resource")
        )
    )


def _all_lines_decidable(user: User) -> Q:
    decidable = catalog_policies.resources_stewarded_q(
        user, catalog_policies.DECIDE, through="resource"
    )
    undecided = RequestLine.objects.filter(request=OuterRef("pk")).exclude(decidable)
    # PLANNER: the always-true test on the outer row keeps PostgreSQL from turning this
    # correlated NOT EXISTS into a hashed subplan, which evaluates the rule for every line of
    # every request in the city (hundreds of ms at scale) before the cheaper conditions beside
    # it have narrowed the requests to a few; per row it costs an index probe.
    undecided = undecided.filter(IsNull(OuterRef("pk"), False))
    return ~Q(Exists(undecided))


def _some_line_delegated(user: User) -> Q:
    """Return the requests naming a resource the user may decide by per-object delegation.

    A request's lines are all resources of its provider (the service groups them so, and a
    resource never changes provider), so someone outside the provider decides every line only
    if they hold a delegation for some line. This necessary condition, ANDed before
    ``_all_lines_decidable``, lets PostgreSQL test the exact rule on a handful of requests
    instead of on every open request of the city; it can only narrow, never widen, a filter.
    """
    delegated = catalog_policies.resources_delegated(user, catalog_policies.DECIDE)
    return Q(pk__in=RequestLine.objects.filter(resource__in=delegated).values("request_id"))


def requests_visible_q(user: AnyUser) -> Q:
    """Return the filter of share requests the user may see.

    A per-object delegate who may decide every resource of a request sees it too.
    """
    if not _active(user):
        return NOTHING
    assert isinstance(user, User)
    if _is_coordinator(user):
        parties = Q()
    elif user.department_id is not None:
        # A request awaiting its own department's sign-off has not left that department yet.
        sent = ~Q(status=RequestStatus.SIGNOFF)
        received = Q(provider_id=user.department_id)
        # PLANNER: the delegates' branch only for a delegate (one indexed query; most users
        # hold none). Present for everyone, its subquery made PostgreSQL misjudge how many
        # requests a department sees and walk every request of the province newest first to
        # fill one page of the API's list (239-489 ms at scale 10).
        if catalog_policies.has_delegations(user, catalog_policies.DECIDE):
            received |= _some_line_delegated(user) & _all_lines_decidable(user)
        parties = Q(requester_department_id=user.department_id) | (sent & received)
    else:
        parties = (
            ~Q(status=RequestStatus.SIGNOFF)
            & _some_line_delegated(user)
            & _all_lines_decidable(user)
        )
    # SECURITY: a request naming one resource the user may not see in the catalog (its scope
    # does not admit them) does not exist for them.
    return parties & ~Q(_out_of_scope(user))


def _department_of(user: AnyUser) -> int | None:
    """Return the department of an active user, None for anyone without one's side to see."""
    if not _active(user):
        return None
    assert isinstance(user, User)
    return user.department_id


def requests_made_q(user: AnyUser) -> Q:
    """Return the filter of the requests the user's department made that the user may see.

    ``requests_visible_q`` narrowed to the requesting department, said without its other
    branches (they cannot add a request the department made): no question about delegations,
    which the lists of one's own requests and the navigation's "returned" badge would ask.
    """
    department_id = _department_of(user)
    if department_id is None:
        return NOTHING
    assert isinstance(user, User)
    return Q(requester_department_id=department_id) & ~Q(_out_of_scope(user))


def requests_received_q(user: AnyUser) -> Q:
    """Return the filter of the requests made to the user's department that the user may see.

    ``requests_visible_q`` narrowed to the providing department: a delegate's branch cannot add
    a request that the department's own branch does not already admit.
    """
    department_id = _department_of(user)
    if department_id is None:
        return NOTHING
    assert isinstance(user, User)
    received = Q(provider_id=department_id)
    if not _is_coordinator(user):
        received &= Q(requester_department_id=department_id) | ~Q(status=RequestStatus.SIGNOFF)
    return received & ~Q(_out_of_scope(user))


def can_view_request(user: AnyUser, request: ShareRequest) -> bool:
    """Return whether the user may see the share request."""
    if not _active(user):
        return False
    assert isinstance(user, User)
    lines = request.lines.select_related("resource")
    if not all(catalog_policies.resource_in_scope(user, line.resource) for line in lines):
        return False
    if _is_coordinator(user) or (
        user.department_id is not None and user.department_id == request.requester_department_id
    ):
        return True
    if request.status == RequestStatus.SIGNOFF:  # not sent to the provider yet
        return False
    return (
        user.department_id is not None and user.department_id == request.provider_id
    ) or _decides_every_line(user, request)


def _decides_every_line(user: User, request: ShareRequest) -> bool:
    return all(
        catalog_policies.can_decide_resource(user, line.resource)
        for line in request.lines.select_related("resource")
    )


def requests_decidable_q(user: AnyUser) -> Q:
    """Return the filter of requests awaiting a decision that the user may take."""
    if not _active(user):
        return NOTHING
    assert isinstance(user, User)
    own = Q(requester_department_id=user.department_id) if user.department_id else NOTHING
    candidates = NOTHING
    if user.department_id is not None and user.has_role(Role.APPROVER):
        candidates = Q(provider_id=user.department_id)
    # Most users hold no delegation: asking first (one indexed query) leaves PostgreSQL a filter
    # it can start from the (provider, status) index, instead of reading every waiting request
    # of the city to test for delegated lines.
    if catalog_policies.has_delegations(user, catalog_policies.DECIDE):
        candidates |= _some_line_delegated(user)
    # The stewardship filter already applies the clearance rule to every line's resource.
    return Q(status=RequestStatus.SUBMITTED) & ~own & candidates & _all_lines_decidable(user)


def can_decide_request(user: AnyUser, request: ShareRequest) -> bool:
    """Return whether the user may approve, reject or ask for changes on the request now."""
    if request.status != RequestStatus.SUBMITTED or not _active(user):
        return False
    assert isinstance(user, User)
    if user.department_id is not None and user.department_id == request.requester_department_id:
        return False
    return _decides_every_line(user, request)


def requests_signoff_q(user: AnyUser) -> Q:
    """Return the filter of outgoing requests awaiting the user's sign-off."""
    if not _active(user):
        return NOTHING
    assert isinstance(user, User)
    if user.department_id is None or not user.has_role(Role.APPROVER):
        return NOTHING
    return Q(status=RequestStatus.SIGNOFF) & requests_made_q(user)


def can_signoff_request(user: AnyUser, request: ShareRequest) -> bool:
    """Return whether the user may sign off (or return) an outgoing request of their department."""
    if request.status != RequestStatus.SIGNOFF or not _active(user):
        return False
    assert isinstance(user, User)
    return (
        user.has_role(Role.APPROVER)
        and user.department_id == request.requester_department_id
        and can_view_request(user, request)
    )


def requests_settleable_q(user: AnyUser) -> Q:
    """Return the filter of requests in coordination that the user may settle."""
    if not _active(user):
        return NOTHING
    assert isinstance(user, User)
    if not _is_coordinator(user):
        return NOTHING
    parties = Q()
    if user.department_id is not None:
        parties = Q(requester_department_id=user.department_id) | Q(provider_id=user.department_id)
    return (
        Q(status=RequestStatus.NEGOTIATION)
        & ~parties
        & ~Q(_above_clearance(user))
        & requests_visible_q(user)
    )


def can_settle_request(user: AnyUser, request: ShareRequest) -> bool:
    """Return whether the user, as coordinator, may settle the request in coordination."""
    if request.status != RequestStatus.NEGOTIATION or not _active(user):
        return False
    assert isinstance(user, User)
    if not _is_coordinator(user):
        return False
    if user.department_id in (request.requester_department_id, request.provider_id):
        return False
    # Settling grants data: the coordinator must be cleared for every resource it names.
    if request.lines.filter(resource__level__gt=user.clearance).exists():
        return False
    return can_view_request(user, request)


def can_act_as_requester(user: AnyUser, request: ShareRequest) -> bool:
    """Return whether the user speaks for the requesting department (edit, withdraw, escalate)."""
    if not _active(user):
        return False
    assert isinstance(user, User)
    return user.department_id == request.requester_department_id and can_view_request(user, request)


# --- grants -----------------------------------------------------------------------------------


def grants_visible_q(user: AnyUser) -> Q:
    """Return the filter of grants the user may see (consumer side, provider side, coordinator)."""
    if not _active(user):
        return NOTHING
    assert isinstance(user, User)
    if _is_coordinator(user):
        parties = Q()
    elif user.department_id is not None:
        # "Given on its resources" by the grant's own copy of the provider, not through the
        # resource: both sides are read from the grant's own indexes and OR-ed as bitmaps;
        # through the join, PostgreSQL walked every grant of the province newest first, testing
        # each grant's resource, to find a small department's first page (566 ms at scale 10).
        parties = Q(department_id=user.department_id) | Q(provider_id=user.department_id)
    else:
        return NOTHING
    return parties & catalog_policies.resources_in_scope_q(user, through="resource")


def grants_held_q(user: AnyUser) -> Q:
    """Return the filter of the grants the user's department holds that the user may see.

    The consumer side of ``grants_visible_q``, said without its other side: a list of the
    department's own grants filtered through both sides' ``OR`` was estimated at a handful of
    rows by PostgreSQL (the ``OR`` repeated in the join), which then joined every one of a large
    consumer's 5,000 grants to its relations before sorting them.
    """
    return _grants_of_side(user, "department_id")


def grants_given_q(user: AnyUser) -> Q:
    """Return the filter of the grants on the user's department's resources the user may see.

    The provider side of ``grants_visible_q``, without the consumer side's ``OR``: through it
    PostgreSQL counted and sorted the largest provider's grants by reading both sides (about
    100 ms at city scale for the list "given on our resources"). By the grant's copy of its
    resource's provider, the list is one range of ``grant_provider_recent``.
    """
    return _grants_of_side(user, "provider_id")


def _grants_of_side(user: AnyUser, field: str) -> Q:
    """Return the grants whose ``field`` (consumer or provider) is the user's department, in scope."""
    department_id = _department_of(user)
    if department_id is None:
        return NOTHING
    return Q(**{field: department_id}) & catalog_policies.resources_in_scope_q(
        user, through="resource"
    )


def can_view_grant(user: AnyUser, grant: Grant) -> bool:
    """Return whether the user may see the grant."""
    if not _active(user):
        return False
    assert isinstance(user, User)
    if not catalog_policies.resource_in_scope(user, grant.resource):
        return False
    if _is_coordinator(user):
        return True
    return user.department_id is not None and user.department_id in (
        grant.department_id,
        grant.resource.provider_id,
    )


def may_revoke_grant(user: AnyUser, grant: Grant) -> bool:
    """Return whether the user is one who revokes the grant, whatever its state.

    The provider's approvers (and delegates) and the coordinator, each only for grants they see;
    the coordinator also needs clearance for the resource's level (seeing it no longer implies it).
    """
    if not can_view_grant(user, grant):
        return False
    assert isinstance(user, User)
    if _is_coordinator(user) and catalog_policies.clearance_covers(user, grant.resource.level):
        return True
    return catalog_policies.can_decide_resource(user, grant.resource)


def can_revoke_grant(user: AnyUser, grant: Grant) -> bool:
    """Return whether the user may revoke the grant now (it is active and theirs to revoke)."""
    return grant.status == Grant.Status.ACTIVE and may_revoke_grant(user, grant)


def can_create_grant(user: AnyUser, resource: Resource) -> bool:
    """Return whether the user may grant a department access to the resource directly.

    The provider's approvers (and delegates) decide on their resources; the coordinator settles
    coordinated requests for any resource within clearance.
    """
    if not _active(user):
        return False
    assert isinstance(user, User)
    return catalog_policies.can_decide_resource(user, resource) or (
        _is_coordinator(user) and catalog_policies.clearance_covers(user, resource.level)
    )


# --- corrections ------------------------------------------------------------------------------


def corrections_visible_q(user: AnyUser) -> Q:
    """Return the filter of corrections the user may see."""
    if not _active(user):
        return NOTHING
    assert isinstance(user, User)
    if _is_coordinator(user):
        parties = Q()
    elif user.department_id is not None:
        parties = Q(department_id=user.department_id) | Q(resource__provider_id=user.department_id)
    else:
        return NOTHING
    return parties & Q(resource__level__lte=user.clearance)


def corrections_answerable_q(user: AnyUser) -> Q:
    """Return the filter of open corrections the user may answer for the provider.

    The list form of ``can_answer_correction``: visible, open, and a resource the user may
    change or decide on.
    """
    if not _active(user):
        return NOTHING
    stewarded = catalog_policies.resources_stewarded_q(
        user, catalog_policies.CHANGE, through="resource"
    ) | catalog_policies.resources_stewarded_q(user, catalog_policies.DECIDE, through="resource")
    return corrections_visible_q(user) & Q(status=Correction.Status.OPEN) & stewarded


def can_view_correction(user: AnyUser, correction: Correction) -> bool:
    """Return whether the user may see the correction."""
    if not _active(user):
        return False
    assert isinstance(user, User)
    if correction.resource.level > user.clearance:
        return False
    if _is_coordinator(user):
        return True
    return user.department_id is not None and user.department_id in (
        correction.department_id,
        correction.resource.provider_id,
    )


def can_file_correction(
    user: AnyUser, resource: Resource, *, decision: DataRead | None = None
) -> bool:
    """Return whether the user may report wrong data in the resource: whoever can read it.

    ``decision`` is ``data_read(user, resource)`` if the caller has taken it already.
    """
    if not _active(user):
        return False
    assert isinstance(user, User)
    if user.department_id is None:
        return False
    # A correction may quote values: its filer, like its readers, is cleared for the level.
    if resource.level > user.clearance:
        return False
    return (decision or data_read(user, resource)).allowed


def can_file_conflict_correction(user: AnyUser, resource: Resource) -> bool:
    """Return whether the user may send a value conflict found by a comparison to the resource.

    For the owner of the authoritative side of an item link (``accountability.policies`` decides
    that): it holds the same data, so it needs no grant to report the resource's value wrong;
    like every filer it is cleared for the resource's level and sees its catalog entry.
    """
    if not _active(user):
        return False
    assert isinstance(user, User)
    if user.department_id is None or resource.level > user.clearance:
        return False
    return catalog_policies.can_view_resource(user, resource)


def can_answer_correction(user: AnyUser, correction: Correction) -> bool:
    """Return whether the user may answer the correction for the provider."""
    if correction.status != Correction.Status.OPEN or not can_view_correction(user, correction):
        return False
    return catalog_policies.can_change_resource(
        user, correction.resource
    ) or catalog_policies.can_decide_resource(user, correction.resource)


# --- data items and notices ---------------------------------------------------------------------


def item_within_clearance(user: User, item: DataItem) -> bool:
    """Return whether the item's level is within the user's clearance (names it may be shown)."""
    return item.level <= user.clearance


def items_nameable_by(user: User, resource: Resource) -> QuerySet[DataItem]:
    """Return the resource's data items the user may name in a request.

    Every item of an entry the user sees, above the user's clearance too: the department asks,
    and only its users cleared for an item's level ever receive it (``readable_items_q``).
    """
    return resource.items.filter(catalog_policies.items_visible_q(user))


def items_correctable_by(user: User, resource: Resource) -> QuerySet[DataItem]:
    """Return the resource's data items the user may file a correction on (within clearance)."""
    return resource.items.filter(catalog_policies.items_within_q(user.clearance))


def naming_level(resource: Resource) -> int:
    """Return the lowest clearance a department's user needs to be told the resource's name.

    An entry every department sees (catalog scope ``departments``) may be named to any of them;
    a limited entry only to users cleared for its level (its provider's users see it anyway).
    """
    if resource.catalog_scope == CatalogScope.DEPARTMENTS:
        return Level.L1
    return resource.level


def may_be_told(user: User, level: int) -> bool:
    """Return whether a notice that names an object of ``level`` may reach the user.

    Even a resource's name is invisible above one's clearance, so an active user below the
    level gets nothing.
    """
    return user.is_active and user.clearance >= level


def can_follow_resource(user: AnyUser, resource: Resource) -> bool:
    """Return whether the user may follow the resource: whoever sees its catalog entry."""
    return catalog_policies.can_view_resource(user, resource)


def may_hear_of_resource(user: AnyUser, resource: Resource) -> bool:
    """Return whether a notice of the resource's change or retirement may reach the user.

    Only someone who may still see the entry: the catalog's visibility rule on the resource as
    it now is. A retired entry is seen by its provider alone, yet its consumers must learn of
    the retirement: for a retired resource the scope rule alone decides, as it does for the
    grants and requests on it (``catalog.policies.resources_in_scope_q``).
    """
    if resource.status == Resource.Status.RETIRED:
        return catalog_policies.resource_in_scope(user, resource)
    return catalog_policies.can_view_resource(user, resource)


def may_request(user: AnyUser) -> bool:
    """Return whether the user may fill a request basket: active staff of a department.

    Whether one resource may be asked for is the service's question (``resource_problem``).
    """
    return _active(user) and isinstance(user, User) and user.department_id is not None


def may_open_inbox(user: AnyUser) -> bool:
    """Return whether the user has a queue of requests to decide (approvers)."""
    return _active(user) and isinstance(user, User) and user.has_role(Role.APPROVER)


def may_settle_requests(user: AnyUser) -> bool:
    """Return whether the user settles coordinated requests (the platform coordinator)."""
    return _active(user) and isinstance(user, User) and _is_coordinator(user)


# --- the queues a user has (the home page's "My work") ------------------------------------------
#
# Whether the user has such a queue at all, empty or not: the home page shows the queues a user
# has and only those. What is in each queue is the selector's question, on the filters above.


def has_decision_queue(user: AnyUser) -> bool:
    """Return whether requests may await the user's decision: approvers, and decision delegates."""
    if not _active(user):
        return False
    assert isinstance(user, User)
    return user.has_role(Role.APPROVER) or catalog_policies.has_delegations(
        user, catalog_policies.DECIDE
    )


def has_signoff_queue(user: AnyUser) -> bool:
    """Return whether outgoing requests may await the user's sign-off.

    The approvers of a department that signs off its requests before they leave it.
    """
    if not _active(user):
        return False
    assert isinstance(user, User)
    return (
        user.department_id is not None
        and user.has_role(Role.APPROVER)
        and user.department is not None
        and user.department.requires_outgoing_signoff
    )


def has_corrections_queue(user: AnyUser) -> bool:
    """Return whether corrections may await the user's answer: who changes or decides resources.

    A department's editors and approvers, and per-object delegates.
    """
    if not _active(user):
        return False
    assert isinstance(user, User)
    if user.department_id is not None and user.has_role(Role.EDITOR, Role.APPROVER):
        return True
    return catalog_policies.has_delegations(user, catalog_policies.CHANGE, catalog_policies.DECIDE)


def has_department_grants(user: AnyUser) -> bool:
    """Return whether the user sees grants of a department (as holder or provider): its staff."""
    return _active(user) and isinstance(user, User) and user.department_id is not None


def has_notifications(user: AnyUser) -> bool:
    """Return whether the user has a notification inbox: every active user."""
    return _active(user)
