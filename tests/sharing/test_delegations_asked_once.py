"""Whether a user holds delegations is asked once per request, and a delegation is seen at once.

``catalog.policies.has_delegations`` keeps its answer (for change and for decision, one query)
on the user instance, which a request loads for itself: the filters of one page that ask (the
request policy, the navigation's badges, My work) ask the database once. A delegation given
or taken back through ``resource_delegate`` is seen by the same instance at once.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from catalog import policies as catalog_policies
from catalog import services as catalog_services
from sharing import policies
from sharing.models import ShareRequest

from .. import builders

pytestmark = pytest.mark.django_db

# The query that answers both questions: the codenames of the user's delegations.
ASKED = 'SELECT DISTINCT "auth_permission"."codename"'
USERS = ["cons_delegate_3", "prov_editor_4", "prov_approver_4", "cons_staff_4", "coordinator_4"]


def _asked(queries) -> int:
    return sum(ASKED in query["sql"] for query in queries)


@pytest.mark.parametrize("user_key", USERS)
def test_a_page_and_an_api_list_ask_about_delegations_at_most_once(client, world, user_key):
    user = world.user(user_key)
    client.force_login(user)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {builders.api_key(user, scopes=('read',))}")
    client.get(reverse("home"))  # the first page after signing in does more (the session)
    for get, url in (
        (client.get, reverse("home")),
        (client.get, reverse("sharing:inbox")),
        (client.get, reverse("sharing:request_list")),
        (api.get, "/api/v1/share-requests/"),
    ):
        with CaptureQueriesContext(connection) as queries:
            assert get(url).status_code == 200, url
        assert _asked(queries.captured_queries) <= 1, (user_key, url)
    # A department's member is asked by the request policy of the API's list; once.
    if user_key != "coordinator_4":
        with CaptureQueriesContext(connection) as queries:
            api.get("/api/v1/share-requests/")
        assert _asked(queries.captured_queries) == 1, user_key


def _visible(user) -> set[int]:
    return set(
        ShareRequest.objects.filter(policies.requests_visible_q(user)).values_list("pk", flat=True)
    )


def test_a_delegation_given_or_taken_back_is_seen_by_the_same_user_at_once(world):
    """The delegate of the decision on pub_cond_2 sees the other department's request for it;
    their department's colleague does not; taking the delegation back hides it from the very
    instance that saw it, and giving it again shows it."""
    delegate = world.user("cons_delegate_3")
    colleague = world.user("cons_staff_3")
    admin = world.user("prov_admin_3")
    resource = world.matrix.resources["pub_cond_2"]
    request = world.requests["r_other_2"]
    assert catalog_policies.has_delegations(delegate, catalog_policies.DECIDE)
    assert request.pk in _visible(delegate)
    assert request.pk not in _visible(colleague)
    assert not catalog_policies.has_delegations(colleague, catalog_policies.DECIDE)
    catalog_services.resource_delegate(
        actor=admin, resource=resource, user=delegate, codename=catalog_policies.DECIDE, revoke=True
    )
    assert not catalog_policies.has_delegations(delegate, catalog_policies.DECIDE)
    # Still a delegate for change (pub_cond_1): asked for either, the answer is yes.
    assert catalog_policies.has_delegations(
        delegate, catalog_policies.CHANGE, catalog_policies.DECIDE
    )
    assert request.pk not in _visible(delegate)
    catalog_services.resource_delegate(
        actor=admin, resource=resource, user=colleague, codename=catalog_policies.DECIDE
    )
    assert catalog_policies.has_delegations(colleague, catalog_policies.DECIDE)
    assert request.pk in _visible(colleague)


def test_the_answer_is_kept_on_the_instance_not_for_the_user(world, django_assert_num_queries):
    """Another instance of the same user (the next request's) asks again."""
    delegate = world.user("cons_delegate_3")
    delegate.roles  # noqa: B018 -- loaded with the user on a page
    with django_assert_num_queries(1):
        assert catalog_policies.has_delegations(delegate, catalog_policies.DECIDE)
    with django_assert_num_queries(0):
        assert catalog_policies.has_delegations(delegate, catalog_policies.CHANGE)
        policies.requests_visible_q(delegate)
    again = world.user("cons_delegate_3")
    with django_assert_num_queries(1):
        assert catalog_policies.has_delegations(again, catalog_policies.DECIDE)
