"""Keyboards of the registration conversation."""

from __future__ import annotations

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)

from bot import callbacks
from bot.texts import registration as t


def share_contact() -> ReplyKeyboardMarkup:
    """Returns the reply keyboard with the button that shares the user's own phone number."""
    return ReplyKeyboardMarkup(
        [[KeyboardButton(t.CONTACT_BUTTON, request_contact=True)]],
        resize_keyboard=True,
        one_time_keyboard=True,
        input_field_placeholder="08xxxxxxxxxx",
    )


def skip_nip() -> ReplyKeyboardMarkup:
    """Returns the reply keyboard with the button that skips the NIP."""
    return ReplyKeyboardMarkup(
        [[KeyboardButton(t.SKIP_BUTTON)]], resize_keyboard=True, one_time_keyboard=True
    )


def remove() -> ReplyKeyboardRemove:
    """Returns the markup that hides a reply keyboard."""
    return ReplyKeyboardRemove()


def summary(revision: int) -> InlineKeyboardMarkup:
    """Returns confirm / edit / cancel; confirm carries the summary's revision."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    t.CONFIRM_BUTTON, callback_data=callbacks.make(callbacks.REG_CONFIRM, revision)
                )
            ],
            [
                InlineKeyboardButton(
                    t.EDIT_BUTTON, callback_data=callbacks.make(callbacks.REG_EDIT, revision)
                ),
                InlineKeyboardButton(
                    t.CANCEL_BUTTON, callback_data=callbacks.make(callbacks.REG_CANCEL, revision)
                ),
            ],
        ]
    )


def fields(revision: int) -> InlineKeyboardMarkup:
    """Returns one button per field to edit, and the way back to the summary."""
    rows = [
        [InlineKeyboardButton(label, callback_data=callbacks.make(callbacks.REG_FIELD, field))]
        for field, label in t.FIELD_BUTTONS.items()
    ]
    rows.append(
        [
            InlineKeyboardButton(
                t.BACK_BUTTON, callback_data=callbacks.make(callbacks.REG_BACK, revision)
            )
        ]
    )
    return InlineKeyboardMarkup(rows)
