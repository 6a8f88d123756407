"""URLs of the catalog pages."""

from django.urls import path, re_path

from .views import browse as views
from .views import negative
from .views import resources as manage_resources
from .views import spreadsheets as manage_spreadsheets
from .views import synonyms as manage_synonyms
from .views import systems as manage_systems

app_name = "catalog"

urlpatterns = [
    path("", views.resource_list, name="resource_list"),
    path("search/", views.resource_search, name="search"),
    path("search/suggest/", views.search_suggest, name="search_suggest"),
    path("resources/<int:pk>/", views.resource_detail, name="resource_detail"),
    path("departments/", views.department_list, name="department_list"),
    path("negative-list/", negative.negative_list, name="negative_list"),
    path("departments/<int:pk>/", views.department_detail, name="department_detail"),
    path("categories/", views.category_list, name="category_list"),
    re_path(
        r"^categories/(?P<code>[1-3](?:[0-9]{2}(?:[0-9]{3}(?:[0-9]{3})?)?)?)/$",
        views.category_detail,
        name="category_detail",
    ),
]

# Maintenance: editors' resources, the coordinator's review, versions, systems, Excel in and out.
urlpatterns += [
    path("manage/resources/", manage_resources.resource_mine, name="resource_mine"),
    path("manage/resources/new/", manage_resources.resource_create, name="resource_create"),
    path("manage/resources/<int:pk>/edit/", manage_resources.resource_edit, name="resource_edit"),
    path(
        "manage/resources/<int:pk>/submit/",
        manage_resources.resource_submit,
        name="resource_submit",
    ),
    path(
        "manage/resources/<int:pk>/retire/",
        manage_resources.resource_retire,
        name="resource_retire",
    ),
    path(
        "manage/resources/<int:pk>/scope/",
        manage_resources.resource_scope,
        name="resource_scope",
    ),
    path("manage/review/", manage_resources.resource_review_queue, name="resource_review_queue"),
    path("manage/review/<int:pk>/", manage_resources.resource_review, name="resource_review"),
    path(
        "resources/<int:pk>/versions/",
        manage_resources.resource_versions,
        name="resource_versions",
    ),
    path(
        "resources/<int:pk>/activity/",
        manage_resources.resource_activity,
        name="resource_activity",
    ),
    path("manage/synonyms/", manage_synonyms.synonym_list, name="synonym_list"),
    path("manage/synonyms/new/", manage_synonyms.synonym_create, name="synonym_create"),
    path("manage/synonyms/<int:pk>/edit/", manage_synonyms.synonym_edit, name="synonym_edit"),
    path("manage/synonyms/<int:pk>/delete/", manage_synonyms.synonym_delete, name="synonym_delete"),
    path("systems/", manage_systems.system_list, name="system_list"),
    path("systems/new/", manage_systems.system_create, name="system_create"),
    path("systems/<int:pk>/", manage_systems.system_detail, name="system_detail"),
    path("systems/<int:pk>/edit/", manage_systems.system_edit, name="system_edit"),
    path("systems/<int:pk>/retire/", manage_systems.system_retire, name="system_retire"),
    path("systems/<int:pk>/file/", manage_systems.system_file, name="system_file"),
    path("systems/<int:pk>/approve/", manage_systems.system_approve, name="system_approve"),
    path("systems/<int:pk>/return/", manage_systems.system_return, name="system_return"),
    path("systems/<int:pk>/reconfirm/", manage_systems.system_reconfirm, name="system_reconfirm"),
    path("export/", manage_spreadsheets.resource_export, name="resource_export"),
    path(
        "import/template/",
        manage_spreadsheets.resource_import_template,
        name="resource_import_template",
    ),
    path("import/", manage_spreadsheets.resource_import, name="resource_import"),
    path("import/<int:pk>/", manage_spreadsheets.resource_import_job, name="resource_import_job"),
    path(
        "import/<int:pk>/confirm/",
        manage_spreadsheets.resource_import_confirm,
        name="resource_import_confirm",
    ),
]
