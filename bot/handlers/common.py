"""For everyone: /start without an invite, /bantuan, stray /batal, unknown commands and presses.

Also the two handlers around all others: the first cleans every incoming text, the last answers
every button press no other handler took.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from telegram import Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot import inbound
from bot.context import BotContext, actor_of
from bot.services import users
from bot.texts import help as t
from bot.texts.common import GENERIC_ERROR, REFUSALS, esc

log = logging.getLogger(__name__)


def _roles(update: Update, context: BotContext, granted: Iterable[str]) -> set[str]:
    """Returns the roles a user holds, admin included when the settings name them one."""
    admin = actor_of(update).telegram_id in context.services.settings.admin_ids
    return set(granted) | ({"admin"} if admin else set())


async def start(update: Update, context: BotContext) -> None:
    """Greets a user who opened the bot without (or with an unusable) invite."""
    if update.effective_message is None:
        return
    async with context.services.uow() as uow:
        known = await users.touch_user(uow, actor_of(update), context.services.now())
    if roles := _roles(update, context, known.roles):
        text = t.START_KNOWN.format(name=esc(known.full_name), help=t.help_for(roles))
    else:
        text = t.START_UNKNOWN.format(telegram_id=known.telegram_id)
    await update.effective_message.reply_text(text)


async def show_help(update: Update, context: BotContext) -> None:
    """Lists the commands for the user's roles."""
    if update.effective_message is None:
        return
    admin_ids = context.services.settings.admin_ids
    async with context.services.uow() as uow:
        view = await users.profile(uow, actor_of(update), admin_ids)
    roles = _roles(update, context, view.roles if view else ())
    await update.effective_message.reply_text(t.help_for(roles))


async def nothing_to_cancel(update: Update, context: BotContext) -> None:
    """Answers /batal when no conversation runs."""
    if update.effective_message:
        await update.effective_message.reply_text(t.NOTHING_TO_CANCEL)


async def unknown_command(update: Update, context: BotContext) -> None:
    """Answers commands the bot does not know (private chats only; groups stay quiet)."""
    if update.effective_message:
        await update.effective_message.reply_text(t.UNKNOWN_COMMAND)


async def clean_incoming(update: Update, context: BotContext) -> None:
    """Strips control characters from the update's texts before any other handler reads them."""
    if inbound.clean_update(update):
        log.info("control characters stripped from update %s", update.update_id)


async def stale_button(update: Update, context: BotContext) -> None:
    """Answers a press no other handler took (old, foreign or forged data, a closed prompt)."""
    if update.callback_query is not None:
        await update.callback_query.answer(REFUSALS["stale_button"], show_alert=True)


async def on_error(update: object, context: BotContext) -> None:
    """Logs the failure (no user text) and apologises to the user."""
    log.error("update failed", exc_info=context.error)
    if isinstance(update, Update):
        if update.callback_query is not None:
            try:
                await update.callback_query.answer(GENERIC_ERROR, show_alert=True)
            except Exception:  # the query may be too old to answer
                log.debug("could not answer callback after error", exc_info=True)
        elif (
            update.effective_message is not None
            and update.effective_chat is not None
            and update.effective_chat.type == "private"
        ):
            await update.effective_message.reply_text(GENERIC_ERROR)


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """Returns this module's handlers."""
    private = filters.ChatType.PRIVATE
    return [
        CommandHandler("start", start, filters=private),
        CommandHandler("bantuan", show_help),
        CommandHandler("help", show_help),
        CommandHandler("batal", nothing_to_cancel, filters=private),
        MessageHandler(filters.COMMAND & private, unknown_command),
    ]


def first_of_all() -> BaseHandler[Any, Any, Any]:
    """Returns the handler, registered in a group before all others, that cleans every update."""
    return TypeHandler(Update, clean_incoming)


def last_resort() -> BaseHandler[Any, Any, Any]:
    """Returns the handler, registered after all others, that answers every leftover press."""
    # Telegram keeps a button spinning until the press is answered; without this, a press of a
    # button from an older version, of a closed prompt or of forged data is never answered.
    return CallbackQueryHandler(stale_button)
