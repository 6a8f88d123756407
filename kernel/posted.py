"""Reading explicit choices from POSTed forms."""

from __future__ import annotations

from django.core.exceptions import BadRequest
from django.http import HttpRequest
from django.utils.translation import gettext as _


def posted_flag(request: HttpRequest, name: str) -> bool:
    """Return a POSTed "1"/"0" choice; a missing or other value is a bad request.

    A state change must be asked for explicitly: an empty POST must never switch anything off.
    """
    value = request.POST.get(name)
    if value not in ("0", "1"):
        raise BadRequest(_("The form did not say what to do."))
    return value == "1"
