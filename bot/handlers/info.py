"""What the published standard tells everyone: `/kontak` and `/info`."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from bot.context import BotContext
from bot.texts import info as t


async def show_contacts(update: Update, context: BotContext) -> None:
    """Lists the complaint channels."""
    if update.effective_message is not None:
        await update.effective_message.reply_text(t.contacts(context.services.settings))


async def show_standard(update: Update, context: BotContext) -> None:
    """Shows the service standard with the configured office hours."""
    if update.effective_message is not None:
        services = context.services
        await update.effective_message.reply_text(
            t.standard(services.settings, services.calendar.schedule)
        )


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """Returns this module's handlers."""
    return [CommandHandler("kontak", show_contacts), CommandHandler("info", show_standard)]
