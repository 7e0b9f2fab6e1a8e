"""Reply keyboards of the registration conversation (its inline buttons are the engine's)."""

from __future__ import annotations

from telegram import KeyboardButton, ReplyKeyboardMarkup, ReplyKeyboardRemove

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
