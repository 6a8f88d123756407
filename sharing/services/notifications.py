"""Notifications: a row in each recipient's in-portal inbox, and an e-mail after commit."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import Role, User
from catalog import policies as catalog_policies
from catalog.models import CatalogImportJob, InformationSystem, Resource

from ..models import Notification
from ..policies import may_be_told, may_hear_of_resource
from ..selectors import coordinators, people_with_role, resource_audience

logger = logging.getLogger(__name__)


def notify(
    recipients: Iterable[User],
    *,
    kind: str,
    url: str = "",
    min_clearance: int = 1,
    **params: Any,
) -> list[Notification]:
    """Put a notification in each recipient's inbox and e-mail it once the transaction commits.

    ``min_clearance`` is the highest level the message names: a recipient below it gets nothing,
    because even a resource's name is invisible above one's clearance.
    """
    people = {u.pk: u for u in recipients if may_be_told(u, min_clearance)}
    params = {k: str(v) for k, v in params.items()}
    rows = Notification.objects.bulk_create(
        [Notification(recipient=u, kind=kind, url=url, params=params) for u in people.values()]
    )
    mailable = [(n, people[n.recipient_id].email) for n in rows if people[n.recipient_id].email]
    if mailable:
        transaction.on_commit(lambda: _mail(mailable))
    return rows


def _mail(messages: list[tuple[Notification, str]]) -> None:
    # E-mail goes out in the portal's language; the inbox renders in the reader's.
    with translation.override(settings.LANGUAGE_CODE):
        for notification, address in messages:
            try:
                send_mail(
                    subject=str(notification.get_kind_display()),
                    message=notification.text,
                    from_email=None,
                    recipient_list=[address],
                )
            except OSError:  # the inbox row exists; a mail outage must not break the action
                logger.exception("Could not e-mail notification %s", notification.pk)


def on_resource_returned(
    sender: Any, *, resource: Resource, comment: str, actor: User | None, **kwargs: Any
) -> None:
    """Receiver of ``catalog.signals.resource_returned``: tell the editors, with the comment.

    The editors are the provider's catalog editors and whoever registered the resource, if they
    may still change it; the reviewer is not told of their own act.
    """
    editors = list(people_with_role(resource.provider_id, Role.EDITOR))
    creator = resource.created_by
    if creator is not None and catalog_policies.can_change_resource(creator, resource):
        editors.append(creator)
    notify(
        [u for u in editors if actor is None or u.pk != actor.pk],
        kind=Notification.Kind.RESOURCE_RETURNED,
        url=reverse("catalog:resource_detail", args=[resource.pk]),
        min_clearance=resource.level,
        resource=resource.name,
        comment=comment,
    )


def on_catalog_import_abandoned(sender: Any, *, job: CatalogImportJob, **kwargs: Any) -> None:
    """Receiver of ``catalog.signals.import_job_abandoned``: tell the uploader, with the file.

    Only the uploader sees the job's page (``catalog.policies.can_see_import_job``); the message
    names nothing but the file the uploader chose.
    """
    notify(
        [job.created_by],
        kind=Notification.Kind.CATALOG_IMPORT_FAILED,
        url=reverse("catalog:resource_import_job", args=[job.pk]),
        file=job.file_name,
    )


def on_system_decided(
    sender: Any,
    *,
    system: InformationSystem,
    approved: bool,
    actor: User | None,
    **kwargs: Any,
) -> None:
    """Receiver of ``catalog.signals.system_decided``: tell the filer the code or the reason.

    The registry is not classified, so no clearance limits who hears of a system; a filer who
    left (deactivated) or who decided it themselves is not told.
    """
    filer = system.filed_by
    if filer is None or not filer.is_active or (actor is not None and filer.pk == actor.pk):
        return
    url = reverse("catalog:system_detail", args=[system.pk])
    if approved:
        notify(
            [filer],
            kind=Notification.Kind.SYSTEM_APPROVED,
            url=url,
            system=system.name,
            code=system.code or "",
        )
    else:
        notify(
            [filer],
            kind=Notification.Kind.SYSTEM_RETURNED,
            url=url,
            system=system.name,
            reason=system.return_reason,
        )


def resource_audience_notify(
    resource: Resource, *, kind: str, actor: User | None, **params: Any
) -> list[Notification]:
    """Tell a resource's consumers and followers, once each, who may still see it.

    The audience is every active user of a department holding a grant in force on the resource
    and every follower of it; of those, only whom the catalog's visibility rule still admits
    (``policies.may_hear_of_resource``) is told, and never the actor of the change.
    """
    recipients = [
        user
        for user in resource_audience(resource=resource)
        if (actor is None or user.pk != actor.pk) and may_hear_of_resource(user, resource)
    ]
    return notify(
        recipients,
        kind=kind,
        url=reverse("catalog:resource_detail", args=[resource.pk]),
        resource=resource.name,
        **params,
    )


def on_resource_retired(
    sender: Any, *, resource: Resource, actor: User | None, **kwargs: Any
) -> None:
    """Receiver of ``catalog.signals.resource_retired``: tell consumers and followers why."""
    resource_audience_notify(
        resource,
        kind=Notification.Kind.RESOURCE_RETIRED,
        actor=actor,
        reason=resource.retired_reason,
    )


def on_resource_changed(
    sender: Any, *, resource: Resource, change: str, actor: User | None, **kwargs: Any
) -> None:
    """Receiver of ``catalog.signals.resource_changed``: its data items or level changed."""
    resource_audience_notify(
        resource,
        kind=Notification.Kind.RESOURCE_CHANGED,
        actor=actor,
        version=resource.version,
        change=change,
    )


def resource_new_data_notify(
    *, resource: Resource, version_number: int, actor: User | None
) -> list[Notification]:
    """Tell consumers and followers that a new version of the resource's data is in use.

    Called by the datasets app (above sharing) when it activates a data version.
    """
    return resource_audience_notify(
        resource,
        kind=Notification.Kind.RESOURCE_NEW_DATA,
        actor=actor,
        version=version_number,
    )


def resource_quality_drop_notify(
    *,
    resource: Resource,
    version_number: int,
    score: int,
    previous_score: int,
    items: list[str],
) -> list[Notification]:
    """Tell the provider and the resource's consumers and followers that its data got worse.

    Called by the datasets app once the new version's quality profile is stored. The provider
    hears through its catalog editors and approvers (who keep the data); consumers and followers
    are the audience of every resource notice, each only if the visibility rule still admits
    them. The message names the resource, the scores and the items whose completeness fell:
    catalog metadata, never a value. One notification per person.
    """
    provider = people_with_role(resource.provider_id, Role.EDITOR, Role.APPROVER)
    audience = [
        u for u in resource_audience(resource=resource) if may_hear_of_resource(u, resource)
    ]
    return notify(
        [*provider, *audience],
        kind=Notification.Kind.RESOURCE_QUALITY_DROP,
        url=reverse("catalog:resource_detail", args=[resource.pk]),
        min_clearance=resource.level,
        resource=resource.name,
        version=version_number,
        score=score,
        previous=previous_score,
        items="、".join(items) or "—",
    )


def notifications_mark_read(*, actor: User, pks: list[int] | None = None) -> int:
    """Mark the actor's notifications (all, or the given ones) read; return how many."""
    qs = Notification.objects.filter(recipient_id=actor.pk, read_at__isnull=True)
    if pks is not None:
        qs = qs.filter(pk__in=pks)
    return qs.update(read_at=timezone.now())


__all__ = [
    "coordinators",
    "notifications_mark_read",
    "notify",
    "on_catalog_import_abandoned",
    "on_resource_changed",
    "on_resource_retired",
    "on_resource_returned",
    "on_system_decided",
    "people_with_role",
    "resource_audience_notify",
    "resource_new_data_notify",
    "resource_quality_drop_notify",
]
