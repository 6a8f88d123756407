"""API routes of accountability."""

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("conflicts", views.ConflictViewSet, basename="conflict")

urlpatterns = router.urls
