"""Signing in: /api/token, the throttle (5 failures in 15 minutes -> 429, until 15 minutes
pass or an admin unlocks), the second factor, token expiry, and disabling a user."""

from __future__ import annotations

import time_machine
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from planner.web import actions
from planner.web.models import ApiToken, AuditEntry
from web.helpers import PASSWORD


def sign_in(client, username, password=PASSWORD, otp=None):
    data = {"username": username, "password": password} | ({"otp": otp} if otp else {})
    return client.post("/api/token", data, content_type="application/json")


def test_token_is_shown_once_and_stored_hashed(world):
    """/api/token answers token and expiry; the database holds only its digest; it opens /api/me."""
    response = sign_in(Client(), "w1")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"token", "expires"} and len(body["token"]) >= 40
    assert not ApiToken.objects.filter(digest=body["token"]).exists()
    assert body["token"] not in str(list(ApiToken.objects.values()))
    me = Client().get("/api/me", headers={"Authorization": f"Bearer {body['token']}"})
    assert me.status_code == 200 and me.json()["username"] == "w1"
    assert AuditEntry.objects.filter(action="sign-in", username="w1").exists()


def test_wrong_password_is_401_and_audited(world):
    """A wrong password answers 401 and leaves a sign-in-failed row (without the password)."""
    assert sign_in(Client(), "w1", "wrong password").status_code == 401
    failed = AuditEntry.objects.get(action="sign-in-failed", username="w1")
    assert "wrong password" not in str(failed.detail)


def test_five_failures_lock_the_username_even_with_the_right_password(world):
    """After 5 failures within 15 minutes: 429 even with the right password; 15 minutes later it works."""
    with time_machine.travel("2026-12-02 09:00 +0000", tick=False) as clock:
        for _ in range(5):
            assert sign_in(Client(), "w1", "nope").status_code == 401
        assert sign_in(Client(), "w1").status_code == 429
        assert sign_in(Client(), "w2").status_code == 200  # per username
        clock.shift(14 * 60)
        assert sign_in(Client(), "w1").status_code == 429
        clock.shift(2 * 60)
        assert sign_in(Client(), "w1").status_code == 200


def test_an_admin_unlock_lets_the_user_in_at_once(world):
    """An admin's unlock ends the lock now (audited)."""
    for _ in range(5):
        sign_in(Client(), "w1", "nope")
    assert sign_in(Client(), "w1").status_code == 429
    actions.unlock_user(world.users["admin"], "w1")
    assert sign_in(Client(), "w1").status_code == 200
    assert AuditEntry.objects.filter(action="unlock", object="user w1").exists()


def test_managers_sign_in_with_a_second_factor(world):
    """A user with a TOTP device needs the current code: without it or wrong, 401; right, 200."""
    _, uri = actions.add_user(None, "boss", PASSWORD, "manager", world.team)
    assert uri.startswith("otpauth://totp/") and "secret=" in uri
    device = TOTPDevice.objects.get(user__username="boss")
    assert sign_in(Client(), "boss").status_code == 401
    assert sign_in(Client(), "boss", otp="000000" if totp(device.bin_key) != 0 else "111111").status_code == 401
    code = f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"
    assert sign_in(Client(), "boss", otp=code).status_code == 200


def test_api_tokens_expire(world, api):
    """A token past its expiry answers 401."""
    token, row = actions.issue_token(world.users["w1"])
    headers = {"Authorization": f"Bearer {token}"}
    assert Client().get("/api/me", headers=headers).status_code == 200
    with time_machine.travel(row.expires, tick=False):
        assert Client().get("/api/me", headers=headers).status_code == 401


def test_disabling_a_user_ends_tokens_feed_and_sessions_at_once(world, api):
    """Disabled: the API token answers 401, the feed 404, the page session is signed out."""
    client = api("w1")
    feed = client.get("/api/me").json()["feed"]
    pages = Client()
    pages.force_login(world.users["w1"])
    assert pages.session.session_key
    assert Client().get(feed).status_code == 200
    actions.disable_user(world.users["admin"], world.users["w1"])
    assert client.get("/api/me").status_code == 401
    assert Client().get(feed).status_code == 404
    from django.contrib.sessions.models import Session
    assert not Session.objects.filter(session_key=pages.session.session_key).exists()
    assert sign_in(Client(), "w1").status_code == 401
