"""Complaint buttons (card, thread, verdict) and `/aduan_saya`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from telegram import CallbackQuery, Update
from telegram.constants import ChatType
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot import callbacks
from bot.context import BotContext, use_case
from bot.handlers.support import button_id
from bot.keyboards import complaints as kb
from bot.services import complaints
from bot.services.complaints import ComplaintView
from bot.services.context import Context
from bot.services.errors import DomainError
from bot.services.uow import UnitOfWork
from bot.texts import complaints as t


async def take_complaint(update: Update, context: BotContext) -> None:
    """Assigns the complaint to the officer who pressed «Tangani» (the card follows through
    the outbox, like every other move of the complaint)."""
    query = update.callback_query
    if query is None:
        return
    complaint_id = await button_id(query, callbacks.COMPLAINT_TAKE)
    if complaint_id is None:
        return
    try:
        async with context.services.uow() as uow:
            view = await complaints.take(uow, use_case(update, context), complaint_id)
    except DomainError as error:
        await query.answer(t.refusal(error), show_alert=True)
        return
    await query.answer(t.taken_alert(view))


async def _open_private(query: CallbackQuery, context: BotContext, payload: str) -> None:
    # A group button cannot start a private conversation; Telegram lets a callback answer open
    # a t.me/<bot>?start= link, which sends `/start <payload>` in the private chat.
    await query.answer(url=f"https://t.me/{context.bot.username}?start={payload}")


async def answer_link(update: Update, context: BotContext) -> None:
    """Opens the private answer conversation for the complaint."""
    query = update.callback_query
    if query is None:
        return
    complaint_id = await button_id(query, callbacks.COMPLAINT_ANSWER)
    if complaint_id is not None:
        await _open_private(query, context, f"adu_{complaint_id}")


async def forward_link(update: Update, context: BotContext) -> None:
    """Opens the private conversation that forwards the complaint to the official."""
    query = update.callback_query
    if query is None:
        return
    complaint_id = await button_id(query, callbacks.COMPLAINT_FORWARD)
    if complaint_id is not None:
        await _open_private(query, context, f"adu_{complaint_id}_t")


async def confirm_solved(update: Update, context: BotContext) -> None:
    """Records the complainant's «Selesai, terima kasih»."""
    query = update.callback_query
    if query is None:
        return
    try:
        ident, _, round_ = callbacks.parse(query.data, callbacks.COMPLAINT_SOLVED).partition("_")
        complaint_id, round_no = int(ident), int(round_)
    except (callbacks.BadCallback, ValueError):
        await query.answer(t.STALE_BUTTON, show_alert=True)
        return
    try:
        async with context.services.uow() as uow:
            view = await complaints.confirm_solved(
                uow, use_case(update, context), complaint_id, round_no
            )
    except DomainError as error:
        await query.answer(t.refusal(error), show_alert=True)
        return
    await query.answer()
    await query.edit_message_reply_markup(None)
    if query.message is not None:
        await query.message.chat.send_message(t.solved_thanks(view))


async def resolve_complaint(update: Update, context: BotContext) -> None:
    """Declares an answered complaint resolved (official, or officer before escalation)."""
    await _settle(update, context, callbacks.COMPLAINT_RESOLVE, complaints.resolve)


async def close_complaint(update: Update, context: BotContext) -> None:
    """Closes a resolved complaint."""
    await _settle(update, context, callbacks.COMPLAINT_CLOSE, complaints.close)


async def _settle(
    update: Update,
    context: BotContext,
    action: str,
    settle: Callable[[UnitOfWork, Context, int], Awaitable[ComplaintView]],
) -> None:
    query = update.callback_query
    if query is None:
        return
    complaint_id = await button_id(query, action)
    if complaint_id is None:
        return
    try:
        async with context.services.uow() as uow:
            view = await settle(uow, use_case(update, context), complaint_id)
    except DomainError as error:
        await query.answer(t.refusal(error), show_alert=True)
        return
    await query.answer(t.settled_alert(view))
    message = query.message
    if message is not None and message.chat.type != ChatType.PRIVATE:
        return  # the group card: the outbox edits it in place
    await query.edit_message_reply_markup(kb.handler(view))


async def my_complaints(update: Update, context: BotContext) -> None:
    """Lists the user's own complaints and their state."""
    message = update.effective_message
    if message is None:
        return
    async with context.services.uow() as uow:
        views = await complaints.mine(uow, use_case(update, context))
    await message.reply_text(t.mine(views))


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """Returns this module's handlers."""

    def button(callback: Any, action: str) -> BaseHandler[Any, Any, Any]:
        return CallbackQueryHandler(callback, pattern=callbacks.pattern(action))

    return [
        button(take_complaint, callbacks.COMPLAINT_TAKE),
        button(answer_link, callbacks.COMPLAINT_ANSWER),
        button(forward_link, callbacks.COMPLAINT_FORWARD),
        button(confirm_solved, callbacks.COMPLAINT_SOLVED),
        button(resolve_complaint, callbacks.COMPLAINT_RESOLVE),
        button(close_complaint, callbacks.COMPLAINT_CLOSE),
        CommandHandler("aduan_saya", my_complaints),
    ]
