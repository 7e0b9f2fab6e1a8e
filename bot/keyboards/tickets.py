"""Keyboards of fault tickets: the job card in the technician group and /tiket."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import callbacks
from bot.keyboards.buttons import button
from bot.keyboards.cards import card_buttons
from bot.services.domain import LetterStatus, Status, TicketView
from bot.services.ticket_flow import Card
from bot.services.ticket_messages import EVENT_PREFIX
from bot.texts import letters as tl
from bot.texts import ticket_messages as tm
from bot.texts import workflow as tw


def job_card(ticket: TicketView) -> InlineKeyboardMarkup | None:
    """Returns the buttons of a job card: what the transition table offers in its state."""
    assigned = ticket.assignee_name is not None
    return card_buttons(Card.JOB, ticket.status, ticket.id, assigned=assigned)


def reporter(ticket: TicketView) -> InlineKeyboardMarkup | None:
    """Returns the buttons on the reporter's messages about a ticket (what the table offers
    the OPD in its state: withdrawing the report before the repair starts)."""
    return card_buttons(Card.REPORTER, ticket.status, ticket.id)


def detail(ticket: TicketView, *, reporter_view: bool = True) -> InlineKeyboardMarkup | None:
    """Returns the buttons under /tiket: resend the berita acara, send a late letter, the
    repair photos, and (to the OPD) the withdrawal."""
    rows: list[list[InlineKeyboardButton]] = []
    if ticket.has_berita_acara:
        rows.append([button(tw.BA_RESEND, callbacks.BA_RESEND, ticket.id)])
    open_ticket = ticket.status not in (Status.CLOSED, Status.CANCELLED)
    if ticket.letter_status is LetterStatus.FOLLOWS and open_ticket:
        rows.append([button(tw.LETTER_ADD, callbacks.LETTER_ADD, ticket.id)])
    # The ticket's conversation: write to it while open; its messages, to receive them again.
    talk = [button(tm.WRITE, callbacks.NOTE_WRITE, ticket.id)] if open_ticket else []
    if any(e.kind.startswith(EVENT_PREFIX) for e in ticket.events):
        talk.append(button(tm.LIST, callbacks.NOTE_LIST, ticket.id))
    if talk:
        rows.append(talk)
    if ticket.after_photos:
        rows.append([button(tl.AFTER_PHOTOS, callbacks.AFTER_PHOTOS, ticket.id)])
    withdraw = reporter(ticket) if reporter_view else None
    rows.extend(list(row) for row in (withdraw.inline_keyboard if withdraw else ()))
    return InlineKeyboardMarkup(rows) if rows else None


def letter_reminder(ticket_id: int) -> InlineKeyboardMarkup:
    """Returns «Kirim surat permohonan» under a letter reminder."""
    return InlineKeyboardMarkup([[button(tw.LETTER_ADD, callbacks.LETTER_ADD, ticket_id)]])
