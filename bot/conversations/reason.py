"""Asks for the reason or note some transitions need (reject, hold, cancel, not fixed, ...).

A prompt belongs to one person and ends as soon as they answer it, cancel it (/batal), do
something else (any command, another button, another form), or after the conversation
timeout. In a group only a reply to the prompt is taken as the reason: what else the person
writes there is their talk with colleagues, not the reason for a rejection or a hold.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from telegram import ForceReply, Update
from telegram.constants import ChatType
from telegram.ext import (
    ApplicationHandlerStop,
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot import callbacks
from bot.config import Settings
from bot.context import BotContext, use_case
from bot.conversations import wizard as w
from bot.handlers.workflow import refusal
from bot.keyboards import workflow as keyboards
from bot.services import ticket_flow, workflow
from bot.services.domain import MaterialRequestView, TicketView
from bot.services.errors import DomainError
from bot.services.ticket_flow import Action
from bot.texts import workflow as t
from bot.texts.common import REFUSALS, esc

KEY = "prompt"
TEXT_MAX = 500
# The handler group of this conversation: before every other, see :func:`conversation`.
GROUP = -1

# Which button asks for which text.
ACTIONS = {
    callbacks.DISPOSE_TEAM: Action.DISPOSE_TEAM,
    callbacks.DISPOSE_TECH: Action.DISPOSE_TECH,
    callbacks.REJECT_REPORT: Action.REJECT_REPORT,
    callbacks.HOLD: Action.HOLD,
    callbacks.CANCEL_TICKET: Action.CANCEL,
    callbacks.MATERIAL_REJECT: Action.MATERIAL_REJECT,
    callbacks.MATERIAL_REVISE: Action.MATERIAL_REVISE,
    callbacks.NOT_FIXED: Action.NOT_FIXED,
    callbacks.WITHDRAW: Action.WITHDRAW,
}


class State(IntEnum):
    """The one step: waiting for the text."""

    TEXT = 1


def _parse(data: str | None) -> tuple[Action, int, int | None] | None:
    for action, prompted in ACTIONS.items():
        try:
            ident = callbacks.parse(data, action)
        except callbacks.BadCallback:
            continue
        first, _, second = ident.partition("_")
        if not first.isdigit() or (second and not second.isdigit()):
            return None
        if (prompted is Action.DISPOSE_TECH) != bool(second):
            return None
        return prompted, int(first), int(second) if second else None
    return None


def _addressed(update: Update, pending: dict[str, Any]) -> bool:
    """Tells whether a message answers the pending prompt: in its chat and, in a group, as a
    reply to it (anything else the person writes in a group is their own conversation)."""
    message = update.effective_message
    if message is None or message.chat.id != pending["chat"]:
        return False
    if message.chat.type == ChatType.PRIVATE:
        return True
    replied = message.reply_to_message
    return replied is not None and replied.message_id in _asked(pending)


def _asked(pending: dict[str, Any]) -> list[int]:
    """Returns the messages a reply to which answers the prompt: it and any question again."""
    return [pending["prompt"], *pending.get("again", [])] if pending.get("prompt") else []


async def _end_prompt(context: BotContext) -> None:
    """Forgets a pending prompt and marks its message as ended (its buttons go with it)."""
    pending = w.user_data(context).pop(KEY, None)
    if pending and pending.get("prompt") is not None:
        ended = t.prompt_ended(pending.get("number", ""))
        await w.retire(context.bot, pending["chat"], pending["prompt"], ended)


async def _ask_again(update: Update, pending: dict[str, Any], text: str) -> None:
    """Answers the person's message; in a group a reply to this answer counts as the reason."""
    message = update.effective_message
    if message is None:
        return
    in_group = message.chat.type != ChatType.PRIVATE
    # Selective: the reply field opens only for the person whose message this answers.
    sent = await message.reply_text(
        text, reply_markup=ForceReply(selective=True) if in_group else None
    )
    if in_group:
        pending["again"] = [*pending.get("again", []), sent.message_id]


async def ask(update: Update, context: BotContext) -> int:
    """Checks the pressed action is allowed, then asks for its reason or note."""
    query = update.callback_query
    if query is None or query.message is None:
        return w.END
    # Another reason button ends a prompt still open, whether or not this one is allowed.
    await _end_prompt(context)
    parsed = _parse(query.data)
    if parsed is None:
        await query.answer(REFUSALS["stale_button"], show_alert=True)
        raise ApplicationHandlerStop(w.END)
    action, ident, technician = parsed
    try:
        async with context.services.uow() as uow:
            ticket = await workflow.precheck(uow, use_case(update, context), action, ident)
        number = ticket.number
    except DomainError as error:
        await query.answer(refusal(error), show_alert=True)
        raise ApplicationHandlerStop(w.END) from None
    await query.answer()
    chat = query.message.chat
    user = update.effective_user
    in_group = chat.type != ChatType.PRIVATE
    mention = user.mention_html() if in_group and user else None
    if ticket_flow.TABLE[action].note is ticket_flow.Note.OPTIONAL:
        markup: Any = keyboards.no_note(str(ident))
    elif in_group:
        # In a group the bot may only see replies to its own messages (privacy mode), and only
        # a reply to the prompt is taken as the reason.
        markup = ForceReply(selective=True)
    else:
        markup = None
    sent = await context.bot.send_message(
        chat.id, t.prompt(action.value, number, mention), reply_markup=markup
    )
    w.user_data(context)[KEY] = {
        "action": action.value,
        "ident": ident,
        "technician": technician,
        "number": number,
        "chat": chat.id,
        "message": query.message.message_id,
        "prompt": sent.message_id,
    }
    raise ApplicationHandlerStop(State.TEXT)


async def _run(update: Update, context: BotContext, text: str | None) -> int:
    pending = w.user_data(context).get(KEY)
    if not pending:
        return w.END
    action = Action(pending["action"])
    ctx = use_case(update, context)
    try:
        async with context.services.uow() as uow:
            result = await workflow.run_prompted(
                uow, ctx, action, int(pending["ident"]), text, pending.get("technician")
            )
    except DomainError as error:
        if error.code in ("reason", "note"):
            await _ask_again(update, pending, refusal(error))
            return State.TEXT
        w.user_data(context).pop(KEY, None)
        await context.bot.send_message(pending["chat"], refusal(error))
        return w.END
    w.user_data(context).pop(KEY, None)
    number = result.ticket_number if isinstance(result, MaterialRequestView) else result.number
    name = result.assignee_name if isinstance(result, TicketView) else None
    await context.bot.send_message(
        pending["chat"], t.DONE[action.value].format(number=number, name=esc(name or "-"))
    )
    # The card the button was on is finished: its buttons would only be refused now.
    await context.bot.edit_message_reply_markup(
        pending["chat"], pending["message"], reply_markup=None
    )
    return w.END


async def receive_text(update: Update, context: BotContext) -> int | None:
    """Runs the pending action with the typed reason (a message not meant for it passes on)."""
    pending = w.user_data(context).get(KEY)
    message = update.effective_message
    if not pending or message is None or not _addressed(update, pending):
        return None
    text = w.visible_text(message.text)
    if len(text) > TEXT_MAX:
        await _ask_again(update, pending, t.REFUSALS["reason"])
        raise ApplicationHandlerStop(State.TEXT)
    raise ApplicationHandlerStop(await _run(update, context, text))


async def skip_note(update: Update, context: BotContext) -> int:
    """Runs a disposition without a note (only from the pending prompt's own button)."""
    query = update.callback_query
    pending = w.user_data(context).get(KEY)
    if query is None:
        return State.TEXT
    message = query.message
    if not pending or message is None or message.message_id != pending.get("prompt"):
        await query.answer(REFUSALS["stale_button"], show_alert=True)
        raise ApplicationHandlerStop(State.TEXT)
    await query.answer()
    await query.edit_message_reply_markup(reply_markup=None)
    raise ApplicationHandlerStop(await _run(update, context, None))


async def need_text(update: Update, context: BotContext) -> int | None:
    """Re-asks when something other than text answers the prompt."""
    pending = w.user_data(context).get(KEY)
    if not pending or not _addressed(update, pending):
        return None
    await _ask_again(update, pending, t.NEED_TEXT)
    raise ApplicationHandlerStop(State.TEXT)


async def cancel(update: Update, context: BotContext) -> int:
    """Drops the pending action on /batal in the prompt's chat."""
    pending = w.user_data(context).get(KEY)
    message = update.effective_message
    if not pending or message is None or message.chat.id != pending["chat"]:
        return await interrupted(update, context)
    w.user_data(context).pop(KEY, None)
    await message.reply_text(t.CANCELLED)
    raise ApplicationHandlerStop(w.END)


async def interrupted(update: Update, context: BotContext) -> int:
    """Ends the prompt when its person does something else; the update goes on to its handler."""
    await _end_prompt(context)
    return w.END


async def timed_out(update: Update, context: BotContext) -> None:
    """Drops the pending action after the timeout."""
    pending = w.user_data(context).pop(KEY, None)
    if pending:
        await context.bot.send_message(pending["chat"], t.TIMED_OUT)


def conversation(settings: Settings) -> BaseHandler[Any, Any, Any]:
    """Returns the reason-prompt conversation (registered in its own group, :data:`GROUP`).

    One prompt per person, wherever it was asked. It runs before every other handler so that
    it sees what its person does next: the answer ends it (and stops there); a command, a
    button or a form started elsewhere ends it and goes on to its own handler.
    """
    entry: w.Handlers = [
        CallbackQueryHandler(ask, pattern=callbacks.pattern(action)) for action in ACTIONS
    ]
    # Only new messages that can answer a prompt: private ones, or replies (in a group); the
    # callbacks check they answer this prompt, and anything else passes on untouched.
    new = filters.UpdateType.MESSAGE & (filters.ChatType.PRIVATE | filters.REPLY)
    text: w.Handlers = [
        CommandHandler("batal", cancel),
        MessageHandler(filters.COMMAND, interrupted),
        CallbackQueryHandler(skip_note, pattern=callbacks.pattern(callbacks.NO_NOTE)),
        CallbackQueryHandler(interrupted),
        MessageHandler(new & filters.TEXT & ~filters.COMMAND, receive_text),
        MessageHandler(new & ~filters.COMMAND & ~filters.StatusUpdate.ALL, need_text),
    ]
    states: dict[object, w.Handlers] = {State.TEXT: text}
    return w.persistent(
        "reason", entry, states, timed_out, settings, allow_reentry=True, per_chat=False
    )
