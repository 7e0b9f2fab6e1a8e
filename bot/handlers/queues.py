"""`/status` with the work queue of every role, its page turners and items, and `/cari`."""

from __future__ import annotations

import secrets
from typing import Any

from telegram import CallbackQuery, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot import callbacks
from bot.context import BotContext
from bot.handlers.support import (
    edit_unless_shown,
    on_button,
    on_command,
    on_pair_button,
    remember_shown,
)
from bot.keyboards import queues as keyboards
from bot.keyboards import tickets as ticket_keyboards
from bot.services import queues, search
from bot.services.context import Context
from bot.services.errors import InvalidInput, InvalidState
from bot.services.queues import (
    CoordinatorQueue,
    OfficialQueue,
    Section,
    StatusAnswer,
    SupervisorOverview,
)
from bot.services.uow import UnitOfWork
from bot.texts import complaints as tcomp
from bot.texts import queues as t
from bot.texts import tickets as tt
from bot.texts.common import refusal as common_refusal
from bot.texts.fit import split

SEARCH_KEY = "search"  # user_data: the last search, for its page turners
NONCE_MAX = 1_000_000

Shown = tuple[str, InlineKeyboardMarkup | None]


def _section(data: CoordinatorQueue | OfficialQueue | SupervisorOverview) -> Shown:
    """Returns the text and buttons of one page of a section."""
    if isinstance(data, CoordinatorQueue):
        return t.coordinator(data), keyboards.coordinator(data)
    if isinstance(data, OfficialQueue):
        return t.official(data), keyboards.official(data)
    return t.supervisor(data), keyboards.supervisor(data)


def _messages(answer: StatusAnswer) -> list[Shown]:
    """Returns the messages of `/status`: the lists without buttons first (spread over as many
    messages as they need), then each paged section in its own message with its buttons."""
    plain: list[str] = []
    if answer.tickets is not None:
        plain.append(tt.overview(answer.tickets))
    if answer.own_complaints:
        plain.append(tcomp.status_section(answer.own_complaints))
    shown: list[Shown] = [(text, None) for text in split("\n\n".join(plain))] if plain else []
    for data in (answer.coordinator, answer.official, answer.supervisor):
        if data is not None:
            shown.append(_section(data))
    return shown


async def show_status(update: Update, context: BotContext) -> None:
    """Shows every section of `/status` the user's roles give them."""
    done = await on_command(update, context, queues.status)
    if done is None:
        return
    message, answer = done
    for text, markup in _messages(answer):
        sent = await message.reply_text(text, reply_markup=markup)
        if markup is not None:
            remember_shown(context.chat_data, sent, text, markup)


async def turn_status_page(update: Update, context: BotContext) -> None:
    """Shows another page of a `/status` section in place."""

    async def page(
        uow: UnitOfWork, ctx: Context, pair: tuple[int, int]
    ) -> CoordinatorQueue | OfficialQueue | SupervisorOverview:
        which, number = pair
        if which not in {int(s) for s in Section}:
            raise InvalidState("stale_button")
        return await queues.section(uow, ctx, Section(which), number)

    done = await on_pair_button(update, context, callbacks.QUEUE_PAGE, page, common_refusal)
    if done is None:
        return
    query, _, data = done
    await query.answer()
    text, markup = _section(data)
    await _turn(query, context, text, markup)


async def _turn(
    query: CallbackQuery, context: BotContext, text: str, markup: InlineKeyboardMarkup | None
) -> None:
    """Edits a list to another page; a page that shows what the message shows is left as it is
    (a list that shrank can turn an old button's page into the one on screen)."""
    try:
        await edit_unless_shown(query, context.chat_data, text, markup)
    except BadRequest as error:
        if "not modified" not in str(error):
            raise


async def _reply(message: Message, texts: list[str], markup: InlineKeyboardMarkup | None) -> None:
    *first, last = texts
    for text in first:
        await message.reply_text(text)
    await message.reply_text(last, reply_markup=markup)


async def open_ticket(update: Update, context: BotContext) -> None:
    """Sends a listed ticket's details and timeline, as `/tiket` does."""
    done = await on_button(update, context, callbacks.QUEUE_TICKET, queues.open_ticket)
    if done is None:
        return
    query, _, ticket = done
    await query.answer()
    if isinstance(query.message, Message):
        await _reply(query.message, tt.detail(ticket), ticket_keyboards.detail(ticket))


async def open_complaint(update: Update, context: BotContext) -> None:
    """Sends a listed complaint's details and timeline, as `/tiket ADU-...` does."""
    done = await on_button(
        update, context, callbacks.QUEUE_COMPLAINT, queues.open_complaint, tcomp.refusal
    )
    if done is None:
        return
    query, _, view = done
    await query.answer()
    if isinstance(query.message, Message):
        await _reply(query.message, tcomp.detail(view), None)


async def find(update: Update, context: BotContext) -> None:
    """Searches tickets and complaints: `/cari <kata>`."""
    text = " ".join(context.args or [])

    async def run(uow: UnitOfWork, ctx: Context) -> search.SearchPage:
        return await search.search(uow, ctx, text)

    done = await on_command(update, context, run)
    if done is None:
        return
    message, page = done
    nonce = secrets.randbelow(NONCE_MAX)
    if context.user_data is not None:
        context.user_data[SEARCH_KEY] = {"nonce": nonce, "query": page.query}
    shown, markup = t.search(page), keyboards.search(page, nonce)
    sent = await message.reply_text(shown, reply_markup=markup)
    remember_shown(context.chat_data, sent, shown, markup)


async def turn_search_page(update: Update, context: BotContext) -> None:
    """Shows another page of the last search in place (an older search's buttons are stale)."""
    last = (context.user_data or {}).get(SEARCH_KEY) or {}

    async def page(uow: UnitOfWork, ctx: Context, pair: tuple[int, int]) -> search.SearchPage:
        nonce, number = pair
        if nonce != last.get("nonce") or not isinstance(last.get("query"), str):
            raise InvalidInput("stale_button")
        return await search.search(uow, ctx, last["query"], number)

    done = await on_pair_button(update, context, callbacks.SEARCH_PAGE, page, common_refusal)
    if done is None:
        return
    query, (nonce, _), found = done
    await query.answer()
    await _turn(query, context, t.search(found), keyboards.search(found, nonce))


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """Returns this module's handlers."""
    return [
        CommandHandler("status", show_status),
        CommandHandler("cari", find),
        CallbackQueryHandler(turn_status_page, pattern=callbacks.pattern(callbacks.QUEUE_PAGE)),
        CallbackQueryHandler(open_ticket, pattern=callbacks.pattern(callbacks.QUEUE_TICKET)),
        CallbackQueryHandler(open_complaint, pattern=callbacks.pattern(callbacks.QUEUE_COMPLAINT)),
        CallbackQueryHandler(turn_search_page, pattern=callbacks.pattern(callbacks.SEARCH_PAGE)),
    ]
