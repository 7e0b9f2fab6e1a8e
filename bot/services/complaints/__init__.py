"""Complaints (pengaduan) as the service standard handles them.

Indirect complaints (phone, e-mail, website, Twitter, Instagram, in person) are recorded by an
officer; direct ones are filed in the bot. An officer responds until the complaint is solved;
what the officer cannot solve goes to the Kominfo complaints official (pejabat pengaduan), who
resolves it completely.

The package, by concern:

- :mod:`.model`: states, categories, channels, drafts, views, input validation;
- :mod:`.table`: the transition table (state x action -> next state, who, note) and its guards,
  which the services execute and the keyboards offer;
- :mod:`.transitions`: the one executor of the table;
- :mod:`.routing`: who sees the complainant's identity, and where cards, threads and news go;
- :mod:`.sweep`: the due times and the sweep that escalates missed ones;
- :mod:`.filing`, :mod:`.handling`, :mod:`.following`: the use cases.

Every use case takes the use-case :class:`~bot.services.context.Context`; the acting person is
its actor.
"""

from __future__ import annotations

from bot.services.complaints.filing import (
    check_ticket,
    file_complaint,
    filing_start,
    record_complaint,
    recording_start,
)
from bot.services.complaints.following import detail, mine
from bot.services.complaints.handling import (
    begin_answer,
    begin_forward,
    begin_not_solved,
    close,
    confirm_solved,
    forward,
    not_solved,
    resolve,
    respond,
    take,
)
from bot.services.complaints.model import (
    CONTACT_MAX,
    DELIVERY_MAX,
    FILES_MAX,
    IDENTITY_ROLES,
    LIST_LIMIT,
    OFFICER_ROLES,
    OPEN_STATES,
    REASON_MAX,
    REASON_MIN,
    RECORDED_CHANNELS,
    STAFF_ROLES,
    SWEEP_LIMIT,
    TEXT_MAX,
    TEXT_MIN,
    AnswerStart,
    Channel,
    ComplaintCategory,
    ComplaintDraft,
    ComplaintStatus,
    ComplaintView,
    FilingStart,
    Step,
    clean_answer,
    clean_complainant_name,
    clean_contact,
    clean_delivery,
    clean_reason,
    clean_text,
    is_complaint_number,
    normalise_complaint_number,
)
from bot.services.complaints.routing import complaint_view, sees_identity
from bot.services.complaints.sweep import sweep
from bot.services.complaints.table import TRANSITIONS, Action, Audience, Transition, Who, offered

__all__ = [
    "CONTACT_MAX",
    "DELIVERY_MAX",
    "FILES_MAX",
    "IDENTITY_ROLES",
    "LIST_LIMIT",
    "OFFICER_ROLES",
    "OPEN_STATES",
    "REASON_MAX",
    "REASON_MIN",
    "RECORDED_CHANNELS",
    "STAFF_ROLES",
    "SWEEP_LIMIT",
    "TEXT_MAX",
    "TEXT_MIN",
    "TRANSITIONS",
    "Action",
    "AnswerStart",
    "Audience",
    "Channel",
    "ComplaintCategory",
    "ComplaintDraft",
    "ComplaintStatus",
    "ComplaintView",
    "FilingStart",
    "Step",
    "Transition",
    "Who",
    "begin_answer",
    "begin_forward",
    "begin_not_solved",
    "check_ticket",
    "clean_answer",
    "clean_complainant_name",
    "clean_contact",
    "clean_delivery",
    "clean_reason",
    "clean_text",
    "close",
    "complaint_view",
    "confirm_solved",
    "detail",
    "file_complaint",
    "filing_start",
    "forward",
    "is_complaint_number",
    "mine",
    "normalise_complaint_number",
    "not_solved",
    "offered",
    "record_complaint",
    "recording_start",
    "resolve",
    "respond",
    "sees_identity",
    "sweep",
    "take",
]
