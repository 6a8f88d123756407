"""Passwords: the holder changes theirs; an administrator resets someone else's.

A change asks for the old password, and from holders of a privileged role
(``policies.PASSWORD_SECOND_FACTOR_ROLES``) a fresh code from their authenticator too. A reset
sets a temporary password, shown once to the administrator, and makes the holder change it at
the next sign-in (``User.must_change_password``, enforced by
``accounts.middleware.PasswordChangeRequiredMiddleware``). Both end the account's other
sessions and leave an audit event; neither ever records a password.
"""

from __future__ import annotations

import secrets
from importlib import import_module

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AuditEvent
from audit.services import record
from kernel.policies import require

from .. import policies
from ..models import User

# Session engines whose sessions are rows in the database, which can be listed and ended.
DATABASE_SESSION_ENGINES = (
    "django.contrib.sessions.backends.db",
    "django.contrib.sessions.backends.cached_db",
)
# No 0/O, 1/l/I: the temporary password is read out or typed from a screen.
TEMPORARY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789"
TEMPORARY_GROUPS = 4
TEMPORARY_GROUP_LENGTH = 4


def _temporary_password() -> str:
    """Return a random password of four groups of four characters (about 93 bits)."""
    return "-".join(
        "".join(secrets.choice(TEMPORARY_ALPHABET) for _i in range(TEMPORARY_GROUP_LENGTH))
        for _g in range(TEMPORARY_GROUPS)
    )


def sessions_end(*, user: User, keep_session_key: str | None = None) -> int:
    """End the user's signed-in sessions but the one kept; return how many ended.

    Django already refuses a session whose password hash no longer matches (the session auth
    hash), so after a password change the other sessions would fail at their next request;
    deleting them also ends them where the hash check does not run, and frees the rows.
    """
    if settings.SESSION_ENGINE not in DATABASE_SESSION_ENGINES:
        return 0
    store = import_module(settings.SESSION_ENGINE).SessionStore
    ended = 0
    # Sessions are opaque rows: each live one is decoded to find the account it belongs to.
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.session_key == keep_session_key:
            continue
        data = session.get_decoded()
        if str(data.get(SESSION_KEY)) == str(user.pk) and HASH_SESSION_KEY in data:
            store(session_key=session.session_key).delete()
            ended += 1
    return ended


def _refuse(user: User, reason: str, field: str, message: str) -> ValidationError:
    record(
        actor=user,
        action="password.change",
        obj=user,
        result=AuditEvent.Result.FAILURE,
        details={"reason": reason},
    )
    return ValidationError({field: message})


def _check_second_factor(user: User, otp_token: str) -> None:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        raise ValidationError(
            {
                "otp_token": _(
                    "Your role asks for a code from an authenticator app to change the "
                    "password. Enrol one first."
                )
            }
        )
    # verify_token refuses a code already used and slows down repeated failures (django-otp).
    if not otp_token.strip() or not device.verify_token(otp_token.strip()):
        raise _refuse(user, "second_factor", "otp_token", _("The code is not correct."))


def password_change(
    *,
    actor: User | None,
    user: User,
    old_password: str,
    new_password: str,
    otp_token: str = "",
    keep_session_key: str | None = None,
) -> User:
    """Change the holder's password after checking the old one (and a fresh code if required).

    Not atomic as a whole on purpose: a wrong old password or code is recorded even though the
    caller gets an error. The caller keeps its own session (``update_session_auth_hash``).
    """
    require(
        actor,
        policies.can_change_password,
        user,
        message=_("Only the account holder may change their password."),
    )
    if not user.check_password(old_password):
        raise _refuse(
            user, "old_password", "old_password", _("The current password is not correct.")
        )
    if policies.password_change_needs_second_factor(user):
        _check_second_factor(user, otp_token)
    if user.check_password(new_password):
        raise ValidationError(
            {"new_password1": _("The new password must differ from the current one.")}
        )
    try:
        validate_password(new_password, user=user)
    except ValidationError as exc:
        raise ValidationError({"new_password1": exc.messages}) from exc
    with transaction.atomic():
        user.set_password(new_password)
        user.must_change_password = False
        user.save(update_fields=["password", "must_change_password"])
        ended = sessions_end(user=user, keep_session_key=keep_session_key)
        record(actor=user, action="password.change", obj=user, details={"sessions_ended": ended})
    return user


@transaction.atomic
def password_reset(*, actor: User | None, user: User) -> str:
    """Give someone else a temporary password and return it (shown once, never stored in clear).

    The holder must change it at the next sign-in; their sessions end now, and any sign-in
    lockout of the account is lifted so the temporary password can be used at once.
    """
    require(
        actor,
        policies.can_reset_password,
        user,
        message=_(
            "Only the security administrator, or the department administrator for the "
            "accounts they manage, may reset someone else's password."
        ),
    )
    temporary = _temporary_password()
    user.set_password(temporary)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    ended = sessions_end(user=user)
    axes_reset(username=user.username)
    record(
        actor=actor,
        action="user.password_reset",
        obj=user,
        details={"method": "temporary_password", "sessions_ended": ended},
    )
    return temporary
