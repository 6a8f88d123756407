"""Writes to API tokens: issue, revoke, and the authentication check that stamps last use.

Why SHA-256 and not the password hasher: a key is 32 random bytes (256 bits) from ``secrets``,
so no dictionary or brute-force attack on a leaked digest is feasible, and a slow hash (Argon2)
would add tens of milliseconds to every API call without adding security. A plain digest also
lets the database find the token by an indexed equality lookup instead of trying every row.
"""

from __future__ import annotations

import hashlib
import ipaddress
import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.failures import record_failure
from audit.services import record
from kernel.compiled import CompiledQuery, Param
from kernel.policies import require

from .. import policies
from ..models import ApiToken, User

KEY_PREFIX = "gdp_"
PREFIX_LENGTH = 12  # "gdp_" and eight random characters, kept in clear
# Stamp last use at most this often, so a busy integrator does not cause a write per request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def key_digest(key: str) -> str:
    """Return the stored digest of a key."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _new_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def _clean_scopes(scopes: Iterable[str]) -> str:
    chosen = {s.strip() for s in scopes if s.strip()}
    unknown = chosen - set(ApiToken.Scope.values)
    if unknown:
        raise ValidationError(
            {"scopes": _("Unknown scopes: %(scopes)s.") % {"scopes": ", ".join(sorted(unknown))}}
        )
    if not chosen:
        raise ValidationError({"scopes": _("Choose at least one scope.")})
    # Writing needs reading the object written to: a write token always reads too.
    return "read,write" if ApiToken.Scope.WRITE in chosen else "read"


def clean_networks(networks: Iterable[str] | str) -> list[str]:
    """Return the client networks a token is limited to, normalised (``10.0.0.0/8``).

    Accepts CIDRs and single addresses, separated by commas, spaces or new lines; a host part
    is cut off (``10.1.2.3/8`` becomes ``10.0.0.0/8``). Raise ``ValidationError`` on the first
    value that is not a network, and when there are more than ``API_TOKEN_MAX_NETWORKS``.
    """
    if isinstance(networks, str):
        networks = networks.replace(",", " ").split()
    cleaned: list[str] = []
    for value in networks:
        value = value.strip()
        if not value:
            continue
        try:
            network = str(ipaddress.ip_network(value, strict=False))
        except ValueError as exc:
            raise ValidationError(
                {
                    "allowed_networks": _(
                        "“%(value)s” is not a network: write it as an address with a prefix "
                        "length, e.g. 10.0.0.0/8 or 2001:db8::/32."
                    )
                    % {"value": value}
                }
            ) from exc
        if network not in cleaned:
            cleaned.append(network)
    limit = int(settings.API_TOKEN_MAX_NETWORKS)
    if len(cleaned) > limit:
        raise ValidationError(
            {"allowed_networks": _("A token may name at most %(max)s networks.") % {"max": limit}}
        )
    return cleaned


def _require_may_create(actor: User | None, user: User, second_factor_at: datetime | None) -> None:
    reason = policies.token_creation_refusal(actor, user, second_factor_at=second_factor_at)
    if reason is not None:
        raise PermissionDenied(reason)


def _require_may_revoke(actor: User | None, user: User) -> None:
    require(
        actor,
        policies.can_revoke_token_of,
        user,
        message=_("Only the holder or the department administrator may revoke this token."),
    )


@transaction.atomic
def token_create(
    *,
    actor: User | None,
    user: User,
    name: str,
    scopes: Iterable[str],
    days: int | None = None,
    allowed_networks: Iterable[str] | str = (),
    second_factor_at: datetime | None = None,
) -> tuple[ApiToken, str]:
    """Issue a token for a user; return it with its key, which is never available again.

    ``second_factor_at`` is when the actor last proved their second factor (the session's
    verification, or now for a code the command checked); a holder of a privileged role needs it
    recent (``policies.token_creation_refusal``). ``allowed_networks`` limits the client
    addresses the token works from.
    """
    _require_may_create(actor, user, second_factor_at)
    errors: dict[str, list[str]] = {}
    name = name.strip()
    if not name:
        errors.setdefault("name", []).append(_("Name the system that will use the token."))
    if not user.is_active:
        errors.setdefault("user", []).append(_("The account is disabled."))
    days = settings.API_TOKEN_DEFAULT_DAYS if days is None else days
    if not 1 <= days <= settings.API_TOKEN_MAX_DAYS:
        errors.setdefault("days", []).append(
            _("A token is valid for 1 to %(max)s days.") % {"max": settings.API_TOKEN_MAX_DAYS}
        )
    try:
        scope_value = _clean_scopes(scopes)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    networks: list[str] = []
    try:
        networks = clean_networks(allowed_networks)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    key = _new_key()
    token = ApiToken(
        user=user,
        name=name,
        prefix=key[:PREFIX_LENGTH],
        key_hash=key_digest(key),
        scopes=scope_value,
        allowed_networks=networks,
        created_by=actor,
        expires_at=timezone.now() + timedelta(days=days),
    )
    token.full_clean()
    token.save()
    record(
        actor=actor,
        action="api_token.create",
        obj=token,
        details={
            "user": user.username,
            "prefix": token.prefix,
            "scopes": token.scopes,
            "expires_at": token.expires_at.isoformat(),
            "allowed_networks": networks,
        },
    )
    return token, key


@transaction.atomic
def token_revoke(*, actor: User | None, token: ApiToken) -> ApiToken:
    """Revoke a token: it stops working at once."""
    token = ApiToken.objects.select_for_update().select_related("user").get(pk=token.pk)
    _require_may_revoke(actor, token.user)
    if token.revoked_at is not None:
        raise ValidationError(_("The token is already revoked."))
    token.revoked_at = timezone.now()
    token.revoked_by = actor
    token.save(update_fields=["revoked_at", "revoked_by"])
    record(
        actor=actor,
        action="api_token.revoke",
        obj=token,
        details={"user": token.user.username, "prefix": token.prefix},
    )
    return token


@transaction.atomic
def tokens_revoke_second_factor_breaches(
    *, actor: User | None = None, holder: User | None = None
) -> list[ApiToken]:
    """Revoke the tokens that let someone act as a privileged account without its second factor.

    Without ``holder``: every unrevoked token a holder of a privileged role did not create
    themself, issued before the second-factor rule (``policies.token_creation_refusal``); the
    data migration accounts/0004 calls this. With ``holder``, an account that has just gained
    its first privileged role (``role_assign``): all of its unrevoked tokens, created when it
    needed no second factor. Each revocation writes a ``token.revoked`` event with the reason,
    visible to the holder; the token page shows the token as revoked with the reason.
    """
    rule = (
        policies.tokens_breaking_second_factor_rule_q()
        if holder is None
        else policies.tokens_made_before_second_factor_role_q(holder)
    )
    ids = list(ApiToken.objects.filter(rule).values_list("pk", flat=True).distinct())
    tokens = list(
        ApiToken.objects.select_for_update()
        .filter(pk__in=ids)
        .select_related("user")
        .order_by("pk")
    )
    now = timezone.now()
    reason = ApiToken.RevokeReason.SECOND_FACTOR_RULE
    for token in tokens:
        token.revoked_at = now
        token.revoked_by = actor
        token.revoke_reason = reason
        token.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
        record(
            actor=actor,
            action="token.revoked",
            obj=token,
            details={
                "user": token.user.username,
                "prefix": token.prefix,
                "reason": str(reason.value),
                "created_by": token.created_by_id,
            },
        )
    return tokens


def _refusal(token: ApiToken | None) -> str:
    if token is None:
        return "unknown"
    if token.revoked_at is not None:
        return "revoked"
    if token.expires_at <= timezone.now():
        return "expired"
    if not token.user.is_active:
        return "inactive_user"
    return "address"


# Every API request authenticates: both queries are compiled once (kernel.compiled).
_TOKEN = CompiledQuery(
    lambda: ApiToken.objects.select_related("user", "user__department").filter(
        key_hash=Param("key_hash", models.CharField())
    )
)


def token_authenticate(*, key: str, client_address: str | None = None) -> ApiToken | None:
    """Return the usable token for a key (stamping its last use), or None after auditing.

    A token limited to networks works only from a client address inside one of them
    (``client_address`` as ``audit.middleware.client_address`` finds it); from elsewhere, or
    from an unknown address, it is refused like an invalid one.
    """
    found = _TOKEN(key_hash=key_digest(key))
    token = found[0] if found else None
    now = timezone.now()
    if (
        token is None
        or not token.is_usable(now)
        or not token.user.is_active
        or not token.allows_address(client_address)
    ):
        # Counted per client address: past the limit, one event per address and minute.
        record_failure(
            counter="api_token",
            actor=token.user if token is not None else None,
            action="api_token.authenticate",
            obj=token,
            # The prefix is public by design; the rest of a presented key is never stored.
            details={
                "prefix": key[:PREFIX_LENGTH],
                "reason": _refusal(token),
            },
        )
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        # Conditional update: concurrent requests in the same minute write once between them.
        ApiToken.objects.filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - LAST_USED_RESOLUTION),
            pk=token.pk,
        ).update(last_used_at=now)
        token.last_used_at = now
    return token
