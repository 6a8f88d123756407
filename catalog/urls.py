"""URLs of the catalog pages."""

from django.urls import path, re_path

from . import views

app_name = "catalog"

urlpatterns = [
    path("", views.resource_list, name="resource_list"),
    path("search/", views.resource_search, name="search"),
    path("resources/<int:pk>/", views.resource_detail, name="resource_detail"),
    path("departments/", views.department_list, name="department_list"),
    path("departments/<int:pk>/", views.department_detail, name="department_detail"),
    path("categories/", views.category_list, name="category_list"),
    re_path(
        r"^categories/(?P<code>[1-3](?:[0-9]{2}(?:[0-9]{3}(?:[0-9]{3})?)?)?)/$",
        views.category_detail,
        name="category_detail",
    ),
]
