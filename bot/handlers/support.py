"""Small helpers shared by handlers: reading a pressed button, running one use case for a press
or a command (refusals answered), and edits that skip what the message already shows."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any, TypeVar

from telegram import CallbackQuery, InlineKeyboardMarkup, Message, Update

from bot import callbacks
from bot.context import BotContext, use_case
from bot.services.context import Context
from bot.services.errors import DomainError
from bot.services.uow import UnitOfWork
from bot.texts import common as tc

T = TypeVar("T")
Ids = TypeVar("Ids")
Refusal = Callable[[DomainError], str]
SHOWN = "shown"  # chat_data: [message id, digest] of the last edit, against no-op edits


async def button_id(query: CallbackQuery, action: str) -> int | None:
    """Returns the numeric id a pressed button carries, or answers that the button is stale."""
    try:
        return callbacks.parse_int(query.data, action)
    except callbacks.BadCallback:
        await query.answer(tc.REFUSALS["stale_button"], show_alert=True)
        return None


async def button_pair(query: CallbackQuery, action: str) -> tuple[int, int] | None:
    """Returns the two numbers (`<id>_<other>`) a button carries, or answers it as stale."""
    try:
        first, _, second = callbacks.parse(query.data, action).partition("_")
        return int(first), int(second)
    except (callbacks.BadCallback, ValueError):
        await query.answer(tc.REFUSALS["stale_button"], show_alert=True)
        return None


async def run_use_case(
    update: Update,
    context: BotContext,
    use: Callable[[UnitOfWork, Context], Awaitable[T]],
    answer: Callable[[str], Awaitable[object]],
    refusal: Refusal,
) -> tuple[T] | None:
    """Runs a use case in a unit of work: its result (in a 1-tuple), or None once refused."""
    # The 1-tuple tells a refusal apart from a use case that returns None.
    try:
        async with context.services.uow() as uow:
            return (await use(uow, use_case(update, context)),)
    except DomainError as error:
        await answer(refusal(error))
        return None


async def _on_press(
    update: Update,
    context: BotContext,
    read: Callable[[CallbackQuery], Awaitable[Ids | None]],
    use: Callable[[UnitOfWork, Context, Ids], Awaitable[T]],
    refusal: Refusal,
) -> tuple[CallbackQuery, Ids, T] | None:
    query = update.callback_query
    if query is None or (ids := await read(query)) is None:
        return None

    async def alert(text: str) -> bool:
        return await query.answer(text, show_alert=True)

    done = await run_use_case(update, context, lambda uow, ctx: use(uow, ctx, ids), alert, refusal)
    return None if done is None else (query, ids, done[0])


async def on_button(
    update: Update,
    context: BotContext,
    action: str,
    use: Callable[[UnitOfWork, Context, int], Awaitable[T]],
    refusal: Refusal = tc.refusal,
) -> tuple[CallbackQuery, int, T] | None:
    """Runs a one-id button's use case: (press, id, result), or None once stale or refused."""
    # The press is not answered yet when it comes back: the caller answers with the outcome.
    return await _on_press(update, context, lambda q: button_id(q, action), use, refusal)


async def on_pair_button(
    update: Update,
    context: BotContext,
    action: str,
    use: Callable[[UnitOfWork, Context, tuple[int, int]], Awaitable[T]],
    refusal: Refusal = tc.refusal,
) -> tuple[CallbackQuery, tuple[int, int], T] | None:
    """Like `on_button`, for a button that carries two numbers (`<id>_<other>`)."""
    return await _on_press(update, context, lambda q: button_pair(q, action), use, refusal)


async def on_command(
    update: Update,
    context: BotContext,
    use: Callable[[UnitOfWork, Context], Awaitable[T]],
    refusal: Refusal = tc.refusal,
) -> tuple[Message, T] | None:
    """Runs a command's use case: (message, result), or None once the refusal is replied."""
    message = update.effective_message
    if message is None:
        return None
    done = await run_use_case(update, context, use, message.reply_text, refusal)
    return None if done is None else (message, done[0])


def _digest(message_id: int, text: str, markup: InlineKeyboardMarkup | None) -> list[Any]:
    content = json.dumps([text, markup.to_dict() if markup else None], sort_keys=True)
    return [message_id, hashlib.sha256(content.encode()).hexdigest()[:16]]


def remember_shown(
    chat_data: MutableMapping[Any, Any] | None,
    message: Message,
    text: str,
    markup: InlineKeyboardMarkup | None = None,
) -> None:
    """Notes what a message the bot just sent shows (so a later edit to the same is skipped)."""
    if chat_data is not None:
        chat_data[SHOWN] = _digest(message.message_id, text, markup)


async def edit_unless_shown(
    query: CallbackQuery,
    chat_data: MutableMapping[Any, Any] | None,
    text: str,
    markup: InlineKeyboardMarkup | None = None,
) -> None:
    """Changes the pressed message, unless it shows this already (a double tap)."""
    if query.message is not None and chat_data is not None:
        shown = _digest(query.message.message_id, text, markup)
        if chat_data.get(SHOWN) == shown:
            return  # Telegram refuses an edit that changes nothing
        chat_data[SHOWN] = shown
    await query.edit_message_text(text, reply_markup=markup)
