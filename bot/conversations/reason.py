"""Asks for the reason or note some transitions need (reject, hold, cancel, not fixed, ...)."""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from telegram import ForceReply, Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot import callbacks
from bot.config import Settings
from bot.context import BotContext, actor_of, use_case
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
}


def _data(context: BotContext) -> dict[Any, Any]:
    data = context.user_data
    if data is None:  # only for updates without a user, which never reach this conversation
        raise RuntimeError("no user_data")
    return data


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


async def ask(update: Update, context: BotContext) -> int:
    """Checks the pressed action is allowed, then asks for its reason or note."""
    query = update.callback_query
    if query is None or query.message is None:
        return ConversationHandler.END
    parsed = _parse(query.data)
    if parsed is None:
        await query.answer(REFUSALS["stale_button"], show_alert=True)
        return ConversationHandler.END
    action, ident, technician = parsed
    try:
        async with context.services.uow() as uow:
            number = await workflow.precheck(uow, actor_of(update), action, ident)
    except DomainError as error:
        await query.answer(refusal(error), show_alert=True)
        return ConversationHandler.END
    await query.answer()
    chat = query.message.chat
    _data(context)[KEY] = {
        "action": action.value,
        "ident": ident,
        "technician": technician,
        "chat": chat.id,
        "message": query.message.message_id,
    }
    user = update.effective_user
    in_group = chat.type != "private"
    mention = user.mention_html() if in_group and user else None
    if ticket_flow.TABLE[action].note is ticket_flow.Note.OPTIONAL:
        markup: Any = keyboards.no_note(str(ident))
    elif in_group:
        # In a group the bot may only see replies to its own messages (privacy mode).
        markup = ForceReply(selective=True)
    else:
        markup = None
    await context.bot.send_message(
        chat.id, t.prompt(action.value, number, mention), reply_markup=markup
    )
    return State.TEXT


async def _run(update: Update, context: BotContext, text: str | None) -> int:
    pending = _data(context).get(KEY)
    message = update.effective_message
    if not pending or message is None:
        return ConversationHandler.END
    action = Action(pending["action"])
    ctx = use_case(update, context)
    try:
        async with context.services.uow() as uow:
            result = await workflow.run_prompted(
                uow, ctx.who, action, int(pending["ident"]), text, ctx, pending.get("technician")
            )
    except DomainError as error:
        if error.code in ("reason", "note"):
            await message.reply_text(refusal(error))
            return State.TEXT
        _data(context).pop(KEY, None)
        await context.bot.send_message(pending["chat"], refusal(error))
        return ConversationHandler.END
    _data(context).pop(KEY, None)
    number = result.ticket_number if isinstance(result, MaterialRequestView) else result.number
    name = result.assignee_name if isinstance(result, TicketView) else None
    await context.bot.send_message(
        pending["chat"], t.DONE[action.value].format(number=number, name=esc(name or "-"))
    )
    # The card the button was on is finished: its buttons would only be refused now.
    await context.bot.edit_message_reply_markup(
        pending["chat"], pending["message"], reply_markup=None
    )
    return ConversationHandler.END


async def receive_text(update: Update, context: BotContext) -> int:
    """Runs the pending action with the typed reason."""
    message = update.effective_message
    text = message.text if message and message.text else ""
    if len(text) > TEXT_MAX:
        if message:
            await message.reply_text(t.REFUSALS["reason"])
        return State.TEXT
    return await _run(update, context, text)


async def skip_note(update: Update, context: BotContext) -> int:
    """Runs a disposition without a note."""
    query = update.callback_query
    if query is not None:
        await query.answer()
        await query.edit_message_reply_markup(reply_markup=None)
    return await _run(update, context, None)


async def need_text(update: Update, context: BotContext) -> int:
    """Re-asks when something other than text arrives."""
    if update.effective_message:
        await update.effective_message.reply_text(t.NEED_TEXT)
    return State.TEXT


async def cancel(update: Update, context: BotContext) -> int:
    """Drops the pending action."""
    _data(context).pop(KEY, None)
    if update.effective_message:
        await update.effective_message.reply_text(t.CANCELLED)
    return ConversationHandler.END


async def timed_out(update: object, context: BotContext) -> None:
    """Drops the pending action after the timeout."""
    pending = _data(context).pop(KEY, None)
    if pending:
        await context.bot.send_message(pending["chat"], t.TIMED_OUT)


def conversation(settings: Settings) -> BaseHandler[Any, Any, Any]:
    """Returns the reason-prompt conversation."""
    entry = [CallbackQueryHandler(ask, pattern=callbacks.pattern(action)) for action in ACTIONS]
    return ConversationHandler(
        entry_points=entry,  # type: ignore[arg-type]
        states={
            State.TEXT: [
                MessageHandler(filters.TEXT & ~filters.COMMAND, receive_text),
                CallbackQueryHandler(skip_note, pattern=callbacks.pattern(callbacks.NO_NOTE)),
                MessageHandler(~filters.COMMAND & ~filters.StatusUpdate.ALL, need_text),
            ],
            ConversationHandler.TIMEOUT: [TypeHandler(Update, timed_out)],
        },
        fallbacks=[CommandHandler("batal", cancel)],
        name="reason",
        persistent=True,
        allow_reentry=True,
        conversation_timeout=settings.conversation_timeout_minutes * 60,
    )
