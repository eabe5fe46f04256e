"""The service's URLconf plus one view that fails, for the error-page test."""

from django.urls import path

from planner.web import urls as service_urls


def boom(request):
    """A fault in a view: ZeroDivisionError."""
    return 1 // 0


urlpatterns = [path("boom", boom), *service_urls.urlpatterns]
for name in ("handler400", "handler403", "handler404", "handler500"):
    if hasattr(service_urls, name):
        globals()[name] = getattr(service_urls, name)
