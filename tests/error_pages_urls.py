"""The portal's URLs plus one view that fails, to see the 500 page (tests/test_error_pages.py)."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from portal import urls as portal_urls


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a failure for the error page test")


urlpatterns = [path("boom/", boom), *portal_urls.urlpatterns]
handler404 = portal_urls.handler404
handler500 = portal_urls.handler500
