"""Complaint buttons (card, thread, verdict) and `/aduan_saya`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot import callbacks
from bot.context import BotContext
from bot.handlers.support import button_id, on_button, on_command, on_pair_button
from bot.keyboards import complaints as kb
from bot.services import complaints
from bot.services.complaints import ComplaintView
from bot.services.context import Context
from bot.services.uow import UnitOfWork
from bot.texts import complaints as t


async def take_complaint(update: Update, context: BotContext) -> None:
    """Assigns the complaint to the officer who pressed «Tangani» (the card follows through
    the outbox, like every other move of the complaint)."""
    done = await on_button(update, context, callbacks.COMPLAINT_TAKE, complaints.take, t.refusal)
    if done is not None:
        query, _, view = done
        await query.answer(t.taken_alert(view))


async def _open_private(update: Update, context: BotContext, action: str, suffix: str) -> None:
    """Answers a group button with the private conversation of the complaint it is for."""
    query = update.callback_query
    if query is None or (complaint_id := await button_id(query, action)) is None:
        return
    # A group button cannot start a private conversation; Telegram lets a callback answer open
    # a t.me/<bot>?start= link, which sends `/start <payload>` in the private chat.
    payload = f"adu_{complaint_id}{suffix}"
    await query.answer(url=f"https://t.me/{context.bot.username}?start={payload}")


async def answer_link(update: Update, context: BotContext) -> None:
    """Opens the private answer conversation for the complaint."""
    await _open_private(update, context, callbacks.COMPLAINT_ANSWER, "")


async def forward_link(update: Update, context: BotContext) -> None:
    """Opens the private conversation that forwards the complaint to the official."""
    await _open_private(update, context, callbacks.COMPLAINT_FORWARD, "_t")


async def confirm_solved(update: Update, context: BotContext) -> None:
    """Records the complainant's «Selesai, terima kasih»."""

    async def confirm(uow: UnitOfWork, ctx: Context, pair: tuple[int, int]) -> ComplaintView:
        complaint_id, round_no = pair
        return await complaints.confirm_solved(uow, ctx, complaint_id, round_no)

    done = await on_pair_button(update, context, callbacks.COMPLAINT_SOLVED, confirm, t.refusal)
    if done is None:
        return
    query, _, view = done
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
    done = await on_button(update, context, action, settle, t.refusal)
    if done is None:
        return
    query, _, view = done
    await query.answer(t.settled_alert(view))
    message = query.message
    if message is not None and message.chat.type != ChatType.PRIVATE:
        return  # the group card: the outbox edits it in place
    await query.edit_message_reply_markup(kb.handler(view))


async def my_complaints(update: Update, context: BotContext) -> None:
    """Lists the user's own complaints and their state."""
    done = await on_command(update, context, complaints.mine, t.refusal)
    if done is not None:
        message, views = done
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
