"""Pages of the working-day calendar."""

from django.urls import path

from . import views

app_name = "workcalendar"

urlpatterns = [
    path("", views.year_list, name="index"),
    path("<int:year>/", views.year_detail, name="year"),
    path("<int:year>/enter/", views.year_enter, name="enter"),
    path("<int:year>/import/", views.year_import, name="import"),
    path("<int:year>/template.<str:fmt>", views.year_template, name="template"),
    path("<int:year>/official/", views.year_official, name="official"),
    path("<int:year>/reopen/", views.year_reopen, name="reopen"),
]
