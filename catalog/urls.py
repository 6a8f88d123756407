"""URLs of the catalog pages."""

from django.urls import path

app_name = "catalog"

urlpatterns: list = []

# Data delivery pages (catalog/views_data.py).
from . import views_data  # noqa: E402

urlpatterns += [
    path("resources/<int:pk>/data/upload/", views_data.data_upload, name="data_upload"),
    path("data/jobs/<int:pk>/", views_data.data_job, name="data_job"),
    path(
        "resources/<int:pk>/data.<str:format>",
        views_data.data_download,
        name="data_download",
    ),
    path("resources/<int:pk>/data/reads/", views_data.data_reads, name="data_reads"),
]
