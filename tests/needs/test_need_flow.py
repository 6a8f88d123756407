"""The life of a data need through its services: file, route, claim, answer, request.

Each transition is audited and tells the parties; bad input is refused with a clear message and
changes nothing.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import Level, Role
from audit.models import AuditEvent
from needs import services
from needs.models import Need, NeedStatus
from sharing.models import Notification, RequestStatus, ShareRequest
from workcalendar.workdays import deadline_after

from .. import builders
from .helpers import file, need_terms, routed

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    requester = builders.department("市民政局")
    provider = builders.department("市公安局")
    bureau = builders.department("市数据资源局")
    return {
        "requester": requester,
        "provider": provider,
        "staff": builders.user(requester, clearance=Level.L2, username="mz"),
        "colleague": builders.user(requester, clearance=Level.L2, username="mz2"),
        "approver": builders.user(
            provider, clearance=Level.L3, roles=(Role.STAFF, Role.APPROVER), username="ga_ap"
        ),
        "admin": builders.user(
            provider, clearance=Level.L2, roles=(Role.STAFF, Role.DEPARTMENT_ADMIN)
        ),
        "provider_staff": builders.user(provider, clearance=Level.L4),
        "coordinator": builders.user(
            bureau, clearance=Level.L4, roles=(Role.STAFF, Role.COORDINATOR), username="sj"
        ),
        "resource": builders.resource(
            provider,
            name="户籍人口信息",
            level=Level.L2,
            items=[
                builders.item("公民身份号码", level=1, is_key=True),
                builders.item("姓名", level=2),
                builders.item("住址", level=2),
            ],
        ),
    }


def _snapshot() -> tuple:
    return (
        list(Need.objects.values_list("pk", "status", "provider_id", "resource_id", "answer")),
        AuditEvent.objects.count(),
        Notification.objects.count(),
    )


def test_filing_records_the_need_and_tells_the_coordinator(people):
    need = file(people["staff"], suggested_provider_id=people["provider"].pk)
    assert need.status == NeedStatus.OPEN
    assert need.requester_department == people["requester"]
    assert need.data_items == ["姓名", "公民身份号码", "婚姻状况"]
    assert need.suggested_provider == people["provider"]
    assert AuditEvent.objects.filter(action="need.file", object_id=str(need.pk)).exists()
    told = Notification.objects.get(kind=Notification.Kind.NEED_FILED)
    assert told.recipient == people["coordinator"] and "婚姻登记信息" in told.text


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": "  "}, "title"),
        ({"description": ""}, "description"),
        ({"data_items": ["", "  "]}, "data_items"),
        ({"legal_basis": ""}, "legal_basis"),
        ({"purpose": "whatever"}, "purpose"),
        ({"purpose": "other"}, "purpose_other"),
        ({"business": ""}, "business"),
        ({"suggested_provider_id": 10**9}, "suggested_provider"),
    ],
)
def test_an_incomplete_need_is_refused_and_nothing_is_stored(people, overrides, field):
    before = _snapshot()
    with pytest.raises(ValidationError) as caught:
        services.need_file(actor=people["staff"], **need_terms(**overrides))
    assert field in caught.value.message_dict and caught.value.message_dict[field][0]
    assert _snapshot() == before


def test_an_empty_need_names_every_missing_part(people):
    empty = {k: "" for k in ("title", "description", "legal_basis", "purpose", "business")}
    with pytest.raises(ValidationError) as caught:
        services.need_file(actor=people["staff"], data_items=[], **empty)
    assert set(caught.value.message_dict) >= {
        "title",
        "description",
        "data_items",
        "legal_basis",
        "purpose",
        "business",
    }
    assert not Need.objects.exists()


def test_routing_sets_the_provider_and_a_working_day_deadline(people, settings):
    settings.NEED_REPLY_WORKING_DAYS = 5
    need = routed(people["staff"], people["coordinator"], people["provider"].pk)
    assert need.status == NeedStatus.ROUTED and need.provider == people["provider"]
    assert need.due_date == deadline_after(timezone.localdate(), 5).day
    recipients = set(
        Notification.objects.filter(kind=Notification.Kind.NEED_ROUTED).values_list(
            "recipient__username", flat=True
        )
    )
    # The provider's approvers and department administrator answer; plain staff are not told.
    assert recipients == {"ga_ap", people["admin"].username}


def test_routing_to_a_department_that_does_not_exist_changes_nothing(people):
    need = file(people["staff"])
    before = _snapshot()
    for missing in (10**9, people["requester"].pk):
        with pytest.raises(ValidationError) as caught:
            services.need_route(actor=people["coordinator"], need=need, provider_id=missing)
        assert "provider" in caught.value.message_dict
    people["provider"].is_active = False
    people["provider"].save(update_fields=["is_active"])
    with pytest.raises(ValidationError):
        services.need_route(
            actor=people["coordinator"], need=need, provider_id=people["provider"].pk
        )
    assert _snapshot() == before


def test_only_the_coordinator_routes(people):
    need = file(people["staff"])
    for key in ("staff", "approver", "admin", "provider_staff"):
        with pytest.raises(PermissionDenied):
            services.need_route(actor=people[key], need=need, provider_id=people["provider"].pk)
    assert Need.objects.get(pk=need.pk).status == NeedStatus.OPEN


def test_a_provider_claims_an_unrouted_need_but_not_its_own(people):
    need = file(people["staff"])
    with pytest.raises(PermissionDenied):
        services.need_claim(actor=people["provider_staff"], need=need)
    claimed = services.need_claim(actor=people["approver"], need=need)
    assert claimed.status == NeedStatus.ROUTED and claimed.provider == people["provider"]
    assert claimed.due_date is not None
    requester_approver = builders.user(
        people["requester"], clearance=Level.L2, roles=(Role.STAFF, Role.APPROVER)
    )
    own = file(people["staff"], title="另一项需求")
    with pytest.raises(PermissionDenied):
        services.need_claim(actor=requester_approver, need=own)


def test_linking_a_resource_answers_the_need_and_tells_the_requester(people):
    need = routed(people["staff"], people["coordinator"], people["provider"].pk)
    answered = services.need_link(
        actor=people["approver"], need=need, resource_id=people["resource"].pk
    )
    assert answered.status == NeedStatus.LINKED and answered.resource == people["resource"]
    assert answered.answered_by == people["approver"] and not answered.new_resource
    note = Notification.objects.get(kind=Notification.Kind.NEED_ANSWERED)
    assert note.recipient == people["staff"]


def test_only_a_published_resource_of_the_provider_may_be_linked(people):
    need = routed(people["staff"], people["coordinator"], people["provider"].pk)
    elsewhere = builders.resource(people["requester"], name="别家的资源")
    draft = builders.resource(people["provider"], status="draft", name="草稿资源")
    # An entry the approver may not see: another department's, shown only to its provider.
    hidden = builders.resource(
        builders.department("市国家安全局"),
        level=Level.L4,
        name="国安专项信息",
        catalog_scope="provider",
        catalog_scope_reason="国家安全",
    )
    before = _snapshot()
    for resource in (elsewhere, draft, hidden):
        with pytest.raises(ValidationError) as caught:
            services.need_link(actor=people["approver"], need=need, resource_id=resource.pk)
        assert "resource" in caught.value.message_dict
    # The hidden entry is refused as if it did not exist.
    answers = []
    for resource_id in (hidden.pk, 10**9):
        with pytest.raises(ValidationError) as caught:
            services.need_link(actor=people["approver"], need=need, resource_id=resource_id)
        answers.append(caught.value.message_dict)
    assert answers[0] == answers[1]
    assert _snapshot() == before


def test_staff_of_the_provider_and_other_departments_may_not_answer(people):
    need = routed(people["staff"], people["coordinator"], people["provider"].pk)
    outsider = builders.user(
        builders.department("市卫健委"), clearance=Level.L4, roles=(Role.STAFF, Role.APPROVER)
    )
    before = _snapshot()
    for actor in (people["provider_staff"], people["staff"], outsider, people["coordinator"]):
        with pytest.raises(PermissionDenied):
            services.need_link(actor=actor, need=need, resource_id=people["resource"].pk)
        with pytest.raises(PermissionDenied):
            services.need_refuse(actor=actor, need=need, reason="《保密法》第三十一条")
        with pytest.raises(PermissionDenied):
            services.need_register(actor=actor, need=need)
    assert _snapshot() == before


def test_registering_then_linking_counts_as_a_new_resource(people):
    need = routed(people["staff"], people["coordinator"], people["provider"].pk)
    promised = services.need_register(actor=people["admin"], need=need, answer="下月登记")
    assert promised.status == NeedStatus.REGISTERING and promised.answered_at is not None
    first_answer = promised.answered_at
    new = builders.resource(people["provider"], name="婚姻状况核验信息", level=Level.L2)
    done = services.need_link(actor=people["admin"], need=promised, resource_id=new.pk)
    assert done.status == NeedStatus.LINKED and done.new_resource
    assert done.answered_at == first_answer  # the deadline judges the first answer


def test_a_refusal_needs_its_legal_basis(people):
    need = routed(people["staff"], people["coordinator"], people["provider"].pk)
    with pytest.raises(ValidationError):
        services.need_refuse(actor=people["approver"], need=need, reason="  ")
    assert Need.objects.get(pk=need.pk).status == NeedStatus.ROUTED
    refused = services.need_refuse(
        actor=people["approver"], need=need, reason="《中华人民共和国保守国家秘密法》第三十一条"
    )
    assert refused.status == NeedStatus.REFUSED
    with pytest.raises(ValidationError):  # answered: no longer open to another answer
        services.need_link(actor=people["approver"], need=need, resource_id=people["resource"].pk)


def test_a_linked_need_becomes_a_share_request_in_one_step(people):
    need = routed(
        people["staff"],
        people["coordinator"],
        people["provider"].pk,
        data_items=["公民身份号码", "姓名", "婚姻状况"],
    )
    services.need_link(actor=people["approver"], need=need, resource_id=people["resource"].pk)
    with pytest.raises(PermissionDenied):  # the provider does not request for the requester
        services.need_request(actor=people["approver"], need=need)
    request = services.need_request(actor=people["colleague"], need=need)
    assert request.status == RequestStatus.SUBMITTED
    assert request.requester_department == people["requester"]
    assert request.legal_basis == need.legal_basis and request.scenario == need.business
    (line,) = request.lines.all()
    assert line.resource == people["resource"]
    # The items named in the need, not 住址, which nobody asked for.
    assert {i.name for i in line.items.all()} == {"公民身份号码", "姓名"}
    assert Need.objects.get(pk=need.pk).share_request == request
    with pytest.raises(ValidationError):  # once only
        services.need_request(actor=people["staff"], need=need)
    assert ShareRequest.objects.count() == 1
