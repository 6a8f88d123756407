"""Every read of the webhooks app: the caller's subscriptions and their deliveries."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import Department, User

from . import policies
from .models import Delivery, DeliveryAttempt, Subscription


def subscriptions_visible_to(*, user: User) -> QuerySet[Subscription]:
    """Return the subscriptions the user manages (their department's)."""
    return Subscription.objects.filter(policies.subscriptions_visible_q(user)).select_related(
        "created_by"
    )


def deliveries_of(*, user: User, subscription: Subscription) -> QuerySet[Delivery]:
    """Return the deliveries of a subscription the user manages, newest first."""
    if not policies.can_manage_subscription(user, subscription):
        return Delivery.objects.none()
    return Delivery.objects.filter(subscription=subscription).order_by("-created_at", "-id")


def attempts_of(*, deliveries: list[Delivery]) -> dict[int, list[DeliveryAttempt]]:
    """Return the attempt log of deliveries already selected for the caller, by delivery id."""
    log: dict[int, list[DeliveryAttempt]] = {d.pk: [] for d in deliveries}
    for attempt in DeliveryAttempt.objects.filter(delivery__in=deliveries).order_by("-at", "-id"):
        log[attempt.delivery_id].append(attempt)
    return log


def subscriptions_listening(
    *, department_ids: set[int] | None, kind: str
) -> list[tuple[Subscription, Department]]:
    """Return the active subscriptions of the departments (None: of all) that chose the kind.

    The kinds are a JSON list, filtered here rather than in SQL (SQLite has no JSON containment);
    a department has few subscriptions.
    """
    rows = Subscription.objects.filter(active=True)
    if department_ids is not None:
        rows = rows.filter(department_id__in=department_ids)
    return [(s, s.department) for s in rows.select_related("department") if kind in s.kinds]


def department_admins(*, department_id: int) -> QuerySet[User]:
    """Return the active administrators of a department (told when a subscription stops)."""
    return User.objects.filter(
        department_id=department_id,
        is_active=True,
        role_assignments__role__in=policies.department_admin_roles(),
    ).distinct()
