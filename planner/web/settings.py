"""Base settings, from the environment.

- `PLANNER_DB`: a SQLite file path (default `planner.sqlite3` in the current folder) or a
  `postgresql://user:pass@host:port/name` URL. SQLite runs with WAL, IMMEDIATE
  transactions and a 20 s busy timeout, so writers queue instead of failing.
- `PLANNER_SECRET_KEY`: else a key file, created private (0600) beside the SQLite file
  (`<db>.secret`), or `PLANNER_DATA_DIR/secret_key` (default `~/.planner`) for PostgreSQL.
- `DEBUG` is always False here; `planner serve` never turns it on.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent
DB = os.environ.get("PLANNER_DB", "planner.sqlite3")
IS_POSTGRES = DB.startswith(("postgresql://", "postgres://"))


def sqlite_database(path: str) -> dict:
    return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(Path(path).resolve()),
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20,
                        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}}


def postgres_database(url: str) -> dict:
    parts = urlparse(url)
    return {"ENGINE": "django.db.backends.postgresql", "NAME": parts.path.lstrip("/"),
            "USER": unquote(parts.username or ""), "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "", "PORT": str(parts.port or ""), "CONN_MAX_AGE": 0}


def data_dir() -> Path:
    """Where the service keeps its files: beside the SQLite file, else PLANNER_DATA_DIR."""
    if not IS_POSTGRES:
        return Path(DB).resolve().parent
    return Path(os.environ.get("PLANNER_DATA_DIR", Path.home() / ".planner"))


def secret_key() -> str:
    """PLANNER_SECRET_KEY, else the key file (made once, readable by its owner only)."""
    if key := os.environ.get("PLANNER_SECRET_KEY"):
        return key
    path = Path(f"{Path(DB).resolve()}.secret") if not IS_POSTGRES else data_dir() / "secret_key"
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as out:
            out.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


DEBUG = False
SECRET_KEY = secret_key()
ALLOWED_HOSTS = [h for h in os.environ.get("PLANNER_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
DATABASES = {"default": postgres_database(DB) if IS_POSTGRES else sqlite_database(DB)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.auth", "django.contrib.contenttypes", "django.contrib.sessions",
    "django.contrib.messages", "django.contrib.staticfiles",
    "django_otp", "django_otp.plugins.otp_totp", "django_htmx", "django_tasks_db",
    "planner.web", "planner.web.pages",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "planner.web.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "planner.web.middleware.SessionLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]
ROOT_URLCONF = "planner.web.urls"
WSGI_APPLICATION = "planner.web.wsgi.application"
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "DIRS": [], "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.request", "django.template.context_processors.csp",
        "django.contrib.auth.context_processors.auth", "django.contrib.messages.context_processors.messages",
    ]},
}]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
]
LOGIN_URL = "/sign-in"

# Tasks: plans are made by the worker process (`db_worker`), never in a request
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Sessions: 30 minutes idle (the cookie's age, renewed on each request), 12 hours at most
# (SessionLimitMiddleware), HttpOnly and SameSite; secure cookies in settings_production
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_MAX_SECONDS = 12 * 60 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_NAME = "planner_session"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"

# Headers
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

STATIC_URL = "/static/"
STATIC_ROOT = None  # whitenoise serves from the packages (WHITENOISE_USE_FINDERS): no collectstatic
STORAGES = {"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
WHITENOISE_USE_FINDERS = True  # served from the packages' folders: no collectstatic step needed

USE_TZ = True
TIME_ZONE = "Europe/London"
LANGUAGE_CODE = "en-gb"

OTP_TOTP_ISSUER = "planner"
OTP_TOTP_THROTTLE_FACTOR = 0  # the sign-in throttle (throttle.py) limits guessing, per username, as the contract says
API_TOKEN_HOURS = 12
SIGN_IN_FAILURES = 5
SIGN_IN_WINDOW_MINUTES = 15

LOGGING = {
    "version": 1, "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {"django": {"handlers": ["console"], "level": "WARNING"},
                "planner.web": {"handlers": ["console"], "level": "INFO"}},
}
