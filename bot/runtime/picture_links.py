"""Signed, expiring links to a tip's picture. LINE shows an image only from an HTTPS URL, so the bot serves
stored pictures itself (bot.http.pictures) at links only it can make."""
from __future__ import annotations

import hashlib
import hmac
import time

LINK_LIFETIME_SECONDS = 7 * 24 * 3600
"""A case is decided within days, and LINE fetches the picture again when a card is reopened: a link must
outlive the case, and expire so a leaked one stops working."""


def derive_picture_key(channel_secret: str) -> bytes:
    """Apart from the postback key: a picture link must never be usable as a button, nor the reverse."""
    return hashlib.sha256(b"chuaycheck-picture:" + channel_secret.encode()).digest()


def _signature(image_id: int, expires: int, key: bytes) -> str:
    return hmac.new(key, f"{image_id}:{expires}".encode(), hashlib.sha256).hexdigest()[:32]


def picture_url(base_url: str, image_id: int, key: bytes, now: float | None = None) -> str:
    expires = int((now if now is not None else time.time()) + LINK_LIFETIME_SECONDS)
    return f"{base_url.rstrip('/')}/pictures/{image_id}?e={expires}&s={_signature(image_id, expires, key)}"


def is_valid_link(image_id: int, expires: str, signature: str, key: bytes, now: float | None = None) -> bool:
    if not expires.isdigit() or int(expires) < (now if now is not None else time.time()):
        return False
    return hmac.compare_digest(signature, _signature(image_id, int(expires), key))
