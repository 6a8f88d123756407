"""The integrator API, version 1."""

from django.urls import path  # noqa: F401

app_name = "api"

urlpatterns: list = []
