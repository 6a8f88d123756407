"""URL configuration of the portal."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts.forms import SignInForm

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=SignInForm),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("catalog/", include("catalog.urls")),
    path("catalog/", include("datasets.urls")),
    path("sharing/", include("sharing.urls")),
    path("needs/", include("needs.urls")),
    path("exchange/", include("exchange.urls")),
    path("audit/", include("audit.urls")),
    path("accounts/", include("accounts.urls")),
    path("accountability/", include("accountability.urls")),
    path("calendar/", include("workcalendar.urls")),
    path("webhooks/", include("webhooks.urls")),
    path("api/v1/", include("portal.api_urls")),
    path("admin/", admin.site.urls),
]

# Unknown URLs and failures under /api/ answer in the API's JSON error shape.
handler404 = "kernel.api.errors.not_found_handler"
handler500 = "kernel.api.errors.server_error_handler"
