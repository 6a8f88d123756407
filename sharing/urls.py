"""URLs of the sharing pages."""

from django.urls import path  # noqa: F401

app_name = "sharing"

urlpatterns: list = []
