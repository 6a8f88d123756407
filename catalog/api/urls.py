"""API routes of the catalog."""

from rest_framework.routers import SimpleRouter

from . import data_views, views

router = SimpleRouter()
router.register("categories", views.CategoryViewSet, basename="category")
router.register("systems", views.SystemViewSet, basename="system")
router.register("resources", views.ResourceViewSet, basename="resource")
# Only detail actions (rows, verify) on the same prefix: no list or detail routes of its own.
router.register("resources", data_views.ResourceDataViewSet, basename="resource-data")

urlpatterns = router.urls
