"""API routes of interfaces and the broker."""

from django.urls import re_path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("interfaces", views.InterfaceViewSet, basename="interface")

urlpatterns = [
    *router.urls,
    re_path(
        r"^resources/(?P<code>[0-9]{1,9}/[0-9]{6})/interfaces/"
        r"(?P<interface_name>[A-Za-z][A-Za-z0-9_]{0,39})/call/$",
        views.InterfaceCallByPathView.as_view(),
        name="interface-call-by-path",
    ),
]
