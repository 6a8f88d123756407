"""API routes of the directory: departments and the caller."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("departments", views.DepartmentViewSet, basename="department")

urlpatterns = [path("me/", views.MeView.as_view(), name="me"), *router.urls]
