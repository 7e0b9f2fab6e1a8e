"""The technician group: job cards and their buttons, and making a group the technician group."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot import callbacks
from bot.context import BotContext
from bot.handlers.support import on_button, on_command
from bot.services import tech_group, tickets
from bot.texts import help as th
from bot.texts import tickets as t


async def claim_ticket(update: Update, context: BotContext) -> None:
    """Assigns the ticket to the technician who pressed «Ambil»."""
    done = await on_button(update, context, callbacks.CLAIM, tickets.claim)
    if done is not None:
        query, _, ticket = done
        # The card itself is edited through the outbox, queued with the claim (retried if it
        # fails).
        await query.answer(t.claimed_alert(ticket))


async def set_group(update: Update, context: BotContext) -> None:
    """Makes the current group the technician group (admins only)."""
    message = update.effective_message
    chat = update.effective_chat
    if message is None or chat is None:
        return
    if chat.type == "private":
        await message.reply_text(th.GROUP_ONLY)
        return
    done = await on_command(
        update, context, lambda uow, ctx: tech_group.set_tech_group(uow, ctx, chat.id)
    )
    if done is not None:
        await message.reply_text(th.GROUP_SET)


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """Returns this module's handlers."""
    return [
        CallbackQueryHandler(claim_ticket, pattern=callbacks.pattern(callbacks.CLAIM)),
        CommandHandler("pasang_grup", set_group, filters=filters.ChatType.GROUPS),
    ]
