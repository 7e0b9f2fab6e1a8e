"""Notices: what a use case wants other people told. The bot layer renders them into the outbox."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from bot.services.domain import TicketView


class NoticeKind(StrEnum):
    """Kinds of notices a use case can raise."""

    JOB_CARD = "job_card"  # post the job card (and its media) in the technician group
    JOB_CARD_UPDATE = "job_card_update"  # edit the job card in place
    TICKET_CLAIMED = "ticket_claimed"  # tell the reporter who handles the ticket
    NO_TECH_GROUP = "no_tech_group"  # tell admins a ticket has no group to go to
    DISPOSITION_REQUEST = "disposition_request"  # a coordinator dispositions a new report
    ASSIGNED = "assigned"  # a technician was given the ticket (disposition or reassignment)
    REPORT_REJECTED = "report_rejected"  # the reporter learns why it is not a Batik.Net fault
    TICKET_HELD = "ticket_held"  # the reporter learns the ticket waits for the OPD
    TICKET_RESUMED = "ticket_resumed"
    TICKET_CANCELLED = "ticket_cancelled"
    APPROVAL_REQUEST = "approval_request"  # a coordinator decides on a material request
    MATERIAL_DECIDED = "material_decided"  # the technician learns the decision
    REPAIR_CONFIRM = "repair_confirm"  # the reporter is asked whether the network works again
    REOPENED = "reopened"  # the technician learns the OPD says it is not fixed
    BERITA_ACARA = "berita_acara"  # the signed minutes as a PDF
    LETTER_ADDED = "letter_added"  # a request letter sent later reaches the group
    DELIVERY_FAILED = "delivery_failed"  # tell an admin a message could not be delivered
    SLA_DIGEST = "sla_digest"  # SLA reminders, escalations and the morning digest for one chat
    COMPLAINT_CARD = "complaint_card"  # post a complaint's card (technician group or officials)
    COMPLAINT_CARD_UPDATE = "complaint_card_update"  # edit the complaint card in place
    COMPLAINT_THREAD = "complaint_thread"  # the whole complaint for an official
    COMPLAINT_RESPONSE = "complaint_response"  # an answer to the complainant, with buttons
    COMPLAINT_INFO = "complaint_info"  # a short complaint update for one person


@dataclass(frozen=True)
class Notice:
    """One message-worthy fact for one chat."""

    kind: NoticeKind
    chat_id: int
    ticket: TicketView | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class OutboxDraft:
    """A rendered Bot API call waiting to be queued."""

    chat_id: int
    method: str
    payload: dict[str, Any]
    purpose: str | None = None
    ticket_id: int | None = None
    complaint_id: int | None = None


NoticeRenderer = Callable[[Notice], list[OutboxDraft]]
