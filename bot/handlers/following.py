"""Following up: /tiket (`/status` is in `bot.handlers.queues`)."""

from __future__ import annotations

from typing import Any

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatType
from telegram.ext import BaseHandler, CommandHandler

from bot.context import BotContext, use_case
from bot.keyboards import tickets as ticket_keyboards
from bot.services import complaints, opd_view, ticket_messages
from bot.services.errors import DomainError
from bot.texts import common as tc
from bot.texts import complaints as tcomp
from bot.texts import tickets as t


async def show_ticket(update: Update, context: BotContext) -> None:
    """Shows one ticket with its timeline."""
    message = update.effective_message
    if message is None:
        return
    if not context.args:
        await message.reply_text(t.TIKET_USAGE)
        return
    if complaints.is_complaint_number(context.args[0]):
        await _show_complaint(update, context, context.args[0])
        return
    try:
        async with context.services.uow() as uow:
            ctx = use_case(update, context)
            ticket, withdraw, waiting = await opd_view.detail(uow, ctx, context.args[0])
    except DomainError as error:
        await message.reply_text(tc.refusal(error))
        return
    markup = ticket_keyboards.detail(ticket, reporter_view=withdraw)
    last = await _reply(message, t.detail(ticket, waiting), markup)
    if message.chat.type == ChatType.PRIVATE:
        # A reply to it writes to the ticket (the ticket's conversation).
        async with context.services.uow() as uow:
            await ticket_messages.remember_direct(uow, ticket.id, last.chat.id, last.message_id)


async def _show_complaint(update: Update, context: BotContext, number: str) -> None:
    """Shows one complaint with its timeline to the complainant or staff; in a group, whoever
    asks, without the complainant's identity."""
    message = update.effective_message
    if message is None:
        return
    shared = message.chat.type != ChatType.PRIVATE
    try:
        async with context.services.uow() as uow:
            view = await complaints.detail(uow, use_case(update, context), number, shared=shared)
    except DomainError as error:
        await message.reply_text(tcomp.refusal(error))
        return
    await _reply(message, tcomp.detail(view))


async def _reply(
    message: Message, texts: list[str], markup: InlineKeyboardMarkup | None = None
) -> Message:
    """Replies with an answer spread over messages; the buttons go under the last one."""
    *first, last = texts
    for text in first:
        await message.reply_text(text)
    return await message.reply_text(last, reply_markup=markup)


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """Returns this module's handlers."""
    return [CommandHandler("tiket", show_ticket)]
