"""Rendering of notices: each kind of notice has one function that turns it into Bot API calls.

The outbox stores the calls in the same transaction as the state change and delivers them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.render import complaints, outbox, tickets
from bot.render.common import within_limits
from bot.services import notices as n

_RENDERERS: dict[type[n.Notice], Callable[[Any], list[n.OutboxDraft]]] = {
    n.JobCard: tickets.job_card,
    n.JobCardUpdate: tickets.job_card_update,
    n.TicketClaimed: tickets.say,
    n.NoTechGroup: tickets.say,
    n.Assigned: tickets.say,
    n.TicketResumed: tickets.say,
    n.ReportRejected: tickets.with_reason,
    n.TicketHeld: tickets.with_reason,
    n.TicketCancelled: tickets.with_reason,
    n.Reopened: tickets.with_reason,
    n.DispositionRequest: tickets.disposition_request,
    n.ApprovalRequest: tickets.approval_request,
    n.MaterialDecided: tickets.material_decided,
    n.RepairConfirm: tickets.repair_confirm,
    n.BeritaAcaraReady: tickets.berita_acara,
    n.LetterAdded: tickets.letter_added,
    n.DeliveryFailed: tickets.delivery_failed,
    n.SlaDigest: tickets.sla_digest,
    n.ComplaintCard: complaints.card,
    n.ComplaintCardUpdate: complaints.card_update,
    n.ComplaintThread: complaints.thread,
    n.ComplaintResponse: complaints.response,
    n.ComplaintInfo: complaints.info,
    n.ChatMoved: outbox.chat_moved,
}


def render(notice: n.Notice) -> list[n.OutboxDraft]:
    """Returns the Bot API calls that deliver a notice."""
    renderer = _RENDERERS.get(type(notice))
    if renderer is None:
        raise TypeError(f"no renderer for {type(notice).__name__}")
    return within_limits(renderer(notice))
