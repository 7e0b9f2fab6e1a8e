"""Keyboards of the private wizards of the repair procedure.

Wizard buttons carry the draft's nonce (`<nonce>_<choice>`), so a button of an earlier draft is
known as stale; the rating buttons carry `<ticket>_<score>` and also work after the wizard.
"""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import callbacks
from bot.services.workflow import ITEMS_MAX
from bot.texts import wizards as t

# Choices (the part after the nonce).
DONE = "done"
ADD = "add"
SEND = "send"
DROP_LAST = "drop"
EDIT_REASON = "reason"
CANCEL = "cancel"
NONE = "none"
APPROVED = "appr"
EDIT = "edit"
BACK = "back"
UNIT_PREFIX = "u"
EDIT_PREFIX = "e"


def unit_choice(index: int) -> str:
    """Returns the choice of the unit button at an index of `texts.UNITS`."""
    return f"{UNIT_PREFIX}{index}"


UNIT_CHOICES = {unit_choice(i): unit for i, unit in enumerate(t.UNITS)}
EDIT_CHOICES = {f"{EDIT_PREFIX}{code}": code for code in t.RR_EDIT_FIELDS}


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


def units(action: str, nonce: str) -> InlineKeyboardMarkup:
    """Returns the common units as buttons (any other unit can be typed)."""
    return _rows(action, nonce, [(unit, unit_choice(i)) for i, unit in enumerate(t.UNITS)])


def photos(action: str, nonce: str, count: int) -> InlineKeyboardMarkup:
    """Returns the button that ends a photo step ("Lewati" while none were sent)."""
    return _rows(action, nonce, [(t.DONE if count else t.SKIP, DONE)])


# --- material request ------------------------------------------------------------------------


def material_more(nonce: str, count: int) -> InlineKeyboardMarkup:
    """Returns "add another item" (below the maximum) and "done"."""
    add = [(t.ADD_ITEM, ADD)] if count < ITEMS_MAX else []
    return _rows(callbacks.WIZARD_MATERIAL, nonce, add, [(t.DONE, DONE)])


def material_summary(nonce: str, count: int) -> InlineKeyboardMarkup:
    """Returns send, add, drop the last item, change the reason, and cancel."""
    add = [(t.ADD_ITEM_SHORT, ADD)] if count < ITEMS_MAX else []
    return _rows(
        callbacks.WIZARD_MATERIAL,
        nonce,
        [(t.MR_SEND, SEND)],
        [*add, (t.MR_DROP_LAST, DROP_LAST)],
        [(t.MR_EDIT_REASON, EDIT_REASON), (t.CANCEL, CANCEL)],
    )


# --- repair report ---------------------------------------------------------------------------


def replaced(nonce: str, count: int, approved: bool) -> InlineKeyboardMarkup:
    """Returns the choices of the replaced-equipment step."""
    add = [(t.ADD_DEVICE, ADD)] if count < ITEMS_MAX else []
    if count:
        return _rows(callbacks.WIZARD_REPAIR, nonce, add, [(t.DONE, DONE)])
    return _rows(
        callbacks.WIZARD_REPAIR,
        nonce,
        [(t.USE_APPROVED, APPROVED)] if approved else [],
        add,
        [(t.NO_REPLACEMENT, NONE)],
    )


def repair_summary(nonce: str) -> InlineKeyboardMarkup:
    """Returns send, edit and cancel under the repair summary."""
    return _rows(
        callbacks.WIZARD_REPAIR,
        nonce,
        [(t.RR_SEND, SEND)],
        [(t.RR_EDIT, EDIT), (t.CANCEL, CANCEL)],
    )


def repair_fields(nonce: str) -> InlineKeyboardMarkup:
    """Returns one button per field of the repair report, and the way back."""
    return _rows(
        callbacks.WIZARD_REPAIR,
        nonce,
        *[[(label, f"{EDIT_PREFIX}{code}")] for code, label in t.RR_EDIT_FIELDS.items()],
        [(t.BACK, BACK)],
    )


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
