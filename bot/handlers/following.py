"""Following up: /status and /tiket."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from bot.context import BotContext, actor_of
from bot.services import tickets
from bot.services.errors import DomainError
from bot.texts import common as tc
from bot.texts import tickets as t


async def show_status(update: Update, context: BotContext) -> None:
    """Lists the tickets the user follows."""
    message = update.effective_message
    if message is None:
        return
    try:
        async with context.services.uow() as uow:
            data = await tickets.overview(uow, actor_of(update))
    except DomainError as error:
        await message.reply_text(tc.refusal(error))
        return
    await message.reply_text(t.overview(data))


async def show_ticket(update: Update, context: BotContext) -> None:
    """Shows one ticket with its timeline."""
    message = update.effective_message
    if message is None:
        return
    if not context.args:
        await message.reply_text(t.TIKET_USAGE)
        return
    try:
        async with context.services.uow() as uow:
            ticket = await tickets.detail(
                uow,
                actor_of(update),
                context.args[0],
                now=context.services.now(),
                calendar=context.services.calendar,
                settings=context.services.settings,
            )
    except DomainError as error:
        await message.reply_text(tc.refusal(error))
        return
    await message.reply_text(t.detail(ticket))


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """Returns this module's handlers."""
    return [CommandHandler("status", show_status), CommandHandler("tiket", show_ticket)]
