"""The request pages render what each side needs: decision form, timeline, edit and resubmit."""

from __future__ import annotations

from django.urls import reverse

from sharing import services
from sharing.models import RequestStatus

from .conftest import terms


def test_detail_shows_decision_form_days_left_other_grants_and_timeline(client, world):
    request = world.requests["r_cons_1"]
    client.force_login(world.user("prov_approver_4"))
    response = client.get(reverse("sharing:request_detail", args=[request.pk]))
    assert response.context["actions"].decide
    assert response.context["days_left"] is not None and response.context["days_left"] > 0
    other = {g.resource.name for g in response.context["other_grants"]}
    keys = ("pub_cond_2", "pub_cond_3", "pub_cond_4", "pub_none_2", "cleared_cond_3")
    names = {f"矩阵资源{k}" for k in (*keys, "provider_cond_2")}
    assert other == names
    # An L2 approver of the same department sees its own department's entries, and so the
    # grants on them, whatever their level (acting on them still needs clearance).
    client.force_login(world.user("prov_approver_2"))
    response = client.get(reverse("sharing:request_detail", args=[request.pk]))
    other = {g.resource.name for g in response.context["other_grants"]}
    assert other == names
    assert [e.action for e in response.context["timeline"]] == ["share_request.submit"]
    client.force_login(world.user("prov_approver_4"))
    response = client.get(reverse("sharing:request_detail", args=[request.pk]))
    assert reverse("sharing:request_decide", args=[request.pk]) in response.content.decode()


def test_the_requesters_own_staff_see_their_departments_other_grants_within_clearance(
    client, world
):
    from sharing import policies
    from sharing.models import Grant

    request = world.requests["r_cons_1"]
    for key in ("cons_staff_3", "cons_staff_4"):
        user = world.user(key)
        client.force_login(user)
        response = client.get(reverse("sharing:request_detail", args=[request.pk]))
        listed = {g.pk for g in response.context["other_grants"]}
        expected = {
            g.pk
            for g in Grant.objects.filter(department=request.requester_department)
            if policies.can_view_grant(user, g) and g.request_id != request.pk
        }
        assert listed == expected, key
    assert expected  # the consumer holds other grants: the case is not vacuous


def test_requester_sees_no_decision_form(client, world):
    client.force_login(world.user("cons_staff_3"))
    response = client.get(reverse("sharing:request_detail", args=[world.requests["r_cons_1"].pk]))
    assert not response.context["actions"].decide
    assert reverse("sharing:request_decide", args=[world.requests["r_cons_1"].pk]) not in (
        response.content.decode()
    )


def test_edit_and_resubmit_page(client, world):
    request = world.requests["r_cons_1"]
    services.share_request_decide(
        actor=world.user("prov_approver_4"), request=request, decision="changes", reason="补充场景"
    )
    client.force_login(world.user("prov_approver_4"))
    assert client.get(reverse("sharing:request_edit", args=[request.pk])).status_code == 302
    client.force_login(world.user("cons_staff_3"))
    url = reverse("sharing:request_edit", args=[request.pk])
    page = client.get(url)
    assert page.status_code == 200
    # The date inputs come back filled, in the ISO form a browser's date input accepts.
    html = page.content.decode()
    for field in ("valid_from", "valid_until"):
        value = getattr(request, field).isoformat()
        assert f'name="{field}" value="{value}"' in html, field
    data = terms(scenario="新的场景")
    line = request.lines.get()
    form = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in data.items()}
    form[f"items_{line.resource_id}"] = [i.pk for i in line.items.all()]
    response = client.post(url, form)
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == RequestStatus.SUBMITTED and request.scenario == "新的场景"
    response = client.get(reverse("sharing:request_detail", args=[request.pk]))
    actions = [e.action for e in response.context["timeline"]]
    assert actions == [
        "share_request.submit",
        "share_request.ask_changes",
        "share_request.resubmit",
    ]


def test_grant_and_correction_pages_show_history(client, world):
    request = world.requests["r_cons_1"]
    services.share_request_decide(
        actor=world.user("prov_approver_4"), request=request, decision="approve"
    )
    grant = request.grants.get()
    client.force_login(world.user("cons_staff_1"))
    response = client.get(reverse("sharing:grant_detail", args=[grant.pk]))
    assert [e.action for e in response.context["timeline"]] == [
        "share_request.submit",
        "grant.create",
        "share_request.approve",
    ]
    assert not response.context["can_revoke"]


def test_signoff_withdraw_and_escalate_through_the_pages(client, matrix):
    from .conftest import submit

    cons = matrix.departments["cons"]
    cons.requires_outgoing_signoff = True
    cons.save()
    (request,) = submit(matrix.users["cons_staff_3"], matrix.resources["pub_cond_1"])
    detail = reverse("sharing:request_detail", args=[request.pk])
    client.force_login(matrix.users["cons_approver_4"])
    response = client.get(detail)
    assert response.context["actions"].signoff
    signoff = reverse("sharing:request_signoff", args=[request.pk])
    assert client.post(signoff, {"decision": "return", "reason": ""}).status_code == 400
    assert client.post(signoff, {"decision": "approve"}).status_code == 302
    request.refresh_from_db()
    assert request.status == RequestStatus.SUBMITTED
    client.force_login(matrix.users["prov_approver_4"])
    client.post(
        reverse("sharing:request_decide", args=[request.pk]),
        {"decision": "reject", "reason": "用途不符"},
    )
    client.force_login(matrix.users["cons_staff_1"])
    response = client.get(detail)
    assert response.context["actions"].escalate and not response.context["actions"].withdraw
    escalate = reverse("sharing:request_escalate", args=[request.pk])
    assert client.post(escalate, {"escalate-reason": ""}).status_code == 400
    assert client.post(escalate, {"escalate-reason": "业务必需"}).status_code == 302
    request.refresh_from_db()
    assert request.status == RequestStatus.NEGOTIATION
    # A second request, withdrawn by the requester before sign-off.
    (second,) = submit(matrix.users["cons_staff_3"], matrix.resources["pub_cond_2"])
    withdraw = reverse("sharing:request_withdraw", args=[second.pk])
    client.force_login(matrix.users["prov_approver_4"])
    assert client.post(withdraw).status_code == 404  # awaiting cons's own sign-off: not theirs
    client.force_login(matrix.users["cons_staff_3"])
    assert client.post(withdraw).status_code == 302
    second.refresh_from_db()
    assert second.status == RequestStatus.WITHDRAWN
