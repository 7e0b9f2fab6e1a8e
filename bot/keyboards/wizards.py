"""Keyboards of the private wizards of the repair procedure.

Wizard buttons carry the draft's nonce (`<nonce>_<choice>`), so a button of an earlier draft is
known as stale; the rating buttons carry `<ticket>_<score>` and also work after the wizard.
"""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardMarkup

from bot import callbacks
from bot.keyboards.buttons import button
from bot.texts import wizards as t


def choices(
    action: str, prefix: str, rows: Sequence[Sequence[tuple[str, str]]]
) -> InlineKeyboardMarkup:
    """Returns the buttons of a step of the wizard engine; each carries `<prefix>_<choice>`."""
    return InlineKeyboardMarkup(
        [
            [button(label, action, f"{prefix}_{choice}") for label, choice in row]
            for row in rows
            if row
        ]
    )


# --- sign-off --------------------------------------------------------------------------------


def rating(ticket_id: int) -> InlineKeyboardMarkup:
    """Returns the four rating buttons of a closed ticket."""
    return InlineKeyboardMarkup(
        [
            [button(label, callbacks.RATE, f"{ticket_id}_{score}")]
            for score, label in t.RATINGS.items()
        ]
    )
