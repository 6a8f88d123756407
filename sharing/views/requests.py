"""Pages of the request flow: basket, request form, lists, detail and the decision actions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from catalog import selectors as catalog_selectors
from catalog.models import DataItem
from kernel.keyset import CappedPaginator, WindowCountPaginator

from .. import policies, scope, selectors, services
from ..forms import DecisionForm, ReasonForm, RequestTermsForm, SignoffForm, apply_errors
from ..models import ShareRequest
from .common import PAGE_SIZE, AuthedRequest, get_or_404, int_param, paginate

NEGOTIATION_COUNT_CAP = 500

# --- basket -----------------------------------------------------------------------------------


def _basket_choices(user, entries):
    return [
        (e.resource, selectors.requestable_items(user=user, resource=e.resource)) for e in entries
    ]


@login_required
def basket(request: AuthedRequest) -> HttpResponse:
    """Show the basket and the request form; submitting splits it into one request per provider."""
    entries = list(selectors.basket_entries(user=request.user))
    form = RequestTermsForm(
        request.POST or None, item_choices=_basket_choices(request.user, entries)
    )
    if request.method == "POST" and form.is_valid():
        try:
            created = services.share_requests_submit(
                actor=request.user,
                legal_basis=form.cleaned_data["legal_basis"],
                purpose=form.cleaned_data["purpose"],
                purpose_other=form.cleaned_data["purpose_other"],
                scenario=form.cleaned_data["scenario"],
                valid_from=form.cleaned_data["valid_from"],
                valid_until=form.cleaned_data["valid_until"],
                items=form.chosen_items(),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("Submitted %(count)d request(s): %(numbers)s.")
                % {"count": len(created), "numbers": ", ".join(r.number for r in created)},
            )
            return redirect("sharing:request_list")
    return render(request, "sharing/basket.html", {"entries": entries, "form": form})


def _back(request: AuthedRequest) -> str | None:
    """Return the page the form came from (POST ``next``) if it is one of ours."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


@login_required
@require_POST
def basket_add(request: AuthedRequest) -> HttpResponse:
    """Put a resource into the basket (POST ``resource_id``) in one click.

    The button is on every catalog result and resource page; the catalog, below sharing, cannot
    ask who may request, so this view answers: it refuses with the reason, and goes back to the
    page the button was on (POST ``next``), or to the basket.
    """
    back = _back(request)
    if not policies.may_request(request.user):
        messages.error(request, _("Only staff of a department can request data."))
        return redirect(back or "catalog:resource_list")
    resource = get_or_404(
        catalog_selectors.resource_get_visible,
        user=request.user,
        pk=int_param(request.POST.get("resource_id")),
    )
    try:
        services.basket_add(actor=request.user, resource=resource)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("%(resource)s is in your request basket.") % {"resource": resource.name}
        )
    return redirect(back or "sharing:basket")


@login_required
@require_POST
def basket_remove(request: AuthedRequest) -> HttpResponse:
    """Take a resource out of the basket."""
    services.basket_remove(
        actor=request.user, resource_id=int_param(request.POST.get("resource_id"))
    )
    return redirect("sharing:basket")


@login_required
def request_new(request: AuthedRequest) -> HttpResponse:
    """Start a request for one resource (``?resource=<pk>``): confirm adding it to the basket."""
    resource = get_or_404(
        catalog_selectors.resource_get_visible,
        user=request.user,
        pk=int_param(request.GET.get("resource")),
    )
    problem = services.requests.resource_problem(actor=request.user, resource=resource)
    return render(request, "sharing/request_new.html", {"resource": resource, "problem": problem})


# --- lists ------------------------------------------------------------------------------------


@login_required
def request_list(request: AuthedRequest) -> HttpResponse:
    """List the requests of the user's department: made (as requester) or received (as provider)."""
    side = request.GET.get("side")
    if side == "received":
        requests = selectors.requests_to_my_department(user=request.user)
    elif side == "returned":  # sent back by the provider for changes: the requester's queue
        requests = selectors.requests_returned(user=request.user)
    else:
        side = "made"
        requests = selectors.requests_of_my_department(user=request.user)
    page = paginate(request, selectors.listing_rows(requests))
    return render(request, "sharing/request_list.html", {"page_obj": page, "side": side})


@login_required
def request_inbox(request: AuthedRequest) -> HttpResponse:
    """List the requests awaiting the user's decision or sign-off, the most urgent first.

    ``?kind=decision`` or ``?kind=signoff`` shows one of the two queues.
    """
    kind = request.GET.get("kind", "")
    if kind not in selectors.INBOX_KINDS:
        kind = ""
    # Every waiting request is checked line by line before the inbox can be ordered: the count
    # rides on the page's query (kernel.keyset.WindowCountPaginator) instead of a second pass.
    page = WindowCountPaginator(
        selectors.requests_inbox(user=request.user, kind=kind), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    rows = []
    for share_request in page:
        left = selectors.working_days_left(share_request)
        rows.append((share_request, left, -left if left is not None and left < 0 else None))
    return render(
        request, "sharing/request_inbox.html", {"page_obj": page, "rows": rows, "kind": kind}
    )


@login_required
def negotiation_list(request: AuthedRequest) -> HttpResponse:
    """List the requests in coordination for the platform coordinator, oldest first."""
    rows = selectors.listing_rows(selectors.requests_in_negotiation(user=request.user))
    # Counted up to a cap: each request's lines are checked against the coordinator's
    # clearance, so counting a province's queue (tens of thousands) cost most of the page.
    # The queue is worked from its oldest end; what lies past the cap comes up as it moves.
    page = CappedPaginator(rows, PAGE_SIZE, cap=NEGOTIATION_COUNT_CAP).get_page(
        request.GET.get("page")
    )
    return render(request, "sharing/negotiation_list.html", {"page_obj": page})


# --- detail and actions -----------------------------------------------------------------------


def _line_choices(share_request: ShareRequest):
    return [(line.resource, line.items.all()) for line in share_request.lines.all()]


def _decision_form(share_request: ShareRequest, data=None, **kwargs) -> DecisionForm:
    """Return the approver's form, its row scope pre-filled with the default (数据回流)."""
    requester = share_request.requester_department
    return DecisionForm(
        data,
        item_choices=_line_choices(share_request),
        scope_choices=scope.choices(requester),
        scope_initial=scope.default_scope(requester, share_request.provider),
        personal_items=[
            item
            for line in share_request.lines.all()
            for item in line.items.all()
            if item.kind != DataItem.Kind.NONE
        ],
        **kwargs,
    )


def _render_detail(request: AuthedRequest, share_request: ShareRequest, **forms) -> HttpResponse:
    user = request.user
    actions = selectors.request_actions(user=user, request=share_request)
    left = selectors.working_days_left(share_request)
    context = {
        "share_request": share_request,
        "actions": actions,
        # Overdue is said as such ("3 working days overdue"), never as a negative time left.
        "days_left": left if left is None or left >= 0 else None,
        "days_overdue": -left if left is not None and left < 0 else None,
        "other_grants": selectors.department_other_grants(user=user, request=share_request)[:50],
        "grants": selectors.grants_visible_to(user=user).filter(request=share_request),
        "timeline": selectors.request_timeline(request=share_request),
        "decision_form": forms.get("decision_form") or _decision_form(share_request),
        "settle_form": forms.get("settle_form")
        or _decision_form(share_request, settle=True, prefix="settle"),
        "default_scope": scope.describe(
            scope.default_scope(share_request.requester_department, share_request.provider)
        ),
        "signoff_form": forms.get("signoff_form") or SignoffForm(),
        "escalate_form": forms.get("escalate_form") or ReasonForm(prefix="escalate"),
    }
    status = 400 if forms else 200
    return render(request, "sharing/request_detail.html", context, status=status)


def _get(request: AuthedRequest, pk: int) -> ShareRequest:
    return get_or_404(selectors.request_get_visible, user=request.user, pk=pk)


@login_required
def request_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """Show a request with its items, period, the requester's other grants and its timeline."""
    return _render_detail(request, _get(request, pk))


def _done(request: AuthedRequest, share_request: ShareRequest, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("sharing:request_detail", pk=share_request.pk)


@login_required
@require_POST
def request_decide(request: AuthedRequest, pk: int) -> HttpResponse:
    """Approve (optionally narrowed), reject with a reason, or ask for changes."""
    share_request = _get(request, pk)
    form = _decision_form(share_request, request.POST)
    if form.is_valid():
        decision = form.cleaned_data["decision"]
        terms = form.approval_terms() if decision == "approve" else {}
        try:
            services.share_request_decide(
                actor=request.user,
                request=share_request,
                decision=decision,
                reason=form.cleaned_data["reason"],
                **terms,  # type: ignore[arg-type]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return _done(request, share_request, _("Your decision is recorded."))
    share_request = _get(request, pk)  # show the state as it is now
    return _render_detail(request, share_request, decision_form=form)


@login_required
@require_POST
def request_settle(request: AuthedRequest, pk: int) -> HttpResponse:
    """The coordinator settles a request in coordination."""
    share_request = _get(request, pk)
    form = _decision_form(share_request, request.POST, settle=True, prefix="settle")
    if form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        terms = form.approval_terms() if approve else {}
        try:
            services.share_request_settle(
                actor=request.user,
                request=share_request,
                approve=approve,
                reason=form.cleaned_data["reason"],
                **terms,  # type: ignore[arg-type]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return _done(request, share_request, _("The coordination decision is recorded."))
    return _render_detail(request, _get(request, pk), settle_form=form)


@login_required
@require_POST
def request_signoff(request: AuthedRequest, pk: int) -> HttpResponse:
    """The requesting department's approver signs off an outgoing request or returns it."""
    share_request = _get(request, pk)
    form = SignoffForm(request.POST)
    if form.is_valid():
        try:
            services.share_request_signoff(
                actor=request.user,
                request=share_request,
                approve=form.cleaned_data["decision"] == "approve",
                comment=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return _done(request, share_request, _("Your sign-off is recorded."))
    return _render_detail(request, _get(request, pk), signoff_form=form)


@login_required
@require_POST
def request_escalate(request: AuthedRequest, pk: int) -> HttpResponse:
    """Ask the coordinator to settle a rejected request."""
    share_request = _get(request, pk)
    form = ReasonForm(request.POST, prefix="escalate")
    if form.is_valid():
        try:
            services.share_request_escalate(
                actor=request.user, request=share_request, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return _done(request, share_request, _("The coordinator has been asked to settle it."))
    return _render_detail(request, _get(request, pk), escalate_form=form)


@login_required
@require_POST
def request_withdraw(request: AuthedRequest, pk: int) -> HttpResponse:
    """Withdraw an open request."""
    share_request = _get(request, pk)
    try:
        services.share_request_withdraw(actor=request.user, request=share_request)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("sharing:request_detail", pk=pk)
    return _done(request, share_request, _("The request is withdrawn."))


@login_required
def request_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    """Let the requesting department change a request it was asked to change, and resubmit it."""
    share_request = _get(request, pk)
    if not selectors.request_actions(user=request.user, request=share_request).edit:
        return redirect("sharing:request_detail", pk=pk)
    choices = [
        (line.resource, selectors.requestable_items(user=request.user, resource=line.resource))
        for line in share_request.lines.all()
    ]
    initial = {
        "legal_basis": share_request.legal_basis,
        "purpose": share_request.purpose,
        "purpose_other": share_request.purpose_other,
        "scenario": share_request.scenario,
        "valid_from": share_request.valid_from,
        "valid_until": share_request.valid_until,
        **{
            f"items_{line.resource_id}": [i.pk for i in line.items.all()]
            for line in share_request.lines.all()
        },
    }
    form = RequestTermsForm(request.POST or None, initial=initial, item_choices=choices)
    for line in share_request.lines.all():  # tick what was asked, not everything
        form.fields[f"items_{line.resource_id}"].initial = initial[f"items_{line.resource_id}"]
    if request.method == "POST" and form.is_valid():
        try:
            services.share_request_resubmit(
                actor=request.user,
                request=share_request,
                legal_basis=form.cleaned_data["legal_basis"],
                purpose=form.cleaned_data["purpose"],
                purpose_other=form.cleaned_data["purpose_other"],
                scenario=form.cleaned_data["scenario"],
                valid_from=form.cleaned_data["valid_from"],
                valid_until=form.cleaned_data["valid_until"],
                items=form.chosen_items(),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return _done(request, share_request, _("The request is submitted again."))
    return render(
        request, "sharing/request_edit.html", {"share_request": share_request, "form": form}
    )
