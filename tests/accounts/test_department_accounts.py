"""A department administrator's account pages, against the access matrix.

prov_admin_3 administers the provider department: they list, create, deactivate and hand out
the department roles there; other departments' accounts do not exist for them (404); admin
roles and clearances stay out of their reach.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext

from accounts import services
from accounts.models import Role, RoleAssignment, User
from audit.models import AuditEvent

from .. import builders

pytestmark = pytest.mark.django_db

ADMIN = "prov_admin_3"
NOT_ADMINS = ("prov_staff_4", "prov_editor_4", "cons_staff_4", "coordinator_4", "auditor_2")


@pytest.fixture
def admin_client(client, matrix):
    client.force_login(matrix.users[ADMIN])
    return client


def _state(user: User) -> tuple:
    user.refresh_from_db()
    return (
        user.is_active,
        user.clearance,
        frozenset(user.role_assignments.values_list("role", flat=True)),
    )


def test_the_list_shows_exactly_the_own_departments_accounts(admin_client, matrix):
    response = admin_client.get(reverse("accounts:member_list"))
    assert response.status_code == 200
    listed = {u.username for u in response.context["page_obj"]}
    prov = {k for k, s in matrix.user_specs.items() if s.department == "prov"}
    assert listed == prov
    assert response.context["page_obj"].paginator.count == len(prov)
    body = response.content.decode()
    for key, spec in matrix.user_specs.items():
        if spec.department != "prov":
            assert f">{key}<" not in body


@pytest.mark.parametrize("key", NOT_ADMINS)
def test_only_department_administrators_reach_the_pages(client, matrix, key):
    client.force_login(matrix.users[key])
    assert client.get(reverse("accounts:member_list")).status_code == 403
    assert client.get(reverse("accounts:member_create")).status_code == 403
    target = matrix.users["prov_staff_1"]
    before = _state(target)
    response = client.post(reverse("accounts:member_set_active", args=[target.pk]), {"active": "0"})
    assert response.status_code == 403
    assert _state(target) == before


def test_the_nav_link_is_for_department_administrators(client, matrix):
    url = reverse("accounts:member_list")
    client.force_login(matrix.users[ADMIN])
    assert url in client.get(reverse("home")).content.decode()
    client.force_login(matrix.users["prov_staff_4"])
    assert url not in client.get(reverse("home")).content.decode()


def test_create_puts_a_staff_account_at_l1_into_the_own_department(admin_client, matrix):
    response = admin_client.post(
        reverse("accounts:member_create"),
        {"username": "prov_new", "full_name": "新人", "email": "", "password": builders.PASSWORD},
    )
    created = User.objects.get(username="prov_new")
    assert response.status_code == 302
    assert created.department == matrix.departments["prov"]
    assert created.clearance == 1
    assert created.roles == {Role.STAFF}


def test_create_with_bad_input_says_why_and_changes_nothing(admin_client):
    count = User.objects.count()
    response = admin_client.post(
        reverse("accounts:member_create"), {"username": "prov_weak", "password": "123"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["password"]
    assert User.objects.count() == count


def test_deactivate_and_reactivate_an_own_department_account(admin_client, matrix):
    target = matrix.users["prov_editor_2"]
    url = reverse("accounts:member_set_active", args=[target.pk])
    admin_client.post(url, {"active": "0"})
    target.refresh_from_db()
    assert not target.is_active
    assert AuditEvent.objects.filter(action="user.deactivate", object_id=str(target.pk)).exists()
    admin_client.post(url, {"active": "1"})
    target.refresh_from_db()
    assert target.is_active


@pytest.mark.parametrize("role", [Role.EDITOR, Role.APPROVER])
def test_grant_and_revoke_department_roles(admin_client, matrix, role):
    target = matrix.users["prov_staff_1"]
    url = reverse("accounts:member_role_change", args=[target.pk])
    admin_client.post(url, {"role": role})
    assert RoleAssignment.objects.filter(user=target, role=role).exists()
    admin_client.post(url, {"role": role, "revoke": "1"})
    assert not RoleAssignment.objects.filter(user=target, role=role).exists()


@pytest.mark.parametrize(
    "role", [Role.DEPARTMENT_ADMIN, Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.COORDINATOR]
)
def test_admin_roles_cannot_be_granted(admin_client, matrix, role):
    target = matrix.users["prov_staff_1"]
    before = _state(target)
    response = admin_client.post(
        reverse("accounts:member_role_change", args=[target.pk]), {"role": role}, follow=True
    )
    assert _state(target) == before
    # The form offers only the department roles, and says so.
    errors = [m.message for m in response.context["messages"] if m.level_tag == "error"]
    assert errors == [gettext("Choose one of the department roles: staff, editor, approver.")]


def test_clearance_and_the_system_pages_stay_out_of_reach(admin_client, matrix):
    target = matrix.users["prov_staff_1"]
    before = _state(target)
    for name, data in (
        ("accounts:user_clearance_change", {"clearance": "3"}),
        ("accounts:user_role_change", {"role": Role.APPROVER}),
        ("accounts:user_set_active", {"active": "0"}),
    ):
        response = admin_client.post(reverse(name, args=[target.pk]), data)
        assert response.status_code == 403
    assert _state(target) == before


def test_accounts_holding_other_roles_are_not_managed_here(admin_client, matrix):
    builders_user = builders.user(matrix.departments["prov"], roles=(Role.STAFF, Role.COORDINATOR))
    before = _state(builders_user)
    page = admin_client.get(reverse("accounts:member_detail", args=[builders_user.pk]))
    assert (
        reverse("accounts:member_set_active", args=[builders_user.pk]) not in page.content.decode()
    )
    response = admin_client.post(
        reverse("accounts:member_set_active", args=[builders_user.pk]), {"active": "0"}, follow=True
    )
    assert _state(builders_user) == before
    assert response.status_code == 200


def test_nobody_changes_their_own_account(admin_client, matrix):
    me = matrix.users[ADMIN]
    before = _state(me)
    admin_client.post(reverse("accounts:member_set_active", args=[me.pk]), {"active": "0"})
    admin_client.post(reverse("accounts:member_role_change", args=[me.pk]), {"role": Role.EDITOR})
    assert _state(me) == before


@pytest.mark.parametrize("key", ["cons_staff_1", "other_editor_3", "coordinator_4", "nodept_4"])
def test_other_departments_accounts_do_not_exist(admin_client, matrix, key):
    target = matrix.users[key]
    before = _state(target)
    assert admin_client.get(reverse("accounts:member_detail", args=[target.pk])).status_code == 404
    for name, data in (
        ("accounts:member_set_active", {"active": "0"}),
        ("accounts:member_role_change", {"role": Role.EDITOR}),
        ("accounts:member_role_change", {"role": Role.STAFF, "revoke": "1"}),
    ):
        assert admin_client.post(reverse(name, args=[target.pk]), data).status_code == 404
    assert _state(target) == before


def test_the_list_query_count_does_not_grow_with_accounts(
    admin_client, matrix, django_assert_max_num_queries
):
    url = reverse("accounts:member_list")
    with django_assert_max_num_queries(12) as few:
        admin_client.get(url)
    for _ in range(15):
        builders.user(matrix.departments["prov"], roles=(Role.STAFF, Role.EDITOR))
    with django_assert_max_num_queries(len(few.captured_queries)):
        admin_client.get(url)


@pytest.mark.parametrize("revoke", [False, True])
@pytest.mark.parametrize("role", [Role.STAFF, Role.EDITOR])
@pytest.mark.parametrize("key", ["cons_staff_1", "nodept_4"])
def test_roles_of_another_departments_account_are_refused_by_the_service(matrix, key, role, revoke):
    # The pages above find no such account; the service itself refuses as well, staff included.
    admin = User.objects.get(pk=matrix.users[ADMIN].pk)
    target = matrix.users[key]
    if revoke:
        RoleAssignment.objects.get_or_create(user=target, role=role)
    before = _state(target)
    events = AuditEvent.objects.count()
    act = services.role_revoke if revoke else services.role_assign
    with pytest.raises(PermissionDenied) as refused:
        act(actor=admin, user=target, role=role)
    assert str(refused.value) == gettext(
        "A department administrator manages the accounts of their own department only."
    )
    assert _state(target) == before
    assert AuditEvent.objects.count() == events


def test_the_staff_role_stays_grantable_at_home(matrix):
    admin = User.objects.get(pk=matrix.users[ADMIN].pk)
    member = builders.user(matrix.departments["prov"], roles=())
    services.role_assign(actor=admin, user=member, role=Role.STAFF)
    assert _state(member)[2] == {Role.STAFF}
