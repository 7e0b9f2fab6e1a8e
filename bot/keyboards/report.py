"""Keyboards of the `/lapor` fault-report conversation (its inline buttons are the engine's)."""

from __future__ import annotations

from telegram import KeyboardButton, ReplyKeyboardMarkup, ReplyKeyboardRemove

from bot.texts import report as t


def phone(default: str | None) -> ReplyKeyboardMarkup:
    """Returns the reply keyboard offering the profile's phone and the user's own contact."""
    rows: list[list[KeyboardButton]] = []
    if default:
        rows.append([KeyboardButton(t.use_phone(default))])
    rows.append([KeyboardButton(t.SHARE_CONTACT, request_contact=True)])
    return ReplyKeyboardMarkup(rows, resize_keyboard=True, one_time_keyboard=True)


def remove() -> ReplyKeyboardRemove:
    """Removes the phone keyboard."""
    return ReplyKeyboardRemove()
