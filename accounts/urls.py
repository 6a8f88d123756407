"""URLs of the accounts pages."""

from django.urls import path  # noqa: F401

app_name = "accounts"

urlpatterns: list = []
