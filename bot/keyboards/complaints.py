"""Keyboards of complaints: the card, the thread, the verdict (the forms' are the engine's).

The buttons on a complaint's messages come from its transition table
(:func:`bot.services.complaints.offered`): a message offers what its readers may do now.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import callbacks
from bot.keyboards.buttons import button, offered_rows
from bot.services import complaints
from bot.services.complaints import Action, Audience, ComplaintView
from bot.texts import complaints as t

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
