"""The negative list page (负面清单): what is not shared, and why, known before anyone asks."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ..selectors.negative import resources_not_shared
from .browse import AuthenticatedHttpRequest

PAGE_SIZE = 50


@login_required
@require_GET
def negative_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """List every not-shared resource the viewer may see, with its legal basis."""
    resources = resources_not_shared(user=request.user)
    page = Paginator(resources, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "catalog/negative_list.html", {"page_obj": page})
