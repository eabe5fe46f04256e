"""The audit trail: `log(actor, action, object, detail, team)` writes one AuditEntry.

Called inside the caller's transaction (actions.py), so a change and its row are kept
or lost together. Secrets never reach a row: any detail key naming a password, token,
OTP code, secret or digest is masked.
"""

from __future__ import annotations

from planner.web.models import AuditEntry

ACTIONS = ("sign-in", "sign-in-failed", "sign-out", "refused", "import", "plan", "plan-failed", "replan",
           "publish", "outcome", "pin", "unpin", "user", "token", "feed", "unlock")
SECRET_WORDS = ("password", "token", "otp", "secret", "digest", "key")


def masked(detail: dict | None) -> dict:
    """The detail with every secret-looking key's value replaced by '***' (nested too)."""
    out = {}
    for key, value in (detail or {}).items():
        if any(word in key.lower() for word in SECRET_WORDS):
            out[key] = "***"
        elif isinstance(value, dict):
            out[key] = masked(value)
        else:
            out[key] = value
    return out


def log(actor, action: str, obj: str = "", detail: dict | None = None, team=None,
        username: str | None = None) -> AuditEntry:
    """One audit row: who (a user, or only a username for a failed sign-in), what, on what."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    user = actor if actor is not None and getattr(actor, "pk", None) else None
    if team is None and user is not None and hasattr(user, "profile"):
        team = user.profile.team
    return AuditEntry.objects.create(user=user, username=username or (user.get_username() if user else ""),
                                     team=team, action=action, object=str(obj)[:200], detail=masked(detail))
