"""Pages, services and policies that decide the same thing decide it the same way.

Each case here once disagreed: a plain staff user of the provider saw "who read our data" on the
resource page while the audit page refused them; a coordinator below a resource's level could
revoke a grant through the service that the grant policy (and page) said they could not.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse

from accounts.models import Level, Role
from audit import policies as audit_policies
from catalog.models import Resource
from catalog.policies import resources_shared_q, resources_visible_q
from sharing import policies as sharing_policies
from sharing import services as sharing_services
from sharing.models import Grant

from . import builders

pytestmark = pytest.mark.django_db

READERS = [
    "prov_staff_4",
    "prov_editor_4",
    "prov_approver_4",
    "prov_admin_3",
    "cons_staff_3",
    "cons_approver_4",
    "coordinator_4",
    "auditor_2",
]


@pytest.mark.parametrize("user_key", READERS)
def test_who_read_our_data_is_one_rule_on_both_pages(client, matrix, user_key):
    user = matrix.users[user_key]
    resource = matrix.resources["pub_cond_3"]
    spec = matrix.user_specs[user_key]
    # The documented rule: the provider department's approvers and department administrators.
    steward = bool({Role.APPROVER, Role.DEPARTMENT_ADMIN} & set(spec.roles))
    expected = spec.department == "prov" and steward
    assert audit_policies.can_see_reads_of_department(user, resource.provider_id) is expected
    client.force_login(user)
    resource_page = client.get(reverse("datasets:data_reads", args=[resource.pk]))
    audit_page = client.get(reverse("audit:data_reads"))
    assert resource_page.status_code == (200 if expected else 404), user_key
    # The audit page shows each approver or administrator their own department's reads.
    assert audit_page.status_code == (200 if steward else 403), user_key
    detail = client.get(reverse("catalog:resource_detail", args=[resource.pk])).content.decode()
    assert (reverse("datasets:data_reads", args=[resource.pk]) in detail) is expected, user_key


def _revoked_by_service(user, grant: Grant) -> bool:
    try:
        with transaction.atomic():
            sharing_services.grant_revoke(actor=user, grant=grant, reason="不再需要")
            transaction.set_rollback(True)
    except PermissionDenied:
        return False
    return True


def test_revoking_a_grant_is_one_rule_in_the_policy_and_the_service(matrix):
    grants = list(Grant.objects.filter(status=Grant.Status.ACTIVE).select_related("resource"))
    low_coordinator = builders.user(
        matrix.departments["coord"], clearance=Level.L2, roles=(Role.STAFF, Role.COORDINATOR)
    )
    users = [*(matrix.users[k] for k in READERS), low_coordinator]
    checked = 0
    for user in users:
        for grant in grants:
            expected = sharing_policies.can_revoke_grant(user, grant)
            assert _revoked_by_service(user, grant) is expected, (user.username, grant.resource)
            checked += 1
    assert checked >= 3 * len(users)
    # The case that disagreed: a coordinator below the resource's level.
    high = next(g for g in grants if g.resource.level > Level.L2)
    assert not sharing_policies.can_revoke_grant(low_coordinator, high)
    with pytest.raises(PermissionDenied):
        sharing_services.grant_revoke(actor=low_coordinator, grant=high, reason="x")
    high.refresh_from_db()
    assert high.status == Grant.Status.ACTIVE


@pytest.mark.parametrize("user_key", [*READERS, "nodept_4"])
def test_the_grants_a_department_holds_are_its_side_of_the_visible_grants(matrix, user_key):
    """``grants_held_q`` is ``grants_visible_q`` narrowed to the department's own grants, and
    agrees with ``can_view_grant`` grant by grant (the list of "our grants" uses it)."""
    from sharing import selectors as sharing_selectors

    user = matrix.users.get(user_key) or pytest.skip(f"no {user_key} in the matrix")
    grants = list(Grant.objects.select_related("resource"))
    expected = {
        g.pk
        for g in grants
        if sharing_policies.can_view_grant(user, g) and g.department_id == user.department_id
    }
    if user_key.startswith("cons_"):  # the consumer holds grants: the case is not vacuous
        assert expected
    held = set(
        Grant.objects.filter(sharing_policies.grants_held_q(user)).values_list("pk", flat=True)
    )
    visible = Grant.objects.filter(sharing_policies.grants_visible_q(user))
    assert held == expected
    assert held == set(
        visible.filter(department_id=user.department_id).values_list("pk", flat=True)
    )
    listed = {g.pk for g in sharing_selectors.grants_as_consumer(user=user)}
    assert listed == expected


@pytest.mark.parametrize("user_key", [*READERS, "nodept_4"])
def test_the_grants_given_on_a_departments_resources_are_its_side_of_the_visible_grants(
    matrix, user_key
):
    """``grants_given_q`` is ``grants_visible_q`` narrowed to grants on the department's own
    resources, and agrees with ``can_view_grant`` grant by grant (the list "given on our
    resources" uses it)."""
    from sharing import selectors as sharing_selectors

    user = matrix.users.get(user_key) or pytest.skip(f"no {user_key} in the matrix")
    grants = list(Grant.objects.select_related("resource"))
    expected = {
        g.pk
        for g in grants
        if sharing_policies.can_view_grant(user, g) and g.resource.provider_id == user.department_id
    }
    if user_key.startswith("prov_"):  # the provider gave grants: the case is not vacuous
        assert expected
    given = set(
        Grant.objects.filter(sharing_policies.grants_given_q(user)).values_list("pk", flat=True)
    )
    visible = Grant.objects.filter(sharing_policies.grants_visible_q(user))
    assert given == expected
    assert given == set(
        visible.filter(resource__provider_id=user.department_id).values_list("pk", flat=True)
    )
    listed = {g.pk for g in sharing_selectors.grants_as_provider(user=user)}
    assert listed == expected


GRANT_LISTERS = [
    *READERS,
    "cons_staff_1",
    "cons_staff_4",
    "cons_delegate_3",
    "other_staff_3",
    "prov_staff_1",
    "nodept_4",
]


def _listed_grants(user, query: str) -> set[int]:
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {builders.api_key(user, scopes=('read',))}")
    response = client.get(f"/api/v1/grants/?page_size=200&{query}")
    assert response.status_code == 200, response.content
    assert response.json()["next"] is None
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.parametrize("user_key", GRANT_LISTERS)
def test_the_api_s_grants_of_a_department_are_the_visible_grants_it_holds(
    matrix, user_key, monkeypatch
):
    """``GET /api/v1/grants/?department=<id>`` lists the visible grants that department holds.

    For the caller's own department the list is read through ``grants_held_q`` alone (the
    consumer side, as the web list of "our grants"); for any other department through the
    whole ``grants_visible_q``. Both agree with ``can_view_grant`` grant by grant, so a grant
    on an entry outside the caller's catalog scope stays out of either."""
    from sharing import selectors as sharing_selectors

    user = matrix.users[user_key]
    grants = list(Grant.objects.select_related("resource"))
    asked = []
    whole_policy = sharing_selectors.policies.grants_visible_q

    def spied(who):
        asked.append(who)
        return whole_policy(who)

    monkeypatch.setattr(sharing_selectors.policies, "grants_visible_q", spied)
    for department in matrix.departments.values():
        expected = {
            g.pk
            for g in grants
            if sharing_policies.can_view_grant(user, g) and g.department_id == department.pk
        }
        visible = Grant.objects.filter(whole_policy(user), department_id=department.pk)
        assert expected == set(visible.values_list("pk", flat=True)), (user_key, department)
        asked.clear()
        assert _listed_grants(user, f"department={department.pk}") == expected, (
            user_key,
            department.name,
        )
        own = department.pk == user.department_id
        # Its own department's: only the consumer side is built; another's: the whole policy.
        assert bool(asked) is not own, (user_key, department.name, asked)
    if user_key in ("cons_staff_1", "cons_staff_3", "cons_staff_4"):
        cons = matrix.departments["cons"].pk
        held = _listed_grants(user, f"department={cons}")
        assert held  # the consumer holds grants: the case is not vacuous
        # Never a grant on an entry scoped to the provider; on a cleared entry only from L3.
        scoped = Grant.objects.filter(resource=matrix.resources["provider_cond_2"])
        cleared = Grant.objects.filter(resource=matrix.resources["cleared_cond_3"])
        assert not held & set(scoped.values_list("pk", flat=True))
        assert bool(held & set(cleared.values_list("pk", flat=True))) is (user.clearance >= 3)
    # Another spelling of the own department's id is the same list, through the whole policy.
    if user.department_id is not None:
        assert _listed_grants(user, f"department=0{user.department_id}") == _listed_grants(
            user, f"department={user.department_id}"
        )


def test_what_a_user_sees_is_the_shared_part_and_the_department_s_own(matrix):
    # The identity the unfiltered facets rest on (policies.resources_shared_q), for every user
    # of the access matrix, drafts, submitted and retired entries included.
    for key, user in matrix.users.items():
        visible = set(
            Resource.objects.filter(resources_visible_q(user)).values_list("pk", flat=True)
        )
        shared = set(Resource.objects.filter(resources_shared_q(user)).values_list("pk", flat=True))
        own = set(
            Resource.objects.filter(provider_id=user.department_id).values_list("pk", flat=True)
            if user.department_id is not None and user.is_active
            else []
        )
        assert visible == shared | own, key
    # Not vacuous: an inactive user sees nothing; some users see entries of their own only.
    assert any(
        set(Resource.objects.filter(resources_visible_q(u)).values_list("pk", flat=True))
        - set(Resource.objects.filter(resources_shared_q(u)).values_list("pk", flat=True))
        for u in matrix.users.values()
    )
