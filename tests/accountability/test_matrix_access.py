"""Every evaluation page for every user of the shared access matrix."""

from __future__ import annotations

from django.urls import reverse

from accounts.models import Role
from tests.access_matrix import USERS


def test_every_matrix_user_gets_what_the_rules_say(client, matrix):
    pages = {
        "dashboard": reverse("accountability:dashboard"),
        "report": reverse("accountability:report"),
        "duplicates": reverse("accountability:duplicates"),
        "zombies": reverse("accountability:zombies"),
        "service_items": reverse("accountability:service_item_list"),
    }
    failures = []
    for spec in USERS:
        user = matrix.users[spec.key]
        client.force_login(user)
        coordinator = spec.active and Role.COORDINATOR in spec.roles
        for name, url in pages.items():
            status = client.get(url).status_code
            if name == "service_items":
                expected = 200 if spec.active else 302
            else:
                expected = 200 if coordinator else (302 if not spec.active else 404)
            if status != expected:
                failures.append((spec.key, name, status, expected))
        for dept_key, dept in matrix.departments.items():
            status = client.get(reverse("accountability:scorecard", args=[dept.pk])).status_code
            own_admin = (
                spec.active and Role.DEPARTMENT_ADMIN in spec.roles and spec.department == dept_key
            )
            expected = 200 if (coordinator or own_admin) else (302 if not spec.active else 404)
            if status != expected:
                failures.append((spec.key, f"scorecard {dept_key}", status, expected))
        client.logout()
    assert failures == []
