"""API routes of data needs."""

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("needs", views.NeedViewSet, basename="need")

urlpatterns = router.urls
