"""API routes of the catalog."""

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("categories", views.CategoryViewSet, basename="category")
router.register("systems", views.SystemViewSet, basename="system")
router.register("resources", views.ResourceViewSet, basename="resource")
router.register("code-lists", views.CodeListViewSet, basename="code-list")

urlpatterns = router.urls
