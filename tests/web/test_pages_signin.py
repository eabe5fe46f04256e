"""The sign-in page: a session (a new id at sign-in), the six-digit code for a user with a
second factor, the throttle's message, sign-out ending the session on the server."""

from __future__ import annotations

import time_machine
from django.contrib.sessions.models import Session
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from planner.web import actions
from planner.web.models import AuditEntry
from web.helpers import PASSWORD


def post(client, username, password=PASSWORD, otp="", next_url=""):
    return client.post("/sign-in", {"username": username, "password": password, "otp": otp, "next": next_url})


def test_the_page_has_the_fields_and_a_csrf_token(world):
    """GET /sign-in: username, password, the code field and the CSRF token."""
    html = Client().get("/sign-in").content.decode()
    for name in ('name="username"', 'name="password"', 'name="otp"', 'name="csrfmiddlewaretoken"'):
        assert name in html


def test_signing_in_starts_a_new_session_and_goes_to_the_roles_page(world):
    """The right password: a new session id, audited, and the worker lands on their visits."""
    client = Client()
    client.get("/sign-in")
    before = client.cookies.get("planner_session")
    response = post(client, "w1")
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.cookies["planner_session"].value != (before.value if before else None)
    assert client.get("/")["Location"] == "/me"
    assert AuditEntry.objects.filter(action="sign-in", username="w1", detail__via="page").exists()


def test_next_is_followed_only_within_the_site(world):
    """`next` sends the user back to the page asked for, never to another site."""
    assert post(Client(), "manager", next_url="/teams/tiny/audit")["Location"] == "/teams/tiny/audit"
    assert post(Client(), "manager", next_url="https://evil.example/")["Location"] == "/"


def test_a_wrong_password_says_so_and_answers_401(world):
    """A wrong password: 401, the message, no session, a sign-in-failed row."""
    client = Client()
    response = post(client, "w1", "wrong")
    assert response.status_code == 401
    assert "username or password is not right" in response.content.decode()
    assert client.get("/me").status_code == 302
    assert AuditEntry.objects.filter(action="sign-in-failed", username="w1").count() == 1


def test_five_failures_lock_with_the_throttle_message(world):
    """After 5 failures the page answers 429 with what to do, even for the right password."""
    with time_machine.travel("2026-12-02 09:00 +0000", tick=False):
        for _ in range(5):
            post(Client(), "w2", "wrong")
        response = post(Client(), "w2")
        assert response.status_code == 429
        assert "Too many failed sign-ins" in response.content.decode()
        assert "ask an admin" in response.content.decode()


def test_a_manager_with_a_second_factor_needs_the_current_code(world):
    """A manager with a TOTP device: no code or a wrong one is refused; the current code signs in."""
    device = TOTPDevice.objects.create(user=world.users["manager"], name="phone", confirmed=True)
    assert post(Client(), "manager").status_code == 401
    assert "six-digit code" in post(Client(), "manager", otp="000000").content.decode()
    code = f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"
    client = Client()
    assert post(client, "manager", otp=code).status_code == 302
    assert client.get("/teams/tiny").status_code == 200


def test_sign_out_ends_the_session_on_the_server(world):
    """POST /sign-out deletes the session row; the old cookie no longer opens a page."""
    client = Client()
    post(client, "w1")
    key = client.cookies["planner_session"].value
    assert Session.objects.filter(session_key=key).exists()
    assert client.post("/sign-out")["Location"] == "/sign-in"
    assert not Session.objects.filter(session_key=key).exists()
    stale = Client()
    stale.cookies["planner_session"] = key
    assert stale.get("/me").status_code == 302
    assert AuditEntry.objects.filter(action="sign-out", username="w1").exists()


def test_a_disabled_user_cannot_sign_in(world):
    """Once disabled, the right password is refused."""
    actions.disable_user(None, world.users["w2"])
    assert post(Client(), "w2").status_code == 401
