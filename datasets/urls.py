"""URLs of data delivery: uploads, import jobs, downloads, and who read the data.

They sit under the catalog's prefix (``/catalog/resources/<pk>/data/…``): the data is a
resource's, and its pages are reached from the resource's page.
"""

from django.urls import path

from . import views

app_name = "datasets"

urlpatterns = [
    path("resources/<int:pk>/data/upload/", views.data_upload, name="data_upload"),
    path("data/jobs/<int:pk>/", views.data_job, name="data_job"),
    path("resources/<int:pk>/data.<str:format>", views.data_download, name="data_download"),
    path("resources/<int:pk>/data/reads/", views.data_reads, name="data_reads"),
]
