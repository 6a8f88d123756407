"""Project-wide pages."""

from __future__ import annotations

import math

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from catalog.selectors.browse import catalog_overview, facet_cache_seconds, overview_fragment_key
from kernel.db_router import replica_status

from .work import my_work

# Searches offered on the home page as examples (base categories of the national catalog).
HOME_SEARCH_EXAMPLES = ("人口", "法人", "社会保险", "不动产", "婚姻", "营业执照")


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Render the portal's home page: the user's work, then what the catalog holds for them.

    "My work" lists every queue the user has (``portal.work``): its count, its first rows and
    a link to the whole queue. Someone with no queue, or nothing waiting, still gets the search
    and the catalog's overview.
    """
    user = request.user
    overview = catalog_overview(user=user)  # type: ignore[arg-type]  # login_required
    queues = my_work(user=user)
    context = {
        "overview": overview,
        "overview_key": overview_fragment_key(user),  # type: ignore[arg-type]
        "facet_seconds": facet_cache_seconds(),
        "hot_terms": HOME_SEARCH_EXAMPLES,
        "busy_queues": [q for q in queues if q.count],
        "quiet_queues": [q for q in queues if not q.count],
        "after_search": "portal/home_work.html" if queues else "",
    }
    return render(request, "home.html", context)


@require_GET
@cache_control(max_age=86400, public=True)
def favicon(request: HttpRequest) -> HttpResponse:
    """Send a browser's /favicon.ico to the portal's icon among the static files."""
    return redirect(static("portal/favicon.ico"))


def _seconds(value: float | None) -> float | None:
    return round(value, 3) if value is not None and math.isfinite(value) else None


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Answer a load balancer's health check: the process is up and the database answers.

    With a read replica (``DATABASE_REPLICA_URL``) the answer also says how the process last
    found it (``kernel.db_router``; checked again here when that is older than the interval):
    ``ok``, ``lagging`` or ``down``, and its lag in seconds. The portal serves from the primary
    meanwhile, so a replica's trouble does not make the check fail.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    answer: dict[str, object] = {"status": "ok"}
    if "replica" in settings.DATABASES:
        status = replica_status()
        answer["replica"] = (
            {"state": status.state, "lag_seconds": _seconds(status.lag_seconds)}
            if status is not None
            else {"state": "unchecked", "lag_seconds": None}
        )
    return JsonResponse(answer)
