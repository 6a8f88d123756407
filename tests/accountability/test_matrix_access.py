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
        "unconfirmed": reverse("accountability:unconfirmed_systems"),
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


def test_item_links_and_conflict_lists_for_every_matrix_user(client, matrix):
    """The coordinator's link pages for the coordinator only; a link's conflict list for the
    members of its two departments cleared for their own side, nobody else (404)."""
    from accountability import services
    from accountability.models import ComparisonRun

    left, right = matrix.resources["pub_cond_3"], matrix.resources["other_cond_2"]
    link = services.item_link_create(
        actor=matrix.users["coordinator_4"],
        left_key=left.items.get(name="编号"),
        left_item=left.items.get(name="名称"),
        right_key=right.items.get(name="编号"),
        right_item=right.items.get(name="名称"),
        authoritative="left",
    )
    run = ComparisonRun.objects.create(
        link=link,
        trigger="demand",
        status="done",
        matched=2,
        agreements=1,
        conflicts=1,
        conflict_rows=[["B000000123", "甲名称", "乙名称"]],
    )
    link.last_run = run
    link.save()
    coordinator_pages = [
        reverse("accountability:item_links"),
        reverse("accountability:item_link_new")
        + f"?left={link.left_item_id}&right={link.right_item_id}",
    ]
    detail = reverse("accountability:conflict_detail", args=[link.pk])
    failures = []
    for spec in USERS:
        client.force_login(matrix.users[spec.key])
        coordinator = spec.active and Role.COORDINATOR in spec.roles
        for url in coordinator_pages:
            status = client.get(url).status_code
            expected = 200 if coordinator else (302 if not spec.active else 404)
            if status != expected:
                failures.append((spec.key, url, status, expected))
        owner = spec.active and (
            (spec.department == "prov" and spec.clearance >= 3)
            or (spec.department == "other" and spec.clearance >= 2)
        )
        response = client.get(detail)
        expected = 200 if owner else (302 if not spec.active else 404)
        if response.status_code != expected:
            failures.append((spec.key, "conflict_detail", response.status_code, expected))
        body = response.content.decode()
        if "B000000123" in body or (not owner and "乙名称" in body):
            failures.append((spec.key, "conflict_detail", "unmasked or leaked", ""))
        listed = client.get(reverse("accountability:conflicts"))
        if spec.active and (detail in listed.content.decode()) != owner:
            failures.append((spec.key, "conflicts", "listed", owner))
        client.logout()
    assert failures == []
