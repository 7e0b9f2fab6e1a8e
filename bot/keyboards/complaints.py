"""Keyboards of complaints: the forms (with their nonce), the card, the thread, the verdict.

The buttons on a complaint's messages come from its transition table
(:func:`bot.services.complaints.offered`): a message offers what its readers may do now.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import callbacks
from bot.keyboards.buttons import button, offered_rows
from bot.services import complaints
from bot.services.complaints import RECORDED_CHANNELS, Action, Audience, ComplaintView
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


# What each button is called and which callback it sends.
_BUTTONS: dict[Action, tuple[str, str]] = {
    Action.TAKE: (t.TAKE_BUTTON, callbacks.COMPLAINT_TAKE),
    Action.ANSWER: (t.ANSWER_BUTTON, callbacks.COMPLAINT_ANSWER),
    Action.FORWARD: (t.FORWARD_BUTTON, callbacks.COMPLAINT_FORWARD),
    Action.SOLVED: (t.SOLVED_BUTTON, callbacks.COMPLAINT_SOLVED),
    Action.NOT_SOLVED: (t.NOT_SOLVED_BUTTON, callbacks.COMPLAINT_NOT_SOLVED),
    Action.RESOLVE: (t.RESOLVE_BUTTON, callbacks.COMPLAINT_RESOLVE),
    Action.CLOSE: (t.CLOSE_BUTTON, callbacks.COMPLAINT_CLOSE),
}
# The complainant's verdict answers one round of answers: an older answer's buttons go stale.
_PER_ROUND = frozenset({Action.SOLVED, Action.NOT_SOLVED})

# Where each message puts its buttons; a button shows only while the transition table offers
# its action to the people who read the message.
_CARD = ((Action.TAKE,), (Action.RESOLVE,), (Action.ANSWER, Action.FORWARD), (Action.CLOSE,))
_THREAD = ((Action.ANSWER,), (Action.RESOLVE,), (Action.CLOSE,))
_VERDICT = ((Action.SOLVED,), (Action.NOT_SOLVED,))
_HANDLER = ((Action.RESOLVE,), (Action.CLOSE,))


def _action_button(view: ComplaintView, action: Action) -> InlineKeyboardButton:
    label, callback = _BUTTONS[action]
    ident = f"{view.id}_{view.response_count}" if action in _PER_ROUND else view.id
    return button(label, callback, ident)


def _offer(
    view: ComplaintView, audience: Audience, layout: tuple[tuple[Action, ...], ...]
) -> InlineKeyboardMarkup | None:
    offered = complaints.offered(view, audience)
    return offered_rows(layout, offered, lambda a: _action_button(view, a))


def card(view: ComplaintView) -> InlineKeyboardMarkup | None:
    """Returns the officers' buttons on a complaint's card: what an officer may do now.

    None once the complaint is with the official (escalated) or closed: from then on the
    official acts on the thread.
    """
    return _offer(view, Audience.OFFICER, _CARD)


def thread(view: ComplaintView) -> InlineKeyboardMarkup | None:
    """Returns the official's buttons on the thread, by state."""
    return _offer(view, Audience.OFFICIAL, _THREAD)


def verdict(view: ComplaintView) -> InlineKeyboardMarkup | None:
    """Returns the complainant's buttons under an answer: solved, not solved."""
    return _offer(view, Audience.COMPLAINANT, _VERDICT)


def handler(view: ComplaintView) -> InlineKeyboardMarkup | None:
    """Returns the buttons in the private chat of whoever handles the complaint (the official
    once escalated, else the officer): resolve an answered complaint, close a resolved one."""
    audience = Audience.OFFICIAL if view.escalated else Audience.OFFICER
    return _offer(view, audience, _HANDLER)


def after_answer(view: ComplaintView) -> InlineKeyboardMarkup | None:
    """Returns the buttons under "answer sent" ("resolved" for an answer outside the bot)."""
    return handler(view)
