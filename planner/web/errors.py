"""The service's error pages: no traceback, the request id to quote (the error is in the log under it).

Registered in urls.py (`handler500`, `handler404`, `handler403`); RequestIdMiddleware gives
each request its id and logs a failing view's exception with it.
"""

from __future__ import annotations

from django.shortcuts import render

TITLES = {403: "Not allowed", 404: "Not found", 500: "Something went wrong"}


def page(request, status: int):
    """The plain error page of `status`, quoting the request id (never a traceback)."""
    context = {"status": status, "title": TITLES[status], "request_id": getattr(request, "request_id", "")}
    return render(request, "web/error.html", context, status=status)


def server_error(request):
    return page(request, 500)


def not_found(request, exception=None):
    return page(request, 404)


def forbidden(request, exception=None):
    return page(request, 403)
