"""Buttons of the ticket as a conversation: «Kirim pesan», «Jawab», «Lanjutkan», resends."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardMarkup

from bot import callbacks
from bot.keyboards.buttons import button
from bot.services.ticket_messages import NoteView, Offer
from bot.texts import ticket_messages as t


def offers(ticket_id: int, note_id: int, offered: Sequence[Offer]) -> InlineKeyboardMarkup | None:
    """Returns the buttons under a relayed message, one row: «Kirim pesan» answers that message,
    «Lanjutkan» resumes the held ticket."""
    made = {
        Offer.WRITE: button(t.WRITE, callbacks.NOTE_ANSWER, note_id),
        Offer.RESUME: button(t.RESUME, callbacks.RESUME, ticket_id),
    }
    return InlineKeyboardMarkup([[made[o] for o in offered]]) if offered else None


def write(ticket_id: int, label: str = t.WRITE) -> InlineKeyboardMarkup:
    """Returns the one «Kirim pesan» (or «Jawab») button under a notice to the OPD."""
    return InlineKeyboardMarkup([[button(label, callbacks.NOTE_WRITE, ticket_id)]])


def listing(notes: Sequence[NoteView]) -> InlineKeyboardMarkup | None:
    """Returns a resend button per listed message, two to a row."""
    buttons = [button(t.again(n), callbacks.NOTE_AGAIN, n.id) for n in notes]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    return InlineKeyboardMarkup(rows) if rows else None
