"""The integrator API, version 1: each app's routes, and the OpenAPI contract with its viewers."""

from django.urls import include, path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)

app_name = "api"

urlpatterns = [
    path("", include("accounts.api.urls")),
    path("", include("accountability.api.urls")),
    path("", include("catalog.api.urls")),
    path("", include("datasets.api.urls")),
    path("", include("exchange.api.urls")),
    path("", include("needs.api.urls")),
    path("", include("sharing.api.urls")),
    path("", include("webhooks.api.urls")),
    path("", include("workcalendar.api.urls")),
    # The contract is public inside the intranet: an integrator reads it before holding a token.
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api:schema", template_name="portal/api/swagger_ui.html"
        ),
        name="docs",
    ),
    path(
        "redoc/",
        SpectacularRedocView.as_view(url_name="api:schema", template_name="portal/api/redoc.html"),
        name="redoc",
    ),
]
