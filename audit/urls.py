"""URLs of the audit pages."""

from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("", views.event_list, name="event_list"),
    path("export.csv", views.event_export, name="event_export"),
    path("chain/", views.chain_status, name="chain_status"),
    path("reads/", views.data_reads, name="data_reads"),
]
