"""Keyboards of fault tickets: the job card in the technician group and /tiket."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import callbacks
from bot.services.domain import LetterStatus, Status, TicketView
from bot.texts import tickets as t
from bot.texts import workflow as tw


def _button(label: str, action: str, ident: int | str) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=callbacks.make(action, ident))


def job_card(ticket: TicketView) -> InlineKeyboardMarkup | None:
    """Returns the buttons of a job card for the ticket's current state."""
    i = ticket.id
    rows: list[list[InlineKeyboardButton]] = []
    match ticket.status:
        case Status.DISPOSED if ticket.assignee_name is None:
            rows = [[_button(t.CLAIM_BUTTON, callbacks.CLAIM, i)]]
        case Status.CHECKING:
            rows = [
                [_button(tw.LIGHT, callbacks.LIGHT, i), _button(tw.HEAVY, callbacks.HEAVY, i)],
                [_button(tw.HOLD, callbacks.HOLD, i), _button(tw.REASSIGN, callbacks.REASSIGN, i)],
                [_button(tw.CANCEL, callbacks.CANCEL_TICKET, i)],
            ]
        case Status.AWAITING_APPROVAL:
            rows = [
                [_button(tw.HOLD, callbacks.HOLD, i), _button(tw.REASSIGN, callbacks.REASSIGN, i)]
            ]
        case Status.REPAIRING:
            rows = [
                [_button(tw.REPAIR, callbacks.REPAIR, i)],
                [_button(tw.HOLD, callbacks.HOLD, i), _button(tw.REASSIGN, callbacks.REASSIGN, i)],
            ]
        case Status.ON_HOLD:
            rows = [[_button(tw.RESUME, callbacks.RESUME, i)]]
    return InlineKeyboardMarkup(rows) if rows else None


def detail(ticket: TicketView) -> InlineKeyboardMarkup | None:
    """Returns the buttons under /tiket: resend the berita acara, send a late letter."""
    rows: list[list[InlineKeyboardButton]] = []
    if ticket.has_berita_acara:
        rows.append([_button(tw.BA_RESEND, callbacks.BA_RESEND, ticket.id)])
    open_ticket = ticket.status not in (Status.CLOSED, Status.CANCELLED)
    if ticket.letter_status is LetterStatus.FOLLOWS and open_ticket:
        rows.append([_button(tw.LETTER_ADD, callbacks.LETTER_ADD, ticket.id)])
    return InlineKeyboardMarkup(rows) if rows else None
