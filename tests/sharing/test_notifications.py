"""Notifications in the inbox and by e-mail, and the periodic sweep (deadlines, expiry)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from sharing import services
from sharing.models import Grant, Notification, ShareRequest
from tests import builders

from .conftest import submit


@pytest.fixture(autouse=True)
def _locmem(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def _kinds(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def _with_email(user, address):
    user.email = address
    user.save(update_fields=["email"])
    return user


def test_submission_notifies_provider_approvers_within_clearance_and_mails(
    matrix, django_capture_on_commit_callbacks
):
    _with_email(matrix.users["prov_approver_4"], "approver4@example.gov.cn")
    _with_email(matrix.users["prov_approver_2"], "approver2@example.gov.cn")
    resource = builders.resource(matrix.departments["prov"], level=3)
    with django_capture_on_commit_callbacks(execute=True):
        submit(matrix.users["cons_staff_3"], resource)
    assert _kinds(matrix.users["prov_approver_4"]) == ["request_submitted"]
    # The request names an L3 resource: an L2 approver is not told it exists.
    assert _kinds(matrix.users["prov_approver_2"]) == []
    assert [m.to for m in mail.outbox] == [["approver4@example.gov.cn"]]
    assert "矩阵资源" not in mail.outbox[0].subject


def test_decision_changes_and_revocation_reach_the_requester(world):
    requester = world.user("cons_staff_3")
    request = world.requests["r_cons_1"]
    approver = world.user("prov_approver_4")
    services.share_request_decide(
        actor=approver, request=request, decision="changes", reason="补充"
    )
    assert "changes_asked" in _kinds(requester)
    services.share_request_resubmit(actor=requester, request=request, **_terms())
    services.share_request_decide(actor=approver, request=request, decision="approve")
    assert "request_decided" in _kinds(requester)
    grant = Grant.objects.get(request=request)
    services.grant_revoke(actor=approver, grant=grant, reason="停止使用")
    assert "grant_revoked" in _kinds(requester)
    assert "grant_revoked" in _kinds(world.user("cons_approver_4"))
    text = Notification.objects.filter(recipient=requester, kind="grant_revoked").get().text
    assert "停止使用" in text


def _terms():
    from .conftest import terms

    return terms()


def test_correction_filed_and_answered(matrix):
    correction = services.correction_file(
        actor=matrix.users["cons_staff_3"],
        resource=matrix.resources["pub_cond_3"],
        description="错误",
    )
    assert "correction_filed" in _kinds(matrix.users["prov_editor_4"])
    assert "correction_filed" in _kinds(matrix.users["prov_approver_4"])
    assert _kinds(matrix.users["prov_editor_2"]) == []  # below the resource's level
    services.correction_answer(
        actor=matrix.users["prov_editor_4"], correction=correction, accepted=True, answer="已更正"
    )
    assert "correction_answered" in _kinds(matrix.users["cons_staff_3"])


def test_sweep_reminds_once_before_the_deadline_and_once_when_overdue(world, monkeypatch):
    request = world.requests["r_cons_1"]
    # Due Tuesday 2026-10-20: on Friday 2026-10-16 two working days remain.
    ShareRequest.objects.filter(pk=request.pk).update(due_date=date(2026, 10, 20))
    ShareRequest.objects.exclude(pk=request.pk).update(due_date=date(2026, 12, 31))
    approver = world.user("prov_approver_4")
    friday = timezone.make_aware(timezone.datetime(2026, 10, 16, 9))
    result = services.sharing_sweep(now=friday)
    assert result["deadline_reminders"] == 1
    assert _kinds(approver).count("deadline_soon") == 1
    services.sharing_sweep(now=friday)
    assert _kinds(approver).count("deadline_soon") == 1  # not twice
    later = timezone.make_aware(timezone.datetime(2026, 10, 21, 9))
    assert services.sharing_sweep(now=later)["overdue_requests"] == 1
    assert _kinds(approver).count("overdue") == 1
    assert "overdue" in _kinds(world.user("cons_staff_3"))


def test_sweep_warns_of_expiry_once_and_expires_grants(matrix):
    soon = builders.grant(matrix.resources["pub_cond_1"], matrix.departments["cons"], days=5)
    result = services.sharing_sweep()
    assert result["grants_expiring"] == 1  # pub_cond_3's grant runs 30 days
    assert result["grants_expired"] == 1  # the matrix's stale grant on pub_cond_2
    notices = Notification.objects.filter(kind="grant_expiring")
    assert {n.recipient.username for n in notices} == {"cons_approver_4"}
    assert notices.get().url.endswith(f"/grants/{soon.pk}/")
    assert services.sharing_sweep()["grants_expiring"] == 0


def test_expired_grant_stops_working_without_the_sweep(matrix):
    from sharing import policies

    reader = matrix.users["cons_staff_3"]
    assert not policies.can_read_resource_data(reader, matrix.resources["pub_cond_2"])
    grant = Grant.objects.get(
        resource=matrix.resources["pub_cond_2"], department=matrix.departments["cons"]
    )
    assert grant.status == Grant.Status.ACTIVE and grant.valid_until < timezone.now()


def test_commands_run(matrix, capsys):
    call_command("expire_grants")
    assert "grants expired: 1" in capsys.readouterr().out
    call_command("sharing_sweep")
    assert "grants_expiring" in capsys.readouterr().out
