"""Production settings: `check --deploy` clean, HSTS, Secure cookies, the proxy's HTTPS header, hosts."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys

import pytest


def run_with(settings: str, tmp_path, code: str | None = None, hosts: str = "planner.council.example", *args):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PLANNER_", "DJANGO_"))}
    env |= {"DJANGO_SETTINGS_MODULE": settings, "PLANNER_DB": str(tmp_path / "planner.sqlite3"),
            "PLANNER_SECRET_KEY": secrets.token_urlsafe(50), "PLANNER_DATA_DIR": str(tmp_path)}
    if hosts is not None:
        env["PLANNER_ALLOWED_HOSTS"] = hosts
    command = [sys.executable, "-c", code] if code else [sys.executable, "-m", "django", *args]
    return subprocess.run(command, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120)


def test_check_deploy_finds_no_issue_with_the_production_settings(tmp_path):
    """`python -m django check --deploy` with settings_production prints no issue, warnings included."""
    done = run_with("planner.web.settings_production", tmp_path, None, "planner.council.example",
                    "check", "--deploy", "--fail-level", "WARNING")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout
    assert "WARNING" not in done.stderr and "?:" not in done.stdout + done.stderr


def test_check_deploy_does_flag_the_base_settings(tmp_path):
    """The same check on the base settings is not clean (so the clean run above means something)."""
    done = run_with("planner.web.settings", tmp_path, None, "planner.council.example",
                    "check", "--deploy", "--fail-level", "WARNING")
    assert done.returncode != 0 and "security.W004" in done.stdout + done.stderr  # no HSTS


PRINT = ("import django, json; django.setup(); from django.conf import settings as s; print(json.dumps({n: "
         "getattr(s, n, None) for n in ('SECURE_HSTS_SECONDS', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', "
         "'SESSION_COOKIE_HTTPONLY', 'SESSION_COOKIE_SAMESITE', 'SECURE_PROXY_SSL_HEADER', 'ALLOWED_HOSTS', "
         "'SECURE_SSL_REDIRECT', 'DEBUG')}))")


def test_production_cookies_are_secure_httponly_samesite_behind_the_proxy(tmp_path):
    """Secure + HttpOnly + SameSite cookies, HSTS for a year, X-Forwarded-Proto trusted, hosts from the environment."""
    done = run_with("planner.web.settings_production", tmp_path, PRINT, "planner.council.example,10.0.0.5")
    assert done.returncode == 0, done.stderr
    values = json.loads(done.stdout.strip().splitlines()[-1])
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"] and values["SESSION_COOKIE_HTTPONLY"]
    assert values["SESSION_COOKIE_SAMESITE"] in ("Lax", "Strict")
    assert values["SECURE_HSTS_SECONDS"] >= 365 * 24 * 3600 and values["SECURE_SSL_REDIRECT"]
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["ALLOWED_HOSTS"] == ["planner.council.example", "10.0.0.5"] and values["DEBUG"] is False


def test_production_settings_refuse_to_start_without_allowed_hosts(tmp_path):
    """Without PLANNER_ALLOWED_HOSTS the production settings refuse, naming the variable."""
    done = run_with("planner.web.settings_production", tmp_path, PRINT, None)
    assert done.returncode != 0 and "PLANNER_ALLOWED_HOSTS" in done.stderr


def test_production_answers_https_only_hsts_and_secure_cookies_through_the_proxy(tmp_path):
    """Behind the proxy (X-Forwarded-Proto: https) answers carry HSTS; plain HTTP is redirected, /healthz not."""
    code = ("import django; django.setup(); from django.test import Client; from django.test.utils import "
            "setup_test_environment; setup_test_environment(); c = Client(HTTP_HOST='planner.council.example');"
            "a = c.get('/healthz'); b = c.get('/healthz', headers={'X-Forwarded-Proto': 'https'});"
            "d = c.get('/api/me');"
            "print(a.status_code, b.status_code, b.get('Strict-Transport-Security'), d.status_code,"
            " d.get('Location'), sep='|')")
    done = run_with("planner.web.settings_production", tmp_path, code)
    assert done.returncode == 0, done.stderr
    plain, proxied, hsts, redirected, location = done.stdout.strip().splitlines()[-1].split('|')
    assert proxied == "200" and "max-age=31536000" in hsts and "includeSubDomains" in hsts
    assert redirected == "301" and location.startswith("https://planner.council.example/")
    assert plain == "200"  # the proxy's own health check over plain HTTP


def test_planner_serve_runs_with_the_production_settings(tmp_path):
    """`planner serve` with settings_production, behind the proxy, answers itself (no redirect loop) with HSTS."""
    from benchmarks.live_service import Service
    env = {"DJANGO_SETTINGS_MODULE": "planner.web.settings_production", "PLANNER_ALLOWED_HOSTS": "127.0.0.1",
           "PLANNER_SECRET_KEY": secrets.token_urlsafe(50)}
    service = Service(str(tmp_path / "planner.sqlite3"), tmp_path, env).start()
    try:
        headers: dict = {}
        status, _ = service.call("GET", "/api/me", headers={"X-Forwarded-Proto": "https"}, response_headers=headers)
        assert status == 401 and "max-age=31536000" in headers.get("Strict-Transport-Security", "")
    finally:
        service.stop()


def test_the_database_shown_by_serve_has_no_password():
    """`planner serve`'s first line shows a PostgreSQL URL without its password, a SQLite path as it is."""
    from planner.web.serve import shown_db
    assert shown_db("postgresql://planner_app:s3cret-pw@127.0.0.1:5432/planner") == \
        "postgresql://planner_app:***@127.0.0.1:5432/planner"
    assert shown_db("/srv/planner/planner.sqlite3") == "/srv/planner/planner.sqlite3"
