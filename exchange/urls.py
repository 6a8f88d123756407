"""Web routes of the live exchange."""

from django.urls import path

from . import views

app_name = "exchange"

urlpatterns = [
    path("interfaces/<int:pk>/", views.interface_detail, name="interface_detail"),
    path("availability/", views.city_availability, name="city_availability"),
]
