"""API and feed tokens: who a token belongs to, and a worker's feed path (digests.py makes them)."""

from __future__ import annotations

from planner.web.digests import digest, feed_token, new_token  # noqa: F401 (handed on)


def feed_path(user) -> str | None:
    """The URL path of the worker's live calendar feed (made the first time it is asked for)."""
    from planner.web.models import FeedToken
    row = FeedToken.objects.filter(user=user, revoked=False).order_by("-id").first()
    if row is None:
        from planner.web.actions import rotate_feed
        return f"/feeds/{rotate_feed(user)}.ics"
    return f"/feeds/{feed_token(row.salt)}.ics"


def bearer(request) -> str | None:
    """The token of an `Authorization: Bearer TOKEN` header, if any."""
    header = request.headers.get("Authorization", "")
    kind, _, token = header.partition(" ")
    if kind.lower() != "bearer":
        return None
    return token.strip() or None


def user_of_api_token(token: str | None):
    """The active user whose unexpired, unrevoked API token this is, else None."""
    from django.utils import timezone

    from planner.web.models import ApiToken
    if not token:
        return None
    found = (ApiToken.objects.select_related("user", "user__profile")
             .filter(digest=digest(token), revoked=False, expires__gt=timezone.now()).first())
    if found is None or not found.user.is_active:
        return None
    return found.user


def user_of_feed_token(token: str):
    """The active worker whose live feed token this is, else None."""
    from planner.web.models import FeedToken
    found = FeedToken.objects.select_related("user", "user__profile").filter(digest=digest(token),
                                                                             revoked=False).first()
    if found is None or not found.user.is_active:
        return None
    return found.user
