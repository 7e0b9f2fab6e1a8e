"""Callback data codec: short, versioned, opaque (`v1:<action>:<id>`)."""

from __future__ import annotations

import re

VERSION = "v1"
CLAIM = "claim"
INVITE_OPD = "inv_opd"
INVITE_PAGE = "inv_page"
REG_CONFIRM = "reg_ok"
REG_EDIT = "reg_edit"
REG_FIELD = "reg_field"
REG_BACK = "reg_back"
REG_CANCEL = "reg_no"
# The /lapor conversation: the id is `<report nonce>_<choice>` so old buttons are recognised.
REPORT_CATEGORY = "rp_cat"
REPORT_IMPACT = "rp_imp"
REPORT_PHOTOS_DONE = "rp_pho"
REPORT_LETTER_LATER = "rp_let"
REPORT_SUMMARY = "rp_sum"
REPORT_EDIT = "rp_edt"
REPORT_PREFIX = "rp_"

# \Z, not $: a trailing newline must not pass.
_PATTERN = re.compile(r"^v1:([a-z_]{1,20}):([A-Za-z0-9_]{1,32})\Z")


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
