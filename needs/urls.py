"""URLs of the data needs pages."""

from django.urls import path

from . import views

app_name = "needs"

urlpatterns = [
    path("", views.need_list, name="need_list"),
    path("new/", views.need_new, name="need_new"),
    path("<int:pk>/", views.need_detail, name="need_detail"),
    path("<int:pk>/route/", views.need_route, name="need_route"),
    path("<int:pk>/claim/", views.need_claim, name="need_claim"),
    path("<int:pk>/link/", views.need_link, name="need_link"),
    path("<int:pk>/register/", views.need_register, name="need_register"),
    path("<int:pk>/refuse/", views.need_refuse, name="need_refuse"),
    path("<int:pk>/request/", views.need_request, name="need_request"),
]
