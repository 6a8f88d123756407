"""Project-wide pages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from catalog.selectors.browse import catalog_overview

# Searches offered on the home page as examples (base categories of the national catalog).
HOME_SEARCH_EXAMPLES = ("人口", "法人", "社会保险", "不动产", "婚姻", "营业执照")


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Render the portal's home page: what the catalog holds for this user."""
    overview = catalog_overview(user=request.user)  # type: ignore[arg-type]  # login_required
    return render(request, "home.html", {"overview": overview, "hot_terms": HOME_SEARCH_EXAMPLES})


@require_GET
@cache_control(max_age=86400, public=True)
def favicon(request: HttpRequest) -> HttpResponse:
    """Send a browser's /favicon.ico to the portal's icon among the static files."""
    return redirect(static("portal/favicon.ico"))


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Answer a load balancer's health check: the process is up and the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
