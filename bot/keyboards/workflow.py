"""Keyboards of the repair procedure: coordinator cards, pickers, the reporter's question."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import callbacks
from bot.services.domain import MaterialRequestView, TicketView
from bot.texts import workflow as tw


def _button(label: str, action: str, ident: int | str) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=callbacks.make(action, ident))


def disposition(ticket: TicketView) -> InlineKeyboardMarkup:
    """Returns the buttons of a coordinator's disposition card."""
    i = ticket.id
    return InlineKeyboardMarkup(
        [
            [_button(tw.DISPOSE_TEAM, callbacks.DISPOSE_TEAM, i)],
            [_button(tw.DISPOSE_PICK, callbacks.DISPOSE_PICK, i)],
            [_button(tw.REJECT_REPORT, callbacks.REJECT_REPORT, i)],
        ]
    )


def technician_picker(
    ticket_id: int, people: Sequence[tuple[int, str]], action: str
) -> InlineKeyboardMarkup:
    """Returns one button per technician."""
    return InlineKeyboardMarkup(
        [[_button(name, action, f"{ticket_id}_{user_id}")] for user_id, name in people]
    )


def approval(request: MaterialRequestView) -> InlineKeyboardMarkup:
    """Returns the buttons of a coordinator's approval card."""
    i = request.id
    return InlineKeyboardMarkup(
        [
            [
                _button(tw.APPROVE, callbacks.MATERIAL_APPROVE, i),
                _button(tw.REJECT_MATERIAL, callbacks.MATERIAL_REJECT, i),
            ],
            [_button(tw.REVISE, callbacks.MATERIAL_REVISE, i)],
        ]
    )


def repair_confirm(ticket: TicketView) -> InlineKeyboardMarkup:
    """Returns the reporter's two answers to "does the network work again?"."""
    return InlineKeyboardMarkup(
        [
            [
                _button(tw.FIXED, callbacks.FIXED, ticket.id),
                _button(tw.NOT_FIXED, callbacks.NOT_FIXED, ticket.id),
            ]
        ]
    )


def no_note(action_ident: str) -> InlineKeyboardMarkup:
    """Returns the «Tanpa catatan» button of an optional note prompt."""
    return InlineKeyboardMarkup([[_button(tw.NO_NOTE, callbacks.NO_NOTE, action_ident)]])
