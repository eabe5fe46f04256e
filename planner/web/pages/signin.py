"""Signing in and out on the pages: a session, with the six-digit code for the roles that
sign in with a second factor; the throttle and the audit are `planner.web.throttle`'s
(the same check as the API's /api/token)."""

from __future__ import annotations

import time

from django.contrib.auth import login, logout
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from planner.web import actions, throttle
from planner.web.pages import forms

MESSAGES = {
    throttle.WRONG: "The username or password is not right.",
    throttle.NEEDS_OTP: "Give the six-digit code from your authenticator app (a new code comes every 30 seconds).",
    throttle.LOCKED: ("Too many failed sign-ins for this username: try again in 15 minutes, or ask an admin "
                      "to unlock it."),
}


@require_http_methods(["GET", "POST"])
def sign_in(request):
    """The sign-in page; a new session id on success (django's login), then the page asked for."""
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, require_https=request.is_secure()):
        next_url = ""
    form = forms.SignInForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        outcome, user = throttle.check_sign_in(request, data["username"], data["password"], data.get("otp"), "page")
        if outcome == throttle.OK:
            login(request, user)
            if throttle.needs_second_factor(user):  # the code was checked (and used up) by check_sign_in
                from django_otp import login as otp_login
                otp_login(request, _any_device(user))
            request.session["signed_in_at"] = time.time()
            return redirect(next_url or "pages:home")
        form.add_error(None, MESSAGES[outcome])
        status = 429 if outcome == throttle.LOCKED else 401
    return render(request, "pages/sign_in.html", {"form": form, "next": next_url}, status=status)


def _any_device(user):
    from django_otp import devices_for_user
    return next(iter(devices_for_user(user, confirmed=True)), None)


@require_POST
def sign_out(request):
    """Sign-out ends the session on the server."""
    if request.user.is_authenticated:
        actions.signed_out(request.user)
    logout(request)
    return redirect("pages:sign-in")
