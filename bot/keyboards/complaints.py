"""Keyboards of complaints: the forms (with their nonce), the card, the thread, the verdict."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import callbacks
from bot.services.complaints import RECORDED_CHANNELS, ComplaintStatus, ComplaintView
from bot.texts import complaints as t

SKIP = "skip"
DONE = "done"
YES = "yes"
NO = "no"
SEND = "send"
CANCEL = "cancel"


def _form(
    label: str, nonce: str, choice: str, action: str = callbacks.COMPLAINT_FORM
) -> list[InlineKeyboardButton]:
    return [InlineKeyboardButton(label, callback_data=callbacks.make(action, f"{nonce}_{choice}"))]


def _button(label: str, action: str, ident: int | str) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=callbacks.make(action, ident))


def categories(nonce: str) -> InlineKeyboardMarkup:
    """Returns one button per complaint category."""
    return InlineKeyboardMarkup(
        [_form(label, nonce, category.value) for category, label in t.CATEGORY.items()]
    )


def channels(nonce: str) -> InlineKeyboardMarkup:
    """Returns one button per channel an officer records complaints from."""
    return InlineKeyboardMarkup([_form(t.CHANNEL[c], nonce, c.value) for c in RECORDED_CHANNELS])


def skip(nonce: str) -> InlineKeyboardMarkup:
    """Returns the button that skips the related ticket."""
    return InlineKeyboardMarkup([_form(t.SKIP, nonce, SKIP)])


def files(nonce: str, count: int) -> InlineKeyboardMarkup:
    """Returns the button that ends the attachment step."""
    return InlineKeyboardMarkup([_form(t.DONE if count else t.SKIP, nonce, DONE)])


def confidential(nonce: str) -> InlineKeyboardMarkup:
    """Returns yes and no for confidentiality."""
    return InlineKeyboardMarkup([_form(t.YES, nonce, YES), _form(t.NO, nonce, NO)])


def summary(
    nonce: str, label: str = t.SEND, action: str = callbacks.COMPLAINT_SEND
) -> InlineKeyboardMarkup:
    """Returns send and cancel under a summary."""
    return InlineKeyboardMarkup(
        [_form(label, nonce, SEND, action), _form(t.CANCEL, nonce, CANCEL, action)]
    )


def card(view: ComplaintView) -> InlineKeyboardMarkup | None:
    """Returns the buttons that still apply on a complaint's card, by state.

    None once the complaint is with the official (escalated) or closed: from then on the
    official acts on the thread.
    """
    if view.escalated:
        return None
    rows: list[list[InlineKeyboardButton]] = []
    match view.status:
        case ComplaintStatus.NEW | ComplaintStatus.IN_PROGRESS:
            if view.status is ComplaintStatus.NEW:
                rows.append([_button(t.TAKE_BUTTON, callbacks.COMPLAINT_TAKE, view.id)])
            rows.append(
                [
                    _button(t.ANSWER_BUTTON, callbacks.COMPLAINT_ANSWER, view.id),
                    _button(t.FORWARD_BUTTON, callbacks.COMPLAINT_FORWARD, view.id),
                ]
            )
        case ComplaintStatus.RESPONDED:
            if not view.complainant_in_bot:
                # Nobody can confirm in the bot: the officer declares it resolved.
                rows.append([_button(t.RESOLVE_BUTTON, callbacks.COMPLAINT_RESOLVE, view.id)])
            rows.append([_button(t.FORWARD_BUTTON, callbacks.COMPLAINT_FORWARD, view.id)])
        case ComplaintStatus.RESOLVED:
            rows.append([_button(t.CLOSE_BUTTON, callbacks.COMPLAINT_CLOSE, view.id)])
    return InlineKeyboardMarkup(rows) if rows else None


def thread(view: ComplaintView) -> InlineKeyboardMarkup | None:
    """Returns the official's buttons on the thread, by state."""
    match view.status:
        case ComplaintStatus.ESCALATED:
            return InlineKeyboardMarkup(
                [[_button(t.ANSWER_BUTTON, callbacks.COMPLAINT_ANSWER, view.id)]]
            )
        case ComplaintStatus.RESPONDED:
            return InlineKeyboardMarkup(
                [[_button(t.RESOLVE_BUTTON, callbacks.COMPLAINT_RESOLVE, view.id)]]
            )
        case ComplaintStatus.RESOLVED:
            return InlineKeyboardMarkup(
                [[_button(t.CLOSE_BUTTON, callbacks.COMPLAINT_CLOSE, view.id)]]
            )
    return None


def verdict(view: ComplaintView) -> InlineKeyboardMarkup:
    """Returns the complainant's buttons under an answer: solved, not solved."""
    ident = f"{view.id}_{view.response_count}"
    return InlineKeyboardMarkup(
        [
            [_button(t.SOLVED_BUTTON, callbacks.COMPLAINT_SOLVED, ident)],
            [_button(t.NOT_SOLVED_BUTTON, callbacks.COMPLAINT_NOT_SOLVED, ident)],
        ]
    )


def after_answer(view: ComplaintView) -> InlineKeyboardMarkup | None:
    """Returns "resolved" for an officer who answered someone outside the bot."""
    if view.status is ComplaintStatus.RESPONDED and not view.complainant_in_bot:
        return InlineKeyboardMarkup(
            [[_button(t.RESOLVE_BUTTON, callbacks.COMPLAINT_RESOLVE, view.id)]]
        )
    return thread(view) if view.status is ComplaintStatus.RESPONDED and view.escalated else None


def close(view: ComplaintView) -> InlineKeyboardMarkup:
    """Returns the close button."""
    return InlineKeyboardMarkup([[_button(t.CLOSE_BUTTON, callbacks.COMPLAINT_CLOSE, view.id)]])
