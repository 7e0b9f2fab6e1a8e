"""Keyboards of fault tickets (job card)."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import callbacks
from bot.services.domain import Status, TicketView
from bot.texts import tickets as t


def job_card(ticket: TicketView) -> InlineKeyboardMarkup | None:
    """Returns the buttons of a job card for the ticket's current state."""
    if ticket.status is Status.DISPOSED and ticket.assignee_name is None:
        button = InlineKeyboardButton(
            t.CLAIM_BUTTON, callback_data=callbacks.make(callbacks.CLAIM, ticket.id)
        )
        return InlineKeyboardMarkup([[button]])
    return None
