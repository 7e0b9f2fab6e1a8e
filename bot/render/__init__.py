"""Rendering of notices: each kind of notice has one function that turns it into Bot API calls.

The outbox stores the calls in the same transaction as the state change and delivers them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from bot.render import berita_acara, complaints, outbox, ticket_messages, tickets
from bot.render.common import within_limits
from bot.services import notices as n
from bot.services.ticket_messages import NoteRelay

# A kind of notice without its own entry is rendered by its base's (the reason-carrying ones).
_RENDERERS: dict[type[n.Notice], Callable[[Any], list[n.OutboxDraft]]] = {
    n.JobCard: tickets.job_card,
    n.JobCardUpdate: tickets.job_card_update,
    n.TicketClaimed: ticket_messages.news_to_write,
    n.TicketHeld: ticket_messages.news_to_write,
    n.NoTechGroup: tickets.news,
    n.Assigned: tickets.assigned,
    n.TicketResumed: ticket_messages.news_to_write,
    n.ReasonNotice: tickets.news,
    n.DispositionRequest: tickets.disposition_request,
    n.ApprovalRequest: tickets.approval_request,
    n.MaterialDecided: tickets.material_decided,
    n.RepairConfirm: tickets.repair_confirm,
    n.BeritaAcaraReady: tickets.berita_acara,
    n.LetterAdded: tickets.letter_added,
    n.LetterReminder: tickets.letter_reminder,
    n.TicketWithdrawn: tickets.withdrawn,
    n.DeliveryFailed: tickets.delivery_failed,
    n.SlaDigest: tickets.sla_digest,
    n.ComplaintCard: complaints.card,
    n.ComplaintCardUpdate: complaints.card_update,
    n.ComplaintThread: complaints.thread,
    n.ComplaintResponse: complaints.response,
    n.ComplaintInfo: complaints.info,
    n.ChatMoved: outbox.chat_moved,
    NoteRelay: ticket_messages.relay,
    n.BaConfirmRequest: berita_acara.confirm_request,
    n.BaWaiting: berita_acara.waiting,
    n.ProfileNeeded: berita_acara.profile_needed,
}


def _about(notice: n.Notice) -> tuple[int | None, int | None]:
    """Returns the ticket and the complaint a notice is about (their calls carry the ids)."""
    match notice:
        case n.TicketNotice(ticket=ticket):
            return ticket.id, None
        case n.ComplaintNotice(complaint=complaint):
            return None, complaint.id
    return None, None


def render(notice: n.Notice) -> list[n.OutboxDraft]:
    """Returns the Bot API calls that deliver a notice."""
    kind = next((kind for kind in type(notice).__mro__ if kind in _RENDERERS), None)
    if kind is None:
        raise TypeError(f"no renderer for {type(notice).__name__}")
    ticket_id, complaint_id = _about(notice)
    drafts = [
        replace(draft, ticket_id=ticket_id, complaint_id=complaint_id)
        for draft in _RENDERERS[kind](notice)
    ]
    return within_limits(drafts)
