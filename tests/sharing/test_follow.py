"""Following a resource, and what its consumers and followers are told when it changes.

On the access matrix: ``cleared_cond_3`` is an L3 entry seen only by users cleared for L3
(catalog scope ``cleared``), on which the consumer department "cons" holds a grant in force;
cons's L1 user neither sees it nor may be told of it.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from catalog import services as catalog_services
from catalog.services import ITEM_FIELDS
from sharing.models import Follow, Notification

pytestmark = pytest.mark.django_db


def _follow_url(resource) -> str:
    return reverse("sharing:resource_follow", args=[resource.pk])


def _told(kind: str) -> dict[str, int]:
    """Return username -> how many notifications of the kind they got."""
    counts: dict[str, int] = {}
    for n in Notification.objects.filter(kind=kind).select_related("recipient"):
        counts[n.recipient.username] = counts.get(n.recipient.username, 0) + 1
    return counts


def _names(matrix, *keys: str) -> dict[str, int]:
    return {matrix.users[key].username: 1 for key in keys}


def _follow(matrix, user_key: str, resource_key: str) -> None:
    Follow.objects.create(user=matrix.users[user_key], resource=matrix.resources[resource_key])


def test_a_viewer_follows_and_unfollows_and_others_get_404(client, matrix):
    resource = matrix.resources["pub_cond_1"]
    viewer = matrix.users["other_staff_3"]
    client.force_login(viewer)
    page = client.get(reverse("catalog:resource_detail", args=[resource.pk])).content.decode()
    assert 'data-follow="off"' in page and 'id="follow-resource"' in page

    response = client.post(_follow_url(resource), {"follow": "1"})
    assert response.status_code == 302
    assert response.url == reverse("catalog:resource_detail", args=[resource.pk])
    client.post(_follow_url(resource), {"follow": "1"})  # again: still one follow
    assert list(Follow.objects.values_list("user_id", "resource_id")) == [(viewer.pk, resource.pk)]
    page = client.get(reverse("catalog:resource_detail", args=[resource.pk])).content.decode()
    assert 'data-follow="on"' in page and 'id="unfollow-resource"' in page

    client.post(_follow_url(resource), {"follow": "0"})
    assert not Follow.objects.exists()
    assert client.get(_follow_url(resource)).status_code == 405

    # What a user may not see cannot be followed (nor unfollowed): 404, and nothing stored.
    for user_key, resource_key in [
        ("cons_staff_1", "cleared_cond_3"),  # below the level of a "cleared" entry
        ("other_staff_3", "provider_cond_2"),  # the provider department's entry only
        ("cons_staff_4", "draft_2"),  # another department's draft
    ]:
        client.force_login(matrix.users[user_key])
        hidden = matrix.resources[resource_key]
        assert client.post(_follow_url(hidden), {"follow": "1"}).status_code == 404, user_key
        assert client.post(_follow_url(hidden), {"follow": "0"}).status_code == 404, user_key
        detail = client.get(reverse("catalog:resource_detail", args=[hidden.pk]))
        assert detail.status_code == 404
    assert not Follow.objects.exists()
    client.logout()
    response = client.post(_follow_url(resource), {"follow": "1"})
    assert response.status_code == 302 and "login" in response.url
    assert not Follow.objects.exists()


def test_retiring_tells_grant_holders_and_followers_who_may_see_it_once_each(matrix):
    resource = matrix.resources["cleared_cond_3"]
    _follow(matrix, "other_staff_3", "cleared_cond_3")  # a follower from a third department
    _follow(matrix, "cons_staff_4", "cleared_cond_3")  # a follower holding the grant too
    # A follower the entry no longer admits (say it was L1 when they followed): not told.
    _follow(matrix, "cons_staff_1", "cleared_cond_3")
    catalog_services.resource_retire(
        actor=matrix.users["prov_editor_4"], resource=resource, reason="数据源停用"
    )
    told = _told(Notification.Kind.RESOURCE_RETIRED)
    assert told == _names(
        matrix,
        "cons_staff_3",
        "cons_staff_4",
        "cons_approver_4",
        "cons_delegate_3",
        "other_staff_3",
    )
    notice = Notification.objects.get(
        recipient=matrix.users["other_staff_3"], kind=Notification.Kind.RESOURCE_RETIRED
    )
    assert notice.url == reverse("catalog:resource_detail", args=[resource.pk])
    assert resource.name in notice.text and "数据源停用" in notice.text
    # The inactive, the provider's other editors and the grant's other parties are not told.
    assert matrix.users["prov_inactive_4"].username not in told


def test_a_level_or_items_change_tells_who_still_sees_it(matrix):
    editor = matrix.users["prov_editor_4"]
    resource = matrix.resources["cleared_cond_3"]
    _follow(matrix, "other_staff_3", "cleared_cond_3")
    _follow(matrix, "cons_approver_4", "cleared_cond_3")
    # A change of the summary alone tells nobody.
    catalog_services.resource_update(actor=editor, resource=resource, summary="新的摘要")
    assert not Notification.objects.filter(kind=Notification.Kind.RESOURCE_CHANGED).exists()

    # Raised to L4: the L3 users of the grant's department and the L3 follower lose sight of
    # the "cleared" entry, and are not told of it.
    resource = catalog_services.resource_update(actor=editor, resource=resource, level=4)
    told = _told(Notification.Kind.RESOURCE_CHANGED)
    assert told == _names(matrix, "cons_staff_4", "cons_approver_4")
    notice = Notification.objects.get(
        recipient=matrix.users["cons_staff_4"], kind=Notification.Kind.RESOURCE_CHANGED
    )
    assert notice.params["change"] == "level" and notice.params["version"] == str(resource.version)
    assert "分级有变更" in notice.text

    # Items change on an entry every department sees: all of cons, L1 too.
    Notification.objects.all().delete()
    other = matrix.resources["pub_cond_3"]
    items = [{f: getattr(i, f) for f in ITEM_FIELDS} for i in other.items.all()]
    items[0]["description"] = "口径调整"
    catalog_services.resource_update(actor=editor, resource=other, items=items)
    told = _told(Notification.Kind.RESOURCE_CHANGED)
    assert told == _names(
        matrix, "cons_staff_1", "cons_staff_3", "cons_staff_4", "cons_approver_4", "cons_delegate_3"
    )
    assert {n.params["change"] for n in Notification.objects.all()} == {"items"}


def test_a_draft_edit_tells_nobody(matrix):
    _follow(matrix, "prov_staff_2", "draft_2")
    catalog_services.resource_update(
        actor=matrix.users["prov_editor_4"], resource=matrix.resources["draft_2"], level=3
    )
    assert not Notification.objects.filter(kind=Notification.Kind.RESOURCE_CHANGED).exists()
