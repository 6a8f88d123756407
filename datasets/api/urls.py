"""API routes of data delivery: detail actions on the catalog's resources (rows, verify, push)."""

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
# Only detail actions on the catalog's prefix: no list or detail routes of its own.
router.register("resources", views.ResourceDataViewSet, basename="resource-data")

urlpatterns = router.urls
