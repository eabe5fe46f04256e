"""Headers, cookies, sessions, the sign-in throttle, disabling a user, CSRF and secrets (issue 26).

Each test goes through the service's surface (the pages, the JSON API, the feed) with
Django's test client; users and the team are set up with actions.py as the CLI does.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import time

import pytest
import time_machine
from django.conf import settings
from django.test import Client

from benchmarks.live_service import PASSWORD, totp
from web.trust_helpers import crawl, is_signed_in, people, sign_in

pytestmark = pytest.mark.django_db
START = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.timezone.utc)


@pytest.fixture
def users(db):
    return people()


def api_token(client: Client, username: str, otp_uri: str | None = None, password: str = PASSWORD):
    """POST /api/token; a second factor's code is the next time step's (the page may have used this one)."""
    body = {"username": username, "password": password} | ({"otp": totp(otp_uri, time.time() + 30)} if otp_uri else {})
    return client.post("/api/token", json.dumps(body), content_type="application/json")


def signed_in_clients(users) -> dict[str, Client]:
    clients = {"signed out": Client()}
    for role in ("manager", "worker", "lead", "admin"):
        client = Client()
        user, uri = users[role]
        assert sign_in(client, user.username, uri).status_code in (200, 302)
        clients[role] = client
    return clients


def csp_of(response) -> dict[str, list[str]]:
    header = response.get("Content-Security-Policy", "")
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


# ------------------------------------------------------------------ headers and pages

def test_every_page_has_a_nonce_csp_and_no_inline_script_without_its_nonce(users):
    """Every page of every role: object-src/frame-ancestors 'none', inline scripts nonced, no on* handler."""
    pages = 0
    for role, client in signed_in_clients(users).items():
        for url, response, page in crawl(client, starts=("/", settings.LOGIN_URL)):
            pages += 1
            policy = csp_of(response)
            assert policy.get("object-src") == ["'none'"], (role, url, policy)
            assert policy.get("frame-ancestors") == ["'none'"], (role, url)
            scripts = policy.get("script-src", policy.get("default-src", []))
            assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts, (role, url)
            nonces = [re.fullmatch(r"'nonce-(.+)'", s).group(1) for s in scripts if s.startswith("'nonce-")]
            assert len(nonces) <= 1, (role, url, scripts)
            for script in page.scripts:
                if script["inline"] or "src" not in script["attrs"]:  # inline: runs only with this response's nonce
                    assert nonces and script["attrs"].get("nonce") == nonces[0], (role, url, script)
            assert page.handlers == [], (role, url, page.handlers)
    assert pages >= 5


def test_nonces_differ_between_requests(users, settings):
    """A page using the nonce gets it in its CSP header, a new one for each response."""
    settings.ROOT_URLCONF = "web.trust_failing_urls"
    client = Client()
    seen = []
    for _ in range(2):
        response = client.get("/nonce")
        nonce = re.search(r'nonce="([^"]+)"', response.content.decode()).group(1)
        assert f"'nonce-{nonce}'" in csp_of(response)["script-src"]
        seen.append(nonce)
    assert seen[0] != seen[1] and len(seen[0]) >= 16


def test_nosniff_referrer_policy_and_no_framing_on_pages_and_api(users):
    """nosniff and a Referrer-Policy on a page, the API and /healthz alike."""
    client = Client()
    for path in (settings.LOGIN_URL, "/api/me", "/healthz"):
        response = client.get(path)
        assert response.get("X-Content-Type-Options") == "nosniff", path
        assert response.get("Referrer-Policy") in ("no-referrer", "same-origin", "strict-origin",
                                                   "strict-origin-when-cross-origin"), path


def test_session_and_csrf_cookies_are_httponly_and_samesite(users):
    """After signing in, the session cookie is HttpOnly and SameSite; the CSRF cookie is SameSite."""
    client = Client()
    user, uri = users["worker"]
    sign_in(client, user.username, uri)
    session = client.cookies[settings.SESSION_COOKIE_NAME]
    assert session["httponly"] and session["samesite"] in ("Lax", "Strict")
    csrf = client.cookies.get(settings.CSRF_COOKIE_NAME)
    assert csrf is None or csrf["samesite"] in ("Lax", "Strict")


def test_an_error_page_shows_a_request_id_and_no_traceback_and_logs_the_error(users, caplog, settings):
    """A view that fails answers 500 with a request id on the page, no traceback, and the error in the log."""
    settings.ROOT_URLCONF = "web.trust_failing_urls"
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.ERROR):
        response = client.get("/boom")
    assert response.status_code == 500
    body = response.content.decode()
    request_id = response.get("X-Request-Id")
    assert request_id and request_id in body
    assert "Traceback" not in body and "ZeroDivisionError" not in body and "trust_failing_urls" not in body
    logged = "\n".join(record.getMessage() + (record.exc_text or "") for record in caplog.records)
    assert request_id in logged
    assert any(record.exc_info and record.exc_info[0] is ZeroDivisionError for record in caplog.records)


# ------------------------------------------------------------------ sessions

def test_a_session_ends_after_30_minutes_idle(users):
    """Idle 29 minutes: still signed in; then idle 31 minutes: signed out on the server."""
    user, uri = users["worker"]
    with time_machine.travel(START, tick=False) as clock:
        client = Client()
        sign_in(client, user.username, uri)
        assert is_signed_in(client)
        clock.shift(dt.timedelta(minutes=29))
        assert is_signed_in(client)
        clock.shift(dt.timedelta(minutes=31))
        assert not is_signed_in(client)


def test_a_session_ends_after_12_hours_however_active(users):
    """A request every 25 minutes keeps a session alive for 12 hours, never beyond."""
    user, uri = users["worker"]
    with time_machine.travel(START, tick=False) as clock:
        client = Client()
        sign_in(client, user.username, uri)
        for _ in range(12 * 60 // 25):
            clock.shift(dt.timedelta(minutes=25))
            assert is_signed_in(client)
        clock.shift(dt.timedelta(minutes=25))
        assert not is_signed_in(client)


def test_signing_in_gives_a_new_session_id_and_the_old_one_is_gone(users):
    """A session id held before signing in (a fixation attempt) is not the one after, and is dead."""
    from django.contrib.sessions.backends.db import SessionStore
    client = Client()
    before = SessionStore()
    before["planted"] = True
    before.create()
    client.cookies[settings.SESSION_COOKIE_NAME] = before.session_key
    user, uri = users["worker"]
    sign_in(client, user.username, uri)
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after and after != before.session_key
    assert not SessionStore().exists(before.session_key)


def sign_out_form(client) -> dict:
    for _url, _response, page in crawl(client, limit=10):
        for form in page.forms:
            if form["method"] == "post" and any(w in (form["action"] or "") for w in ("sign-out", "logout")):
                return form
    raise AssertionError("no sign-out form on the signed-in pages")


def test_sign_out_ends_the_session_on_the_server(users):
    """After signing out, replaying the old session cookie is refused: the session is gone server-side."""
    from django.contrib.sessions.backends.db import SessionStore
    client = Client()
    user, uri = users["worker"]
    sign_in(client, user.username, uri)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    form = sign_out_form(client)
    client.post(form["action"], form["inputs"])
    assert not SessionStore().exists(cookie)
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = cookie
    assert not is_signed_in(replay)


# ------------------------------------------------------------------ throttle, disabling, tokens

def test_five_failures_lock_the_username_for_15_minutes_even_with_the_right_password(users):
    """5 wrong passwords -> 429 with the right one; after 15 minutes it works again."""
    client = Client()
    with time_machine.travel(START, tick=False) as clock:
        for _ in range(5):
            assert api_token(client, "worker", password="wrong password").status_code == 401
        assert api_token(client, "worker").status_code == 429
        page = sign_in(Client(), "worker")
        assert page.status_code == 429 and not is_signed_in(client)
        assert api_token(client, "worker2").status_code == 200  # another username is not locked
        clock.shift(dt.timedelta(minutes=16))
        assert api_token(client, "worker").status_code == 200


def test_an_admin_unlocks_a_locked_user(users):
    """After an admin's unlock, the right password works at once; the unlock is audited."""
    from planner.web import actions
    from planner.web.models import AuditEntry
    client = Client()
    for _ in range(5):
        api_token(client, "worker", password="wrong password")
    assert api_token(client, "worker").status_code == 429
    actions.unlock_user(users["admin"][0], "worker")
    assert api_token(client, "worker").status_code == 200
    assert AuditEntry.objects.filter(username="admin", action="unlock").exists()


def test_disabling_a_user_ends_sessions_api_tokens_and_feed_at_once(users):
    """Disabled: the signed-in page session, the API token and the calendar feed all stop at once."""
    from planner.web import actions
    user, uri = users["worker"]
    page = Client()
    sign_in(page, user.username, uri)
    assert is_signed_in(page)
    token = api_token(Client(), user.username).json()["token"]
    api = Client(headers={"Authorization": f"Bearer {token}"})
    me = api.get("/api/me")
    assert me.status_code == 200 and me.json()["feed"]
    feed = me.json()["feed"]
    assert Client().get(feed).status_code == 200
    actions.disable_user(users["admin"][0], user)
    assert not is_signed_in(page)
    assert api.get("/api/me").status_code == 401
    assert Client().get(feed).status_code == 404
    assert api_token(Client(), user.username).status_code in (401, 403)


def all_text_in_database() -> str:
    """Every text value of every table of the database, as one string."""
    from django.db import connection
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT * FROM "{table}"')
            chunks += [repr(value) for row in cursor.fetchall() for value in row]
    return "\n".join(chunks)


def test_tokens_and_passwords_are_never_stored_plain_nor_logged_nor_audited(users, caplog):
    """An issued API token, the feed token, a password and a wrong password: in no table, log line or audit row."""
    from planner.web.models import AuditEntry
    caplog.set_level(logging.DEBUG)
    client = Client()
    api_token(client, "worker", password="a wrong guess 123")
    token = api_token(client, "worker").json()["token"]
    feed = Client(headers={"Authorization": f"Bearer {token}"}).get("/api/me").json()["feed"]
    feed_token = feed.rsplit("/", 1)[-1].removesuffix(".ics")
    Client().get(feed)
    secrets = {"api token": token, "feed token": feed_token, "password": PASSWORD, "wrong": "a wrong guess 123"}
    stored = all_text_in_database()
    logged = "\n".join(record.getMessage() for record in caplog.records)
    audited = json.dumps([[e.object, e.detail] for e in AuditEntry.objects.all()])
    for name, secret in secrets.items():
        assert len(secret) >= 16 or name != "api token"
        assert secret not in stored, name
        assert secret not in logged, name
        assert secret not in audited, name


# ------------------------------------------------------------------ CSRF

def test_every_form_refuses_a_post_without_its_csrf_token(users):
    """Each POST form on every page of every role answers 403 when its CSRF token is left out."""
    forms = 0
    for role, client in signed_in_clients(users).items():
        strict = Client(enforce_csrf_checks=True)
        strict.cookies = client.cookies
        for url, _response, page in crawl(client):
            for form in page.forms:
                if form["method"] != "post":
                    continue
                forms += 1
                data = {k: v for k, v in form["inputs"].items() if k != "csrfmiddlewaretoken"}
                answer = strict.post(form["action"] or url, data)
                assert answer.status_code == 403, (role, url, form["action"], answer.status_code)
    assert forms >= 3


def test_the_api_refuses_a_session_post_without_csrf_and_accepts_a_bearer_token(users):
    """A signed-in browser session cannot POST to the API cross-site; a Bearer token request needs no CSRF."""
    user, uri = users["manager"]
    browser = Client(enforce_csrf_checks=True)
    sign_in(browser, user.username, uri)
    monday = "2026-11-30"
    refused = browser.post(f"/api/teams/{users['team'].slug}/plans", json.dumps({"week": monday}),
                           content_type="application/json")
    assert refused.status_code in (401, 403)
    token = api_token(Client(), user.username, uri).json()["token"]
    bearer = Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {token}"})
    assert bearer.get("/api/me").status_code == 200
