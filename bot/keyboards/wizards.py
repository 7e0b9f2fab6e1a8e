"""Keyboards of the private wizards of the repair procedure.

Wizard buttons carry the draft's nonce (`<nonce>_<choice>`), so a button of an earlier draft is
known as stale; the rating buttons carry `<ticket>_<score>` and also work after the wizard.
"""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import callbacks
from bot.texts import wizards as t

# Choices (the part after the nonce).
EDIT = "edit"


def _button(label: str, action: str, nonce: str, choice: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=callbacks.make(action, f"{nonce}_{choice}"))


def _rows(action: str, nonce: str, *rows: Sequence[tuple[str, str]]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[_button(label, action, nonce, choice) for label, choice in row] for row in rows if row]
    )


def choices(
    action: str, prefix: str, rows: Sequence[Sequence[tuple[str, str]]]
) -> InlineKeyboardMarkup:
    """Returns the buttons of a step of the wizard engine; each carries `<prefix>_<choice>`."""
    return _rows(action, prefix, *rows)


# --- sign-off --------------------------------------------------------------------------------


def rating(ticket_id: int) -> InlineKeyboardMarkup:
    """Returns the four rating buttons of a closed ticket."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    label, callback_data=callbacks.make(callbacks.RATE, f"{ticket_id}_{score}")
                )
            ]
            for score, label in t.RATINGS.items()
        ]
    )
