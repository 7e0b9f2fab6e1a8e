"""For everyone: /start without an invite, /bantuan, stray /batal, unknown commands and presses.

Also the handlers around all others: the first cleans every incoming text, the last ones answer
every button press and every private message that no other handler took.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from telegram import CallbackQuery, Update
from telegram.error import TelegramError
from telegram.ext import (
    ApplicationHandlerStop,
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot import answers, inbound
from bot.context import BotContext, actor_of, use_case
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
        known = await users.touch_user(uow, use_case(update, context))
    if roles := _roles(update, context, known.roles):
        text = t.START_KNOWN.format(name=esc(known.full_name), help=t.help_for(roles))
    else:
        text = t.START_UNKNOWN.format(telegram_id=known.telegram_id)
    await update.effective_message.reply_text(text)


async def _profile_roles(update: Update, context: BotContext) -> set[str]:
    """Returns the roles of the update's user (admins by configuration included)."""
    async with context.services.uow() as uow:
        view = await users.profile(uow, use_case(update, context))
    return _roles(update, context, view.roles if view else ())


async def show_help(update: Update, context: BotContext) -> None:
    """Lists the commands for the user's roles."""
    if update.effective_message is None:
        return
    roles = await _profile_roles(update, context)
    await update.effective_message.reply_text(t.help_for(roles))


async def nothing_to_cancel(update: Update, context: BotContext) -> None:
    """Answers /batal when no conversation runs."""
    if update.effective_message:
        await update.effective_message.reply_text(t.NOTHING_TO_CANCEL)


async def unknown_command(update: Update, context: BotContext) -> None:
    """Answers commands the bot does not know (private chats only; groups stay quiet)."""
    if update.effective_message:
        await update.effective_message.reply_text(t.UNKNOWN_COMMAND)


async def stray_message(update: Update, context: BotContext) -> None:
    """Answers a private message no form or handler took with the person's main commands."""
    message = update.effective_message
    if message is None or update.effective_user is None:
        return
    await message.reply_text(t.stray_hint(await _profile_roles(update, context)))


async def clean_incoming(update: Update, context: BotContext) -> None:
    """Strips control characters from the update's texts before any other handler reads them."""
    if inbound.clean_update(update):
        log.info("control characters stripped from update %s", update.update_id)


async def stale_button(update: Update, context: BotContext) -> None:
    """Answers a press no other handler took (old, foreign or forged data, a closed prompt)."""
    if update.callback_query is not None:
        await update.callback_query.answer(REFUSALS["stale_button"], show_alert=True)


async def on_error(update: object, context: BotContext) -> None:
    """Logs the failure (no user text), apologises to the user once and ends the update."""
    log.error("update failed", exc_info=context.error)
    if not isinstance(update, Update):
        return
    if update.callback_query is not None:
        await _apologise_for_press(update.callback_query, context)
    elif (
        update.effective_message is not None
        and update.effective_chat is not None
        and update.effective_chat.type == "private"
    ):
        try:
            await update.effective_message.reply_text(GENERIC_ERROR)
        except TelegramError:
            log.warning("could not send the apology for a failed update", exc_info=True)
    # One failure, one apology: no handler of a later group takes the update on (a press
    # would be answered a second time, a private text would get the stray hint as well).
    raise ApplicationHandlerStop


async def _apologise_for_press(query: CallbackQuery, context: BotContext) -> None:
    """Apologises once for a failed press: as its answer, or as a message to the person when
    the handler had answered it already (Telegram refuses a second answer)."""
    if not answers.was_answered(context.bot, query.id):
        try:
            await query.answer(GENERIC_ERROR, show_alert=True)
            return
        except TelegramError:  # too old to answer (a slow handler): say it as a message
            log.debug("could not answer callback after error", exc_info=True)
    try:
        await context.bot.send_message(query.from_user.id, GENERIC_ERROR)
    except TelegramError:  # the person never opened a private chat with the bot
        log.warning("could not send the apology for a failed press", exc_info=True)


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


def stray() -> BaseHandler[Any, Any, Any]:
    """Returns the handler, registered after all others, that answers leftover private messages.

    Only new messages in a private chat: in a group the bot stays quiet (the technicians talk
    there), and an edit, a command (see :func:`unknown_command`) or a service message (a pin,
    a member joining) is no question to answer.
    """
    leftover = (
        filters.UpdateType.MESSAGE
        & filters.ChatType.PRIVATE
        & ~filters.COMMAND
        & ~filters.StatusUpdate.ALL
    )
    return MessageHandler(leftover, stray_message)
