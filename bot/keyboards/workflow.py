"""Keyboards of the repair procedure: coordinator cards, pickers, the reporter's question."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardMarkup

from bot import callbacks
from bot.keyboards.buttons import button
from bot.keyboards.cards import card_buttons
from bot.services.domain import MaterialRequestView, Status, TicketView
from bot.services.ticket_flow import Card
from bot.texts import workflow as tw


def disposition(ticket: TicketView) -> InlineKeyboardMarkup | None:
    """Returns the buttons of a coordinator's disposition card."""
    return card_buttons(Card.DISPOSITION, ticket.status, ticket.id)


def technician_picker(
    ticket_id: int, people: Sequence[tuple[int, str]], action: str
) -> InlineKeyboardMarkup:
    """Returns one button per technician."""
    return InlineKeyboardMarkup(
        [[button(name, action, f"{ticket_id}_{user_id}")] for user_id, name in people]
    )


def approval(request: MaterialRequestView) -> InlineKeyboardMarkup | None:
    """Returns the buttons of a coordinator's approval card (while the request is pending)."""
    if request.status != "pending":
        return None
    # A request is pending while its ticket awaits approval: the card offers that state's.
    return card_buttons(Card.APPROVAL, Status.AWAITING_APPROVAL, request.id)


def repair_confirm(ticket: TicketView) -> InlineKeyboardMarkup | None:
    """Returns the reporter's two answers to "does the network work again?"."""
    return card_buttons(Card.REPAIR_CONFIRM, ticket.status, ticket.id)


def no_note(action_ident: str) -> InlineKeyboardMarkup:
    """Returns the «Tanpa catatan» button of an optional note prompt."""
    return InlineKeyboardMarkup([[button(tw.NO_NOTE, callbacks.NO_NOTE, action_ident)]])
