"""Request ids (shown on error pages, written to the log) and the session's 12-hour limit."""

from __future__ import annotations

import logging
import secrets
import time

from django.conf import settings
from django.contrib.auth import logout

log = logging.getLogger("planner.web")


class RequestIdMiddleware:
    """Gives each request an id (`request.request_id`, header `X-Request-Id`); an error is logged with it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = secrets.token_hex(8)
        response = self.get_response(request)
        response["X-Request-Id"] = request.request_id
        return response

    def process_exception(self, request, exception):
        log.exception("request %s %s %s failed", request.request_id, request.method, request.path)


class SessionLimitMiddleware:
    """A session ends 12 hours after sign-in however active (idle: SESSION_COOKIE_AGE)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = request.session.get("signed_in_at")
        if started is not None and time.time() - started > settings.SESSION_MAX_SECONDS:
            logout(request)
        return self.get_response(request)
