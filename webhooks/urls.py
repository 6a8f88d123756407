"""URLs of the webhook pages (a department administrator's)."""

from django.urls import path

from . import views

app_name = "webhooks"

urlpatterns = [
    path("", views.subscription_list, name="subscription_list"),
    path("<int:pk>/", views.subscription_detail, name="subscription_detail"),
    path("<int:pk>/rotate/", views.subscription_rotate, name="subscription_rotate"),
    path("<int:pk>/enable/", views.subscription_enable, name="subscription_enable"),
    path("<int:pk>/delete/", views.subscription_delete, name="subscription_delete"),
    path(
        "<int:pk>/deliveries/<int:delivery>/replay/",
        views.delivery_replay,
        name="delivery_replay",
    ),
]
