"""URLs of the evaluation pages and the service-item lists."""

from django.urls import path

from . import views

app_name = "accountability"

urlpatterns = [
    path("", views.index, name="index"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("departments/<int:pk>/", views.scorecard, name="scorecard"),
    path("report/", views.report, name="report"),
    path("report.xlsx", views.report_xlsx, name="report_xlsx"),
    path("requests/", views.request_drilldown, name="request_drilldown"),
    path("corrections/", views.correction_drilldown, name="correction_drilldown"),
    path("resources/", views.resource_drilldown, name="resource_drilldown"),
    path("duplicates/", views.duplicates, name="duplicates"),
    path("links/", views.item_links, name="item_links"),
    path("links/new/", views.item_link_new, name="item_link_new"),
    path("links/<int:pk>/compare/", views.item_link_compare, name="item_link_compare"),
    path("links/<int:pk>/delete/", views.item_link_delete, name="item_link_delete"),
    path("conflicts/", views.conflicts, name="conflicts"),
    path("conflicts/<int:pk>/", views.conflict_detail, name="conflict_detail"),
    path("conflicts/<int:pk>/correct/", views.conflict_correct, name="conflict_correct"),
    path("zombie-systems/", views.zombies, name="zombies"),
    path("zombie-systems/unconfirmed/", views.unconfirmed, name="unconfirmed_systems"),
    path("service-items/", views.service_item_list, name="service_item_list"),
    path("service-items/import/", views.service_item_import, name="service_item_import"),
    path("service-items/template.xlsx", views.service_item_template, name="service_item_template"),
    path("service-items/<int:pk>/", views.service_item_page, name="service_item_detail"),
]
