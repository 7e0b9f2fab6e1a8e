"""Answering complaints in a private chat: the officer's or official's answer, the officer's
reason for forwarding to the official, and the complainant's reason for "not solved".

Group buttons cannot start a private conversation, so they answer with a deep link
(`t.me/<bot>?start=adu_<id>`, `..._t` to forward); `/start adu_<id>` enters here.
"""

from __future__ import annotations

import re
import secrets
from enum import IntEnum
from typing import Any

from telegram import InlineKeyboardMarkup, Update
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
from bot.context import BotContext, use_case
from bot.keyboards import complaints as kb
from bot.services import complaints
from bot.services.errors import DomainError, InvalidInput, NotFound
from bot.texts import complaints as t

END = ConversationHandler.END
DRAFT = "complaint_answer"
ANSWER = "answer"
FORWARD = "forward"
NOT_SOLVED = "not_solved"
LINK = re.compile(r"^/start(@\w+)?\s+adu_(\d{1,12})(_t)?\s*$")


class Step(IntEnum):
    """The conversation's states."""

    TEXT = 1
    DELIVERY = 2
    CONFIRM = 3


def _user_data(context: BotContext) -> dict[Any, Any]:
    data = context.user_data
    if data is None:
        raise ValueError("update without a user")
    return data


def _draft(context: BotContext) -> dict[str, Any] | None:
    draft = _user_data(context).get(DRAFT)
    return draft if isinstance(draft, dict) else None


async def _say(update: Update, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    chat = update.effective_chat
    if chat is None:
        raise ValueError("update without a chat")
    await chat.send_message(text, reply_markup=markup)


async def begin_from_link(update: Update, context: BotContext) -> int:
    """Opens an answer (`/start adu_<id>`) or a forwarding (`/start adu_<id>_t`)."""
    message = update.effective_message
    match = LINK.match(message.text or "") if message else None
    if match is None:
        return END
    complaint_id, mode = callbacks.db_id(match.group(2)), FORWARD if match.group(3) else ANSWER
    services = context.services
    try:
        if complaint_id is None:
            raise NotFound()
        async with services.uow() as uow:
            if mode == FORWARD:
                view = await complaints.begin_forward(uow, use_case(update, context), complaint_id)
                needs_delivery, official, prompt = False, False, t.ask_forward(view)
            else:
                start = await complaints.begin_answer(uow, use_case(update, context), complaint_id)
                view, needs_delivery, official = (
                    start.complaint,
                    start.needs_delivery,
                    start.as_official,
                )
                prompt = t.ask_answer(view, official)
    except DomainError as error:
        await _say(update, t.refusal(error))
        return END
    _user_data(context)[DRAFT] = {
        "nonce": secrets.token_hex(3),
        "mode": mode,
        "id": complaint_id,
        "round": view.response_count,
        "number": view.number,
        "needs_delivery": needs_delivery,
    }
    await _say(update, prompt)
    return Step.TEXT


async def begin_not_solved(update: Update, context: BotContext) -> int | None:
    """Asks the complainant why the answer did not solve the complaint."""
    query = update.callback_query
    if query is None:
        return END
    try:
        ident, _, round_ = callbacks.parse(query.data, callbacks.COMPLAINT_NOT_SOLVED).partition(
            "_"
        )
        complaint_id, round_no = int(ident), int(round_)
    except (callbacks.BadCallback, ValueError):
        await query.answer(t.STALE_BUTTON, show_alert=True)
        return END
    try:
        async with context.services.uow() as uow:
            view = await complaints.begin_not_solved(
                uow, use_case(update, context), complaint_id, round_no
            )
    except DomainError as error:
        await query.answer(t.refusal(error), show_alert=True)
        return END
    await query.answer()
    await query.edit_message_reply_markup(None)
    _user_data(context)[DRAFT] = {
        "nonce": secrets.token_hex(3),
        "mode": NOT_SOLVED,
        "id": complaint_id,
        "round": round_no,
        "number": view.number,
        "needs_delivery": False,
    }
    await _say(update, t.ask_not_solved(view))
    return Step.TEXT


async def take_text(update: Update, context: BotContext) -> int | None:
    """Takes the answer or the reason; reasons are sent at once, answers are checked first."""
    draft = _draft(context)
    message = update.effective_message
    if draft is None or message is None:
        return await _lost(update, context)
    text = message.text or ""
    if draft["mode"] == ANSWER:
        try:
            draft["text"] = complaints.clean_answer(text)
        except InvalidInput as error:
            await _say(update, t.refusal(error))
            return None
        if draft["needs_delivery"]:
            await _say(update, t.ASK_DELIVERY)
            return Step.DELIVERY
        return await _confirm(update, draft)
    return await _send_reason(update, context, draft, text)


async def take_delivery(update: Update, context: BotContext) -> int | None:
    """Takes how the answer reached a complainant outside the bot."""
    draft = _draft(context)
    message = update.effective_message
    if draft is None or message is None:
        return await _lost(update, context)
    try:
        draft["delivery"] = complaints.clean_delivery(message.text or "")
    except InvalidInput as error:
        await _say(update, t.refusal(error))
        return None
    return await _confirm(update, draft)


async def _confirm(update: Update, draft: dict[str, Any]) -> int:
    await _say(
        update,
        t.answer_summary(draft["number"], draft["text"], draft.get("delivery")),
        kb.summary(draft["nonce"], t.SEND_ANSWER, callbacks.COMPLAINT_ANSWER_SEND),
    )
    return Step.CONFIRM


async def _send_reason(
    update: Update, context: BotContext, draft: dict[str, Any], text: str
) -> int | None:
    services = context.services
    try:
        async with services.uow() as uow:
            if draft["mode"] == FORWARD:
                view = await complaints.forward(uow, use_case(update, context), draft["id"], text)
                reply = t.forwarded(view)
            else:
                view = await complaints.not_solved(
                    uow, use_case(update, context), draft["id"], draft["round"], text
                )
                reply = t.not_solved_sent(view)
    except InvalidInput as error:
        await _say(update, t.refusal(error))
        return None
    except DomainError as error:
        _user_data(context).pop(DRAFT, None)
        await _say(update, t.refusal(error))
        return END
    _user_data(context).pop(DRAFT, None)
    await _say(update, reply)
    return END


async def send_answer(update: Update, context: BotContext) -> int | None:
    """Sends (or cancels) the checked answer."""
    query = update.callback_query
    draft = _draft(context)
    if query is None:
        return None
    try:
        nonce, _, choice = callbacks.parse(query.data, callbacks.COMPLAINT_ANSWER_SEND).partition(
            "_"
        )
    except callbacks.BadCallback:
        nonce, choice = "", ""
    if draft is None or nonce != draft.get("nonce") or choice not in (kb.SEND, kb.CANCEL):
        await query.answer(t.STALE_BUTTON, show_alert=True)
        return None
    await query.answer()
    await query.edit_message_reply_markup(None)
    _user_data(context).pop(DRAFT, None)
    if choice == kb.CANCEL:
        await _say(update, t.ANSWER_CANCELLED)
        return END
    services = context.services
    try:
        async with services.uow() as uow:
            view = await complaints.respond(
                uow, use_case(update, context), draft["id"], draft["text"], draft.get("delivery")
            )
    except DomainError as error:
        await _say(update, t.refusal(error))
        return END
    await _say(update, t.answered(view), kb.after_answer(view))
    return END


async def _lost(update: Update, context: BotContext) -> int:
    _user_data(context).pop(DRAFT, None)
    await _say(update, t.DRAFT_LOST)
    return END


async def cancel(update: Update, context: BotContext) -> int:
    """Drops the answer on /batal."""
    _user_data(context).pop(DRAFT, None)
    await _say(update, t.ANSWER_CANCELLED)
    return END


async def busy(update: Update, context: BotContext) -> None:
    """Answers other commands and non-text input while an answer is written."""
    await _say(update, t.ANSWER_BUSY)


async def stale(update: Update, context: BotContext) -> None:
    """Answers a confirm button that no longer applies."""
    if update.callback_query is not None:
        await update.callback_query.answer(t.STALE_BUTTON, show_alert=True)


async def stale_outside(update: Update, context: BotContext) -> int:
    """Answers a confirm button pressed when no answer is being written."""
    await stale(update, context)
    return END


async def time_out(update: Update, context: BotContext) -> None:
    """Tells the user the unfinished answer was dropped."""
    _user_data(context).pop(DRAFT, None)
    if update.effective_user is not None:
        context.application.mark_data_for_update_persistence(user_ids=update.effective_user.id)
    await _say(update, t.ANSWER_TIMED_OUT)


def conversation(settings: Settings) -> BaseHandler[Any, Any, Any]:
    """Returns the persistent answer conversation handler."""
    private = filters.ChatType.PRIVATE
    new = filters.UpdateType.MESSAGE & private
    text = new & filters.TEXT & ~filters.COMMAND
    confirm = callbacks.pattern(callbacks.COMPLAINT_ANSWER_SEND)
    return ConversationHandler(
        entry_points=[
            CommandHandler("start", begin_from_link, filters=new & filters.Regex(LINK)),
            CallbackQueryHandler(
                begin_not_solved, pattern=callbacks.pattern(callbacks.COMPLAINT_NOT_SOLVED)
            ),
            CallbackQueryHandler(stale_outside, pattern=confirm),
        ],
        states={
            Step.TEXT: [MessageHandler(text, take_text)],
            Step.DELIVERY: [MessageHandler(text, take_delivery)],
            Step.CONFIRM: [CallbackQueryHandler(send_answer, pattern=confirm)],
            ConversationHandler.TIMEOUT: [TypeHandler(Update, time_out)],
        },
        fallbacks=[
            CommandHandler("batal", cancel),
            CallbackQueryHandler(stale, pattern=confirm),
            MessageHandler(new, busy),
        ],
        name="complaint_answer",
        persistent=True,
        conversation_timeout=settings.conversation_timeout_minutes * 60,
    )
