"""API and feed tokens: random (256 bits), shown once, stored as HMAC-SHA256 digests."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings


def new_token() -> str:
    return secrets.token_urlsafe(32)


def digest(token: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), token.encode(), hashlib.sha256).hexdigest()


def feed_token(salt: str) -> str:
    """The feed token of a FeedToken row: derived from its salt with the service's key."""
    return hmac.new(settings.SECRET_KEY.encode(), f"feed:{salt}".encode(), hashlib.sha256).hexdigest()[:43]
