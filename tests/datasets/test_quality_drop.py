"""A new version worse than the last warns the provider, the grant holders and the followers."""

from __future__ import annotations

import pytest

from audit.models import AuditEvent
from datasets import services
from datasets.models import VersionQuality
from sharing.models import Follow, Notification

from .conftest import MATRIX_HEADER, citizen_id, csv_file

pytestmark = pytest.mark.django_db

GOOD = [[f"B{n:03d}", f"名称{n % 3}", citizen_id(n)] for n in range(1, 11)]
# The same rows with most names missing: 名称 falls from 100% to 30% complete.
WORSE = [[key, name if n < 3 else "", number] for n, (key, name, number) in enumerate(GOOD)]


def _upload(matrix, resource, rows, capture):
    with capture(execute=True):
        return services.dataset_upload(
            actor=matrix.users["prov_editor_4"],
            resource=resource,
            file=csv_file([MATRIX_HEADER, *rows]),
        )


def _told(matrix) -> set[str]:
    ids = set(
        Notification.objects.filter(kind=Notification.Kind.RESOURCE_QUALITY_DROP).values_list(
            "recipient_id", flat=True
        )
    )
    return {key for key, u in matrix.users.items() if u.pk in ids}


def test_a_worse_version_warns_provider_and_consumers_only(
    matrix, django_capture_on_commit_callbacks
):
    resource = matrix.resources["pub_cond_3"]
    Follow.objects.create(user=matrix.users["other_staff_3"], resource=resource)
    Follow.objects.create(user=matrix.users["cons_staff_1"], resource=resource)  # below L3
    _upload(matrix, resource, GOOD, django_capture_on_commit_callbacks)
    assert _told(matrix) == set()  # a first version has nothing to be worse than

    version = _upload(matrix, resource, WORSE, django_capture_on_commit_callbacks)
    new = VersionQuality.objects.get(version=version)
    assert next(i for i in new.items if i["name"] == "名称")["completeness"] == 0.3
    assert _told(matrix) == {
        # the provider's editors and approvers cleared for the level
        "prov_editor_4",
        "prov_approver_4",
        # the grant holder's users cleared for it, and a follower who sees it
        "cons_staff_3",
        "cons_staff_4",
        "cons_approver_4",
        "cons_delegate_3",
        "other_staff_3",
    }
    notice = Notification.objects.filter(kind=Notification.Kind.RESOURCE_QUALITY_DROP).first()
    assert notice is not None
    assert notice.params["items"] == "名称"
    assert notice.params["version"] == str(version.number)
    assert resource.name in notice.text and "名称" in notice.text
    # No value of the data travels in the message.
    assert all(citizen_id(n) not in notice.text for n in range(1, 11))


def test_an_equal_or_better_version_warns_nobody(matrix, django_capture_on_commit_callbacks):
    resource = matrix.resources["pub_cond_3"]
    _upload(matrix, resource, WORSE, django_capture_on_commit_callbacks)
    _upload(matrix, resource, GOOD, django_capture_on_commit_callbacks)
    _upload(matrix, resource, GOOD, django_capture_on_commit_callbacks)
    assert _told(matrix) == set()


def test_the_score_threshold_is_a_setting(matrix, django_capture_on_commit_callbacks, settings):
    # Completeness drops below the item threshold, the score by less than the score threshold:
    # nobody is told; lowering the score threshold makes the same drop a warning.
    settings.PORTAL_QUALITY_COMPLETENESS_DROP = 1.0
    resource = matrix.resources["pub_cond_3"]
    _upload(matrix, resource, GOOD, django_capture_on_commit_callbacks)
    _upload(matrix, resource, WORSE, django_capture_on_commit_callbacks)  # score -9 (of 40 × 1/3)
    assert _told(matrix) == set()
    settings.PORTAL_QUALITY_DROP_POINTS = 5
    _upload(matrix, resource, GOOD, django_capture_on_commit_callbacks)
    _upload(matrix, resource, WORSE, django_capture_on_commit_callbacks)
    assert "prov_editor_4" in _told(matrix)


def _activity(user, resource) -> list[str]:
    from catalog import selectors

    events = selectors.resource_activity_events(user=user, resource=resource).order_by("-sequence")
    entries = selectors.resource_activity_entries(user=user, resource=resource, events=events)
    return [" / ".join([e.summary, *e.lines]) for e in entries if e.action == "data.quality_drop"]


def test_a_drop_is_in_the_activity_of_those_who_see_the_entry(
    matrix, django_capture_on_commit_callbacks
):
    for key in ("pub_cond_3", "provider_cond_2"):
        _upload(matrix, matrix.resources[key], GOOD, django_capture_on_commit_callbacks)
        _upload(matrix, matrix.resources[key], WORSE, django_capture_on_commit_callbacks)
    event = AuditEvent.objects.filter(action="data.quality_drop").first()
    assert event is not None and event.actor_id is None  # the task worker's finding

    resource = matrix.resources["pub_cond_3"]
    scores = [
        str(q.score)
        for q in VersionQuality.objects.filter(version__resource=resource).order_by("version")
    ]
    [provider] = _activity(matrix.users["prov_staff_4"], resource)
    # The provider reads the scores and the items whose completeness fell.
    assert all(score in provider for score in scores) and "名称" in provider
    # A grant holder, and departments that see the entry but not the data, read that it fell,
    # without the figures.
    for user_key in ("cons_staff_3", "other_staff_3", "cons_staff_1"):
        [line] = _activity(matrix.users[user_key], resource)
        assert "名称" not in line and not any(score in line for score in scores)

    # An entry only its provider sees: its drop is in nobody else's activity.
    hidden = matrix.resources["provider_cond_2"]
    assert len(_activity(matrix.users["prov_staff_4"], hidden)) == 1
    for user_key in ("cons_staff_4", "other_staff_3"):
        assert _activity(matrix.users[user_key], hidden) == []
