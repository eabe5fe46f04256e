"""Production settings: the base settings behind a council's own HTTPS proxy.

    DJANGO_SETTINGS_MODULE=planner.web.settings_production
    PLANNER_ALLOWED_HOSTS=planner.council.example   (required: the names the proxy serves)
    PLANNER_TRUSTED_PROXY=127.0.0.1                 (the proxy's address; default 127.0.0.1)

The proxy terminates TLS and sets `X-Forwarded-Proto: https` (and must overwrite any such
header a client sends). Cookies are then Secure, browsers are told to use HTTPS only
(HSTS, a year), and plain HTTP is redirected, except /healthz for the proxy's own checks.
`python -m django check --deploy` is clean with these (tests/web/test_trust_settings.py).
"""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

from planner.web.settings import *  # noqa: F401,F403  (the base settings, then what production adds)

ALLOWED_HOSTS = [host.strip() for host in os.environ.get("PLANNER_ALLOWED_HOSTS", "").split(",") if host.strip()]
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("PLANNER_ALLOWED_HOSTS must name the host(s) the HTTPS proxy serves")
CSRF_TRUSTED_ORIGINS = [f"https://{host}" for host in ALLOWED_HOSTS if not host.startswith(".")]

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The proxy's address: `planner serve`'s waitress believes X-Forwarded-Proto from it alone
# (waitress drops the header from anyone else, so without this every request looks plain HTTP)
TRUSTED_PROXY = os.environ.get("PLANNER_TRUSTED_PROXY", "127.0.0.1")
SECURE_SSL_REDIRECT = True
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True

SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
