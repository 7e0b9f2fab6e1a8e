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
    DELIVERY_FAILED = "delivery_failed"  # tell an admin a message could not be delivered
    SLA_DIGEST = "sla_digest"  # SLA reminders, escalations and the morning digest for one chat


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


NoticeRenderer = Callable[[Notice], list[OutboxDraft]]
