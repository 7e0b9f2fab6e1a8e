"""Callback data codec: short, versioned, opaque (`v1:<action>:<id>`)."""

from __future__ import annotations

import re

VERSION = "v1"
CLAIM = "claim"

_PATTERN = re.compile(r"^v1:([a-z_]{1,20}):([A-Za-z0-9_]{1,32})$")


class BadCallback(ValueError):
    """Callback data that is forged, stale in format, or for another action."""


def make(action: str, ident: int | str) -> str:
    """Encodes a button's data (at most 64 bytes, as Telegram allows)."""
    data = f"{VERSION}:{action}:{ident}"
    if not _PATTERN.match(data):
        raise ValueError(f"bad callback parts: {action!r}, {ident!r}")
    return data


def pattern(action: str) -> str:
    """Returns the regex a CallbackQueryHandler uses to route one action."""
    return rf"^{VERSION}:{re.escape(action)}:"


def parse(data: str | None, action: str) -> str:
    """Returns the identifier of a button's data, refusing anything malformed."""
    match = _PATTERN.match(data or "")
    if match is None or match.group(1) != action:
        raise BadCallback(data)
    return match.group(2)


def parse_int(data: str | None, action: str) -> int:
    """Returns the numeric identifier of a button's data."""
    ident = parse(data, action)
    if not ident.isdigit() or len(ident) > 12:
        raise BadCallback(data)
    return int(ident)
