"""A new active data version tells the resource's grant holders and followers who may see it."""

from __future__ import annotations

import pytest

from datasets import services
from sharing.models import Follow, Notification

from .conftest import MATRIX_HEADER, csv_file, matrix_rows

pytestmark = pytest.mark.django_db


def _told(matrix) -> dict[str, int]:
    counts: dict[str, int] = {}
    for n in Notification.objects.filter(kind=Notification.Kind.RESOURCE_NEW_DATA):
        key = next(k for k, u in matrix.users.items() if u.pk == n.recipient_id)
        counts[key] = counts.get(key, 0) + 1
    return counts


def test_a_new_data_version_tells_consumers_and_followers_once(matrix):
    editor = matrix.users["prov_editor_4"]
    resource = matrix.resources["cleared_cond_3"]
    Follow.objects.create(user=matrix.users["other_staff_3"], resource=resource)
    Follow.objects.create(user=matrix.users["cons_staff_3"], resource=resource)  # holds it too
    Follow.objects.create(user=matrix.users["cons_staff_1"], resource=resource)  # may not see it
    Follow.objects.create(user=editor, resource=resource)  # the uploader: not told of own act

    version = services.dataset_upload(
        actor=editor, resource=resource, file=csv_file([MATRIX_HEADER, *matrix_rows()])
    )
    expected = {"cons_staff_3", "cons_staff_4", "cons_approver_4", "cons_delegate_3"}
    assert _told(matrix) == dict.fromkeys(expected | {"other_staff_3"}, 1)
    notice = Notification.objects.filter(kind=Notification.Kind.RESOURCE_NEW_DATA).first()
    assert notice is not None and notice.params["version"] == str(version.number)
    assert resource.name in notice.text

    # Rows appended to the version in use are no new version: nobody is told again.
    services.dataset_upload(
        actor=editor,
        resource=resource,
        file=csv_file([MATRIX_HEADER, ["B900", "名称900", matrix_rows(1)[0][2]]]),
        mode="append",
    )
    assert sum(_told(matrix).values()) == 5
