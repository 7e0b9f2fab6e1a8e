"""The verification code printed on a berita acara (an HMAC of its number, ticket and time)
and the QR code that carries it to the bot's `/verifikasi`."""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import json
from datetime import UTC, datetime

import segno

from bot.services.berita_acara.words import require_aware

# The printed code: two groups of five base32 characters.
CODE_PATTERN = r"[A-Z2-7]{5}-[A-Z2-7]{5}"

_BASE32 = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")


def verification_code(number: str, ticket_number: str, signed_at: datetime, secret: str) -> str:
    """Returns the short code ("XXXXX-XXXXX") that proves the bot issued this berita acara."""
    if not secret:
        raise ValueError("verification secret must not be empty")
    require_aware(signed_at)
    # JSON keeps the fields apart unambiguously; UTC makes the code independent of the zone
    # the moment happens to be expressed in.
    message = json.dumps([number, ticket_number, signed_at.astimezone(UTC).isoformat()])
    digest = hmac.new(secret.encode(), message.encode(), hashlib.sha256).digest()
    head = base64.b32encode(digest).decode("ascii")[:10]
    return f"{head[:5]}-{head[5:]}"


def normalise_code(text: str) -> str | None:
    """Returns a code as printed ("XXXXX-XXXXX") from what a person typed, None if no code."""
    typed = "".join(text.split()).upper().replace("-", "")
    typed = typed.removeprefix("BA_")
    if len(typed) != 10 or any(char not in _BASE32 for char in typed):
        return None
    return f"{typed[:5]}-{typed[5:]}"


def is_valid_code(
    code: str, number: str, ticket_number: str, signed_at: datetime, secret: str
) -> bool:
    """Tells whether a code read off a printed berita acara matches its fields."""
    typed = (normalise_code(code) or "").encode()
    expected = verification_code(number, ticket_number, signed_at, secret).encode()
    return hmac.compare_digest(typed, expected)


def verification_payload(code: str, bot_username: str | None) -> str:
    """Returns what the QR code holds: a link opening the bot with the code, or the code."""
    if not bot_username:
        return code
    # Telegram passes the part after "start=" to the bot as `/start ba_<code>`.
    return f"https://t.me/{bot_username}?start=ba_{code}"


def qr_png(payload: str) -> bytes:
    """Returns the QR code of a payload as a PNG image (with its quiet zone)."""
    # Level M survives a fold or a stain on paper; 10 pixels a module print sharp at the
    # size the document gives it.
    qr = segno.make(payload, error="m", micro=False)
    out = io.BytesIO()
    qr.save(out, kind="png", scale=10, border=4)
    return out.getvalue()
