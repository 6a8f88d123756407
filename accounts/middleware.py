"""Session security: idle timeout, two-factor gate, forced password change after a reset."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from kernel.api.errors import error_body

from .policies import may_sign_in_on_web, requires_two_factor
from .two_factor import has_confirmed_device

LAST_ACTIVITY_KEY = "portal_last_activity"
# Write the timestamp at most this often: every request writing the session row is wasteful.
ACTIVITY_RESOLUTION_SECONDS = 30


class IdleTimeoutMiddleware:
    """Sign a user out after PORTAL_IDLE_TIMEOUT_MINUTES without a request (等级保护 idle timeout)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            last = request.session.get(LAST_ACTIVITY_KEY)
            limit = int(settings.PORTAL_IDLE_TIMEOUT_MINUTES) * 60
            if isinstance(last, int) and now - last > limit:
                logout(request)  # records the sign-out in the audit trail
                messages.warning(
                    request,
                    _("You were signed out after %(minutes)s minutes without activity.")
                    % {"minutes": settings.PORTAL_IDLE_TIMEOUT_MINUTES},
                )
                return redirect_to_login(request.get_full_path())
            if not isinstance(last, int) or now - last >= ACTIVITY_RESOLUTION_SECONDS:
                request.session[LAST_ACTIVITY_KEY] = now
        return self.get_response(request)


def service_account_message() -> str:
    """Return why a service account cannot sign in, in the current language."""
    return _(
        "This is a service account: it cannot sign in on the portal. Its systems call the API "
        "with the tokens its department administrator issues."
    )


class ServiceAccountSessionMiddleware:
    """End any session of a service account: they call the API with tokens, never the pages.

    The sign-in form refuses them already (``accounts.forms.SignInForm``); this covers every
    other way a session could come about (the admin site, a test client's force_login, a
    person's account turned into a service account while signed in).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not may_sign_in_on_web(user):
            logout(request)
            if request.path.startswith("/api/"):
                body = error_body("not_authenticated", service_account_message())
                return JsonResponse(body, status=401)
            messages.error(request, service_account_message())
            return redirect_to_login(request.get_full_path())
        return self.get_response(request)


# Pages a signed-in but not yet verified user may reach.
TWO_FACTOR_OPEN_URLS = ("accounts:otp_verify", "accounts:otp_enrol", "logout", "set_language")


class TwoFactorMiddleware:
    """Send users of privileged roles to enrol in or pass TOTP before any other page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not user.is_verified()
            and requires_two_factor(user)
            and not self._open(request)
            and not self._api_token(request)
        ):
            if request.path.startswith("/api/"):
                body = {
                    "error": {
                        "code": "permission_denied",
                        "message": _("Two-factor verification is required."),
                        "fields": {},
                    }
                }
                return JsonResponse(body, status=403)
            target = "accounts:otp_verify" if has_confirmed_device(user) else "accounts:otp_enrol"
            url = reverse(target)
            return HttpResponseRedirect(f"{url}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    @staticmethod
    def _api_token(request: HttpRequest) -> bool:
        """Return whether an API request carries a token, which then decides who is calling.

        A token is the machine credential of an integrating system. It cannot be a way around
        the second factor: a token acting as a holder of a privileged role was created by that
        holder within minutes of passing the second factor (accounts.policies.
        token_creation_refusal), and a service account holds no such role. So the API
        authenticates it without a session. This only lets the request reach the API's own
        authentication, which tries the token before any session and refuses an invalid one; a
        session cookie sent alongside is then ignored.
        """
        if not request.path.startswith("/api/"):
            return False
        keyword = request.headers.get("Authorization", "").split(" ", 1)[0].lower()
        return keyword in ("token", "bearer")

    @staticmethod
    def _open(request: HttpRequest) -> bool:
        static = "/" + settings.STATIC_URL.lstrip("/")
        if request.path.startswith(static):
            return True
        return request.path in {reverse(name) for name in TWO_FACTOR_OPEN_URLS}


# Pages a user who must change their password may still reach: the change itself, the two
# factor pages (a privileged role confirms the change with a code), signing out, the language.
PASSWORD_CHANGE_OPEN_URLS = (
    "accounts:password_change",
    "accounts:otp_verify",
    "accounts:otp_enrol",
    "logout",
    "set_language",
)


class PasswordChangeRequiredMiddleware:
    """Send a user whose password was reset to the change page until they change it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.must_change_password
            and not self._open(request)
        ):
            if request.path.startswith("/api/"):
                body = {
                    "error": {
                        "code": "permission_denied",
                        "message": _("Change your password on the portal first."),
                        "fields": {},
                    }
                }
                return JsonResponse(body, status=403)
            messages.warning(request, _("Your password was reset. Choose a new one to continue."))
            return HttpResponseRedirect(reverse("accounts:password_change"))
        return self.get_response(request)

    @staticmethod
    def _open(request: HttpRequest) -> bool:
        static = "/" + settings.STATIC_URL.lstrip("/")
        if request.path.startswith(static):
            return True
        return request.path in {reverse(name) for name in PASSWORD_CHANGE_OPEN_URLS}
