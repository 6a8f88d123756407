"""The work waiting for each user is counted in the navigation, and the basket is one click away.

Counts per role (and none for who has no such queue), the badge of each queue agreeing with its
page, the editor told when review sends a resource back, one POST to add to the basket from the
catalog, nothing pre-ticked in the basket, and the queries the badges cost.
"""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from catalog import services as catalog_services
from catalog.models import Resource
from portal.context_processors import navigation
from sharing import selectors, services
from sharing.models import BasketEntry, Notification, RequestStatus

pytestmark = pytest.mark.django_db


def _badges(client, user) -> dict[str, int | None]:
    """Return URL -> badge of the user's navigation (every visible link, badge or not)."""
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return {item.url: item.count for item in response.context["nav_items"]}


INBOX = reverse("sharing:inbox")
NEGOTIATIONS = reverse("sharing:negotiation_list")
REQUESTS = reverse("sharing:request_list")
CORRECTIONS = reverse("sharing:correction_list")
BASKET = reverse("sharing:basket")
MINE = reverse("catalog:resource_mine")
REVIEW = reverse("catalog:resource_review_queue")


def test_the_approver_sees_the_inbox_count_and_it_matches_the_inbox(client, world):
    approver = world.user("prov_approver_4")
    badges = _badges(client, approver)
    page = client.get(INBOX)
    assert badges[INBOX] == len(page.context["rows"]) == 3
    # The menu holding the inbox adds up its badges.
    response = client.get(reverse("home"))
    work = next(m for m in response.context["nav_menus"] if any(i.url == INBOX for i in m.items))
    assert work.count == sum(i.count or 0 for i in work.items) >= 3
    assert "data-nav-count" in response.content.decode()


def test_who_has_no_queue_sees_neither_the_link_nor_a_count(client, world):
    staff = _badges(client, world.user("cons_staff_3"))
    assert INBOX not in staff and NEGOTIATIONS not in staff and REVIEW not in staff
    assert not staff[REQUESTS]  # nothing returned yet
    nodept = _badges(client, world.user("nodept_4"))
    assert BASKET not in nodept and REQUESTS not in nodept and CORRECTIONS not in nodept
    # The provider's approver has nothing to sign off for the requester's side.
    assert not _badges(client, world.user("cons_approver_4"))[INBOX]


def test_a_request_returned_for_changes_is_counted_for_the_requesting_department(client, world):
    request = world.requests["r_cons_1"]
    services.share_request_decide(
        actor=world.user("prov_approver_4"),
        request=request,
        decision="changes",
        reason="请补充使用场景",
    )
    assert _badges(client, world.user("cons_staff_3"))[REQUESTS] == 1
    assert _badges(client, world.user("cons_staff_4"))[REQUESTS] == 1
    assert not _badges(client, world.user("other_staff_3"))[REQUESTS]
    # The approver's inbox lost it.
    assert _badges(client, world.user("prov_approver_4"))[INBOX] == 2


def test_the_coordinator_counts_negotiations_and_resources_to_review(client, world):
    request = world.requests["r_other_2"]
    services.share_request_decide(
        actor=world.user("prov_approver_4"), request=request, decision="reject", reason="不予共享"
    )
    services.share_request_escalate(
        actor=world.user("other_staff_3"), request=request, reason="请平台协调"
    )
    request.refresh_from_db()
    assert request.status == RequestStatus.NEGOTIATION
    coordinator = world.user("coordinator_4")
    badges = _badges(client, coordinator)
    assert badges[NEGOTIATIONS] == 1
    review = client.get(REVIEW)
    assert badges[REVIEW] == len(review.context["page_obj"].object_list) >= 1


def test_corrections_to_answer_are_counted_for_the_provider_only(client, world):
    resource = world.matrix.resources["pub_cond_3"]  # the consumer holds a grant in force
    services.correction_file(
        actor=world.user("cons_staff_3"), resource=resource, description="电话号码有误"
    )
    assert _badges(client, world.user("prov_editor_4"))[CORRECTIONS] == 1
    assert _badges(client, world.user("prov_approver_4"))[CORRECTIONS] == 1
    assert not _badges(client, world.user("prov_staff_4"))[CORRECTIONS]
    assert not _badges(client, world.user("cons_staff_3"))[CORRECTIONS]


def test_the_editor_is_told_when_review_sends_a_resource_back(client, world):
    resource = world.matrix.resources["submitted_2"]
    editor = world.user("prov_editor_4")
    assert not _badges(client, editor)[MINE]
    mail.outbox.clear()
    catalog_services.resource_return(
        actor=world.user("coordinator_4"), resource=resource, comment="请补充数据项说明"
    )
    notice = Notification.objects.get(recipient=editor, kind=Notification.Kind.RESOURCE_RETURNED)
    assert "请补充数据项说明" in notice.text and resource.name in notice.text
    assert notice.url == reverse("catalog:resource_detail", args=[resource.pk])
    assert Notification.objects.filter(
        recipient=world.user("prov_editor_2"), kind=Notification.Kind.RESOURCE_RETURNED
    ).exists()
    # Nobody outside the provider's editors hears of it, nor below the resource's level.
    told = set(
        Notification.objects.filter(kind=Notification.Kind.RESOURCE_RETURNED).values_list(
            "recipient__username", flat=True
        )
    )
    assert told == {editor.username, world.user("prov_editor_2").username}
    assert _badges(client, editor)[MINE] == 1
    # Submitted again, it is no longer "sent back".
    catalog_services.resource_submit(actor=editor, resource=Resource.objects.get(pk=resource.pk))
    assert not _badges(client, editor)[MINE]


def test_add_to_basket_from_the_results_is_one_post_and_comes_back(client, world):
    user = world.user("cons_staff_3")
    resource = world.matrix.resources["pub_cond_2"]  # the grant expired: ask again
    client.force_login(user)
    results = client.get(reverse("catalog:resource_list"), {"q": resource.name})
    html = results.content.decode()
    assert reverse("sharing:basket_add") in html and "data-basket-add" in html
    back = reverse("catalog:resource_list") + "?share_type=conditional"
    response = client.post(
        reverse("sharing:basket_add"), {"resource_id": resource.pk, "next": back}
    )
    assert response.status_code == 302 and response.url == back
    assert BasketEntry.objects.filter(user=user, resource=resource).exists()
    assert _badges(client, user)[BASKET] == 1
    # A foreign "next" is ignored: the basket instead.
    response = client.post(
        reverse("sharing:basket_add"),
        {"resource_id": resource.pk, "next": "https://evil.example/"},
    )
    assert response.url == BASKET


def test_the_button_is_not_offered_where_no_request_is_needed(client, world):
    client.force_login(world.user("prov_staff_4"))  # every result is the own department's
    html = client.get(
        reverse("catalog:resource_list"), {"provider": world.matrix.departments["prov"].pk}
    ).content.decode()
    assert "data-basket-add" not in html


def test_a_user_without_department_is_refused_with_a_reason(client, world):
    client.force_login(world.user("nodept_4"))
    response = client.post(
        reverse("sharing:basket_add"),
        {"resource_id": world.matrix.resources["pub_cond_1"].pk},
        follow=True,
    )
    assert not BasketEntry.objects.exists()
    assert any("department" in str(m) or "部门" in str(m) for m in response.context["messages"])


def test_the_resource_page_adds_to_the_basket_in_one_click(client, world):
    user = world.user("cons_staff_3")
    resource = world.matrix.resources["pub_cond_2"]
    client.force_login(user)
    detail = reverse("catalog:resource_detail", args=[resource.pk])
    html = client.get(detail).content.decode()
    assert 'id="add-to-basket"' in html and "csrfmiddlewaretoken" in html
    response = client.post(
        reverse("sharing:basket_add"), {"resource_id": resource.pk, "next": detail}
    )
    assert response.url == detail
    html = client.get(detail).content.decode()
    assert 'id="open-basket"' in html and 'id="add-to-basket"' not in html


def test_nothing_is_ticked_in_the_basket_until_the_user_chooses(client, world):
    user = world.user("cons_staff_4")
    resource = world.matrix.resources["pub_cond_2"]
    services.basket_add(actor=user, resource=resource)
    client.force_login(user)
    response = client.get(BASKET)
    form = response.context["form"]
    (field,) = form.item_fields()
    assert field.field.choices  # there are items to choose
    assert not field.value()
    html = response.content.decode()
    assert f'data-select-all="{field.html_name}"' in html
    assert "checked" not in str(field)
    assert html.count(f'name="{field.html_name}"') == len(field.field.choices)


def test_the_badges_cost_one_query(world, django_assert_num_queries):
    """The sharing badges come from one query; the inbox filter first asks (one indexed query)
    whether any resource is delegated to the user."""
    without_inbox = [q for q in selectors.WORK_QUEUES if q != "inbox"]
    for key in ("cons_staff_3", "prov_editor_4", "coordinator_4", "prov_approver_4"):
        user = world.user(key)
        user.roles  # noqa: B018 -- the role list is loaded with the user on a page
        with django_assert_num_queries(1):
            counts = selectors.work_counts(user=user, queues=without_inbox)
        assert set(counts) == set(without_inbox)
        with django_assert_num_queries(2):
            counts = selectors.work_counts(user=user)
        assert set(counts) == set(selectors.WORK_QUEUES)


def test_the_navigation_queries_are_pinned(world, rf, django_assert_num_queries):
    """The navigation of an approver: the inbox filter's delegation check, then the badges."""
    user = world.user("prov_approver_4")
    user.roles  # noqa: B018
    request = rf.get("/")
    request.user = user
    with django_assert_num_queries(2):
        context = navigation(request)
    assert any(item.count for item in context["nav_items"])


def test_a_badge_stops_counting_past_its_cap(client, world):
    """The badge says "99+" past the cap; the queue's page still counts everything."""
    user = world.user("prov_approver_4")
    kind = Notification.Kind.choices[0][0]
    Notification.objects.bulk_create(
        Notification(recipient=user, kind=kind) for _ in range(selectors.BADGE_CAP + 5)
    )
    url = reverse("sharing:notification_list")
    assert _badges(client, user)[url] == selectors.BADGE_CAP + 1
    html = client.get(reverse("home")).content.decode()
    assert f"data-nav-count>{selectors.BADGE_CAP}+<" in html
    # The home page's "My work" counts the queue the same way, and still lists its first rows.
    assert f"data-queue-count>{selectors.BADGE_CAP}+<" in html
    work = {s.queue.key: s for s in client.get(reverse("home")).context["busy_queues"]}
    assert work["notifications"].capped and len(work["notifications"].items) == 5
    page = client.get(url).context["page_obj"]
    assert page.paginator.count >= selectors.BADGE_CAP + 5
