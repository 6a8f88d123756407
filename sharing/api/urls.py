"""API routes of sharing."""

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("grants", views.GrantViewSet, basename="grant")

urlpatterns = router.urls
