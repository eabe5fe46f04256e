"""The sign-in throttle (service.md): after 5 failed sign-ins for one username within 15
minutes, every attempt answers 429 (the right password too) until 15 minutes have passed
since those failures or an admin unlocks the user.

The failures counted are the audit trail's own `sign-in-failed` rows, so the throttle and
the evidence cannot disagree; an `unlock` row resets the count. Used by the API's
/api/token and by the sign-in page alike (`check_sign_in`).
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.utils import timezone

from planner.web import actions, roles
from planner.web.models import AuditEntry

OK, WRONG, LOCKED, NEEDS_OTP = "ok", "wrong", "locked", "otp"
THROTTLED = "throttled"


def locked(username: str) -> bool:
    """Five or more failures for `username` in the last 15 minutes (since an unlock)."""
    since = timezone.now() - timedelta(minutes=settings.SIGN_IN_WINDOW_MINUTES)
    unlock = (AuditEntry.objects.filter(action="unlock", object=f"user {username}", at__gte=since)
              .order_by("-at").values_list("at", flat=True).first())
    failures = (AuditEntry.objects.filter(action="sign-in-failed", username=username, at__gte=unlock or since)
                .exclude(detail__why=THROTTLED))  # attempts while locked do not extend the lock
    return failures.count() >= settings.SIGN_IN_FAILURES


def check_sign_in(request, username: str, password: str, otp: str | None, via: str):
    """(outcome, user): OK with the user, or LOCKED, WRONG or NEEDS_OTP (audited)."""
    if locked(username):
        actions.sign_in_failed(username, via, THROTTLED)
        return LOCKED, None
    user = authenticate(request, username=username, password=password)
    if user is None or roles.profile(user) is None:
        actions.sign_in_failed(username, via, "wrong username or password")
        return WRONG, None
    if needs_second_factor(user) and not otp_ok(user, otp):
        actions.sign_in_failed(username, via, "second factor missing or wrong")
        return NEEDS_OTP, None
    actions.signed_in(user, via)
    return OK, user


def needs_second_factor(user) -> bool:
    from django_otp import user_has_device
    return user_has_device(user, confirmed=True)


def otp_ok(user, code: str | None) -> bool:
    """The six-digit code is current for one of the user's devices (django-otp verifies it)."""
    from django_otp import match_token
    return bool(code) and match_token(user, str(code).strip()) is not None
