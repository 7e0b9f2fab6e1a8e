"""Following up: /status and /tiket."""

from __future__ import annotations

from typing import Any

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatType
from telegram.ext import BaseHandler, CommandHandler

from bot.context import BotContext, use_case
from bot.keyboards import tickets as ticket_keyboards
from bot.services import complaints, tickets
from bot.services.berita_acara import confirmations
from bot.services.errors import DomainError
from bot.texts import common as tc
from bot.texts import complaints as tcomp
from bot.texts import tickets as t
from bot.texts.fit import split


async def show_status(update: Update, context: BotContext) -> None:
    """Lists the tickets the user follows."""
    message = update.effective_message
    if message is None:
        return
    async with context.services.uow() as uow:
        own = await complaints.mine(uow, use_case(update, context))
    try:
        async with context.services.uow() as uow:
            data = await tickets.overview(uow, use_case(update, context))
    except DomainError as error:
        # Someone with complaints but no ticket role still follows their complaints here.
        await _reply(message, split(tcomp.status_section(own)) if own else [tc.refusal(error)])
        return
    text = t.overview(data)
    await _reply(message, split(f"{text}\n\n{tcomp.status_section(own)}" if own else text))


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
            ticket = await tickets.detail(uow, use_case(update, context), context.args[0])
            waiting = await confirmations.waiting_for(uow, ticket.id)
    except DomainError as error:
        await message.reply_text(tc.refusal(error))
        return
    await _reply(message, t.detail(ticket, waiting), ticket_keyboards.detail(ticket))


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
) -> None:
    """Replies with an answer spread over messages; the buttons go under the last one."""
    *first, last = texts
    for text in first:
        await message.reply_text(text)
    await message.reply_text(last, reply_markup=markup)


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """Returns this module's handlers."""
    return [CommandHandler("status", show_status), CommandHandler("tiket", show_ticket)]
