"""Callback data codec: short, versioned, opaque (`v1:<action>:<id>`)."""

from __future__ import annotations

import re

VERSION = "v1"
CLAIM = "claim"
INVITE_OPD = "inv_opd"
INVITE_PAGE = "inv_page"
# Buttons of flows on the wizard engine: the id is `<draft nonce>_<state>_<choice>`, so a button
# of an earlier form or step is known as stale. Older actions of a flow (`<action>_...`, such as
# `rp_cat` or `reg_ok`) are still answered, as stale.
REGISTRATION = "reg"
REPORT = "rp"

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


# Repair workflow (issue 3). Ids are a ticket id, or "<ticket>_<other>" where two are needed.
DISPOSE_TEAM = "dsp_team"
DISPOSE_PICK = "dsp_pick"
DISPOSE_TECH = "dsp_tech"
REJECT_REPORT = "dsp_rej"
LIGHT = "light"
HEAVY = "heavy"
HOLD = "hold"
RESUME = "resume"
REASSIGN = "reasgn"
REASSIGN_TO = "reasgn_to"
CANCEL_TICKET = "cancel"
REPAIR = "repair"
MATERIAL_APPROVE = "mr_ok"
MATERIAL_REJECT = "mr_rej"
MATERIAL_REVISE = "mr_rev"
FIXED = "fix_ok"
NOT_FIXED = "fix_no"
RATE = "rate"
BA_RESEND = "ba_send"
LETTER_ADD = "letter"
NO_NOTE = "no_note"
# Deep-link payloads of `/start` that open the technician's private wizards.
START_MATERIAL = "mr_"
START_REPAIR = "rr_"
# Complaints (pengaduan). Form buttons carry `<nonce>_<choice>`; the complainant's verdict
# buttons `<id>_<round>`, so the buttons of an earlier answer are recognised as stale.
COMPLAINT_FORM = "ad_form"
COMPLAINT_SEND = "ad_send"
COMPLAINT_TAKE = "ad_take"
COMPLAINT_ANSWER = "ad_ans"
COMPLAINT_FORWARD = "ad_fwd"
COMPLAINT_SOLVED = "ad_ok"
COMPLAINT_NOT_SOLVED = "ad_no"
COMPLAINT_RESOLVE = "ad_res"
COMPLAINT_CLOSE = "ad_cls"
COMPLAINT_ANSWER_SEND = "ad_asend"
# The technician's and the reporter's private wizards (issue 3): the id is
# `<draft nonce>_<choice>`, so a button of an earlier draft is known as stale.
WIZARD_MATERIAL = "wz_mr"
WIZARD_REPAIR = "wz_rr"
WIZARD_SIGN = "wz_sg"
