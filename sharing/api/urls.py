"""API routes of sharing."""

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("grants", views.GrantViewSet, basename="grant")
router.register("share-requests", views.ShareRequestViewSet, basename="share-request")
router.register("corrections", views.CorrectionViewSet, basename="correction")
router.register("notifications", views.NotificationViewSet, basename="notification")

urlpatterns = router.urls
