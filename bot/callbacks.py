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
MATERIAL_FORM = "wz_mr"
REPAIR_FORM = "wz_rr"

# \Z, not $: a trailing newline must not pass.
_PATTERN = re.compile(r"^v1:([a-z_]{1,20}):([A-Za-z0-9_]{1,32})\Z")
# Every id column is an `integer` (int4 on PostgreSQL): a larger number would make the database
# raise instead of simply finding nothing, so such numbers never get past the parsers below.
DB_ID_MAX = 2_147_483_647


class BadCallback(ValueError):
    """Callback data that is forged, stale in format, or for another action."""


def db_id(text: str) -> int | None:
    """Returns the database id a typed or deep-linked number stands for, or None if none can."""
    if not text.isascii() or not text.isdigit():
        return None
    value = int(text)
    return value if 1 <= value <= DB_ID_MAX else None


def make(action: str, ident: int | str) -> str:
    """Encodes a button's data (at most 64 bytes, as Telegram allows)."""
    data = f"{VERSION}:{action}:{ident}"
    try:
        parse(data, action)
    except BadCallback:
        raise ValueError(f"bad callback parts: {action!r}, {ident!r}") from None
    return data


def pattern(action: str) -> str:
    """Returns the regex a CallbackQueryHandler uses to route one action."""
    return rf"^{VERSION}:{re.escape(action)}:"


def parse(data: str | None, action: str) -> str:
    """Returns the identifier of a button's data, refusing anything malformed."""
    match = _PATTERN.match(data or "")
    if match is None or match.group(1) != action:
        raise BadCallback(data)
    ident = match.group(2)
    # Ids travel as `<id>` or `<id>_<other>`; a number no database id can reach is a forgery
    # (or garbage), refused here once for every handler that splits the parts itself.
    if any(part.isdigit() and int(part) > DB_ID_MAX for part in ident.split("_")):
        raise BadCallback(data)
    return ident


def parse_int(data: str | None, action: str) -> int:
    """Returns the numeric identifier of a button's data (0 for a first page, else an id)."""
    ident = parse(data, action)
    if not ident.isdigit():
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
LETTER_FORM = "wz_lt"  # the letter form's own buttons (on the engine)
WITHDRAW = "withdraw"  # the OPD withdraws its report (a reason prompt first)
AFTER_PHOTOS = "after_ph"  # /tiket: send the photos taken after the repair
NO_NOTE = "no_note"
# Deep-link payloads of `/start` that open the technician's private wizards.
START_MATERIAL = "mr_"
START_REPAIR = "rr_"
# Complaints (pengaduan). The forms are on the wizard engine (`COMPLAINT_FORM` files,
# `COMPLAINT_ANSWER_FORM` answers); the complainant's verdict buttons carry `<id>_<round>`, so
# the buttons of an earlier answer are recognised as stale.
COMPLAINT_FORM = "ad_form"
COMPLAINT_TAKE = "ad_take"
COMPLAINT_ANSWER = "ad_ans"
COMPLAINT_FORWARD = "ad_fwd"
COMPLAINT_SOLVED = "ad_ok"
COMPLAINT_NOT_SOLVED = "ad_no"
COMPLAINT_RESOLVE = "ad_res"
COMPLAINT_CLOSE = "ad_cls"
COMPLAINT_ANSWER_FORM = "ad_asend"
# The technician's and the reporter's private wizards (issue 3): the id is
# `<draft nonce>_<choice>`, so a button of an earlier draft is known as stale.
WIZARD_SIGN = "wz_sg"  # the sign-off on the engine: `<nonce>_<state>_<code>`
# `/libur jam` asks before storing an override that closes working days: `<nonce>` of the
# pending override kept in the admin's user_data.
CALENDAR_CONFIRM = "cal_ok"
CALENDAR_CANCEL = "cal_no"
# Work queues and search (issue 10): a page of a `/status` section (`<section>_<page>`), an item
# opened as `/tiket` shows it (a ticket's or a complaint's id), a page of `/cari`
# (`<search nonce>_<page>`, the search itself kept in the user's data).
QUEUE_PAGE = "q_pg"
QUEUE_TICKET = "q_tkt"
QUEUE_COMPLAINT = "q_adu"
SEARCH_PAGE = "cari_pg"
# The ticket as a conversation (issue 11): «Kirim pesan» / «Jawab» open the note prompt for a
# ticket (`NOTE_ANSWER`: as the answer to one relayed note, by its id); the list of a ticket's
# notes; a listed note sent again.
NOTE_WRITE = "note"
NOTE_ANSWER = "note_ans"
NOTE_LIST = "note_list"
NOTE_AGAIN = "note_again"
# The berita acara's confirmations (issue 12): the request's button (`<confirmation id>`) opens
# the confirmation form; the forms' own buttons on the engine; /profil's field menu.
BA_CONFIRM = "ba_ok"
WIZARD_BA_CONFIRM = "wz_ba"
PROFILE_FORM = "wz_pf"
REPORT_PERIOD = "rpt"  # /laporan period buttons: the id is a reports.Preset value
