"""Keyboards of the `/lapor` fault-report conversation.

Every inline button carries the report's nonce, so a button from an earlier report is known
as stale when pressed later.
"""

from __future__ import annotations

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)

from bot import callbacks
from bot.texts import report as t
from bot.texts.common import CATEGORY, IMPACT

PHOTOS_DONE = "done"
LETTER_LATER = "later"
SEND = "send"
EDIT = "edit"
CANCEL = "cancel"
BACK = "back"


def ident(nonce: str, choice: str) -> str:
    """Returns a button's id: the report nonce and the choice."""
    return f"{nonce}_{choice}"


def _button(label: str, action: str, nonce: str, choice: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=callbacks.make(action, ident(nonce, choice)))


def categories(nonce: str) -> InlineKeyboardMarkup:
    """Returns one button per fault category."""
    return InlineKeyboardMarkup(
        [
            [_button(label, callbacks.REPORT_CATEGORY, nonce, category.value)]
            for category, label in CATEGORY.items()
        ]
    )


def impacts(nonce: str) -> InlineKeyboardMarkup:
    """Returns one button per impact."""
    return InlineKeyboardMarkup(
        [
            [_button(label, callbacks.REPORT_IMPACT, nonce, impact.value)]
            for impact, label in IMPACT.items()
        ]
    )


def photos(nonce: str, count: int) -> InlineKeyboardMarkup:
    """Returns the button that ends the photo step ("Lewati" while none were sent)."""
    label = t.PHOTOS_DONE if count else t.PHOTOS_SKIP
    return InlineKeyboardMarkup(
        [[_button(label, callbacks.REPORT_PHOTOS_DONE, nonce, PHOTOS_DONE)]]
    )


def letter(nonce: str) -> InlineKeyboardMarkup:
    """Returns the button that marks the request letter as following later."""
    return InlineKeyboardMarkup(
        [[_button(t.LETTER_LATER, callbacks.REPORT_LETTER_LATER, nonce, LETTER_LATER)]]
    )


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


def summary(nonce: str) -> InlineKeyboardMarkup:
    """Returns confirm, edit and cancel under the summary."""
    return InlineKeyboardMarkup(
        [
            [_button(t.SEND, callbacks.REPORT_SUMMARY, nonce, SEND)],
            [
                _button(t.EDIT, callbacks.REPORT_SUMMARY, nonce, EDIT),
                _button(t.CANCEL, callbacks.REPORT_SUMMARY, nonce, CANCEL),
            ],
        ]
    )


def edit_fields(nonce: str) -> InlineKeyboardMarkup:
    """Returns one button per field that can be changed, and the way back."""
    rows = [
        [_button(label, callbacks.REPORT_EDIT, nonce, code)]
        for code, label in t.EDIT_FIELDS.items()
    ]
    rows.append([_button(t.BACK, callbacks.REPORT_EDIT, nonce, BACK)])
    return InlineKeyboardMarkup(rows)
