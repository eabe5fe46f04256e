"""The service's URLconf plus a view that fails (the error page) and one using the CSP nonce."""

from django.http import HttpResponse
from django.template import engines
from django.urls import path

from planner.web import urls as service_urls


def boom(request):
    """A fault in a view: ZeroDivisionError."""
    return 1 // 0


def nonce(request):
    """A page with an inline script carrying the response's nonce, as a template would write it."""
    template = engines["django"].from_string('<script nonce="{{ csp_nonce }}">let x = 1;</script>')
    return HttpResponse(template.render({}, request))


urlpatterns = [path("boom", boom), path("nonce", nonce), *service_urls.urlpatterns]
for name in ("handler400", "handler403", "handler404", "handler500"):
    if hasattr(service_urls, name):
        globals()[name] = getattr(service_urls, name)
