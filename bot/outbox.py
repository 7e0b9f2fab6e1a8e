"""Delivers the outbox right after each commit, with retries that survive restarts."""

from __future__ import annotations

import asyncio
import io
import logging
import re
import warnings
from datetime import timedelta
from typing import Any

from telegram import InputFile, InputMediaDocument, InputMediaPhoto, Message, Update
from telegram.constants import ChatType
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.ext import ApplicationHandlerStop, CallbackQueryHandler
from telegram.warnings import PTBDeprecationWarning, PTBUserWarning

from bot import callbacks
from bot.context import BotContext
from bot.render.common import BERITA_ACARA_ID
from bot.services import outbox, ticket_messages, workflow
from bot.services.container import Services
from bot.texts import tickets as t

log = logging.getLogger(__name__)

# Bad requests that retrying can never fix, but that mean the message is as good as delivered.
_HARMLESS = ("message is not modified",)
# Bad requests after which a card (job or complaint) must be posted again rather than edited.
_CARD_GONE = ("message to edit not found", "message can't be edited")


class OutboxDelivery:
    """Runs one delivery pass at a time; a kick during a pass asks for another."""

    def __init__(self, services: Services, bot: Any, batch: int = 50) -> None:
        self._services = services
        self._bot = bot
        self._batch = batch
        self._task: asyncio.Task[None] | None = None
        self._again = False

    def kick(self) -> None:
        """Starts a delivery pass soon (after the current commit returns)."""
        if self._task is not None and not self._task.done():
            self._again = True
            return
        self._again = False
        self._task = asyncio.get_running_loop().create_task(self._run(), name="outbox")

    async def wait_idle(self) -> None:
        """Waits until no delivery pass is running (tests and shutdown)."""
        while self._task is not None and not self._task.done():
            await asyncio.shield(self._task)

    async def _run(self) -> None:
        while True:
            try:
                await self.deliver_due()
            except Exception:  # a broken pass must not kill future kicks
                log.exception("outbox pass failed")
            if not self._again:
                return
            self._again = False

    async def deliver_due(self) -> int:
        """Attempts every due call once; returns how many were delivered."""
        services = self._services
        async with services.uow() as uow:
            items = await outbox.due(uow, services.now(), self._batch)
        delivered = 0
        for item in items:
            if item.is_card:
                async with services.uow() as uow:
                    resolved = await outbox.resolve(uow, item, services.now())
                if resolved is None:
                    continue
                item = resolved
            if await self._attempt(item):
                delivered += 1
            elif self._flood_wait:
                break
            elif self._moved:
                # The rest of this batch may still name the old chat: read it afresh.
                self._again = True
                break
        return delivered

    _flood_wait = False
    _moved = False

    async def _attempt(self, item: outbox.Pending) -> bool:
        services = self._services
        self._flood_wait = self._moved = False
        try:
            result = await self._call(item)
        except ChatMigrated as error:
            # Not a failure to retry: the group lives on under a new id, for good.
            self._moved = True
            new_chat_id = int(error.new_chat_id)
            log.warning("chat %s became %s; following it", item.chat_id, new_chat_id)
            async with services.uow() as uow:
                await outbox.move_chat(uow, services.context(), item.chat_id, new_chat_id)
            return False
        except RetryAfter as error:
            self._flood_wait = True
            delay = _retry_after_seconds(error)
            log.warning("flood control: waiting %.0f s before outbox item %s", delay, item.id)
            async with services.uow() as uow:
                await outbox.mark_retry(
                    uow,
                    item,
                    services.now(),
                    "RetryAfter",
                    timedelta(seconds=delay),
                    count_attempt=False,
                )
            return False
        except Forbidden as error:
            await self._give_up(item, f"Forbidden: {error.message}")
            return False
        except BadRequest as error:
            text = error.message.lower()
            if any(h in text for h in _HARMLESS):
                async with services.uow() as uow:
                    await outbox.mark_sent(uow, item, services.now(), None)
                return True
            if item.method == "editMessageText" and any(g in text for g in _CARD_GONE):
                async with services.uow() as uow:
                    await outbox.mark_retry(uow, item, services.now(), error.message, timedelta(0))
                    # Forget the lost card so the retry posts a fresh one.
                    await outbox.forget_card(uow, item)
                    await uow.commit()
                return False
            await self._give_up(item, f"BadRequest: {error.message}")
            return False
        except TimedOut as error:
            # The request left, the answer did not come back: Telegram may well have delivered
            # it. An edit is simply repeated (a second identical edit is refused as "not
            # modified", which counts as delivered). A post is repeated too, knowing it may
            # make a copy: the Bot API has no idempotency key for sendMessage and no way to read
            # a chat, so the bot can never learn whether, or under which message id, the first
            # post arrived, and a missing card is worse than one too many. For a card the copy
            # does no harm: the repeated post becomes the card of record, and the copy, if
            # there is one, is deleted the first time someone presses it, which is the only
            # moment Telegram tells the bot its message id (see drop_duplicate_card).
            uncertain = item.method != "editMessageText"
            log.warning(
                "outbox item %s timed out%s; will retry",
                item.id,
                " (it may have been delivered)" if uncertain else "",
            )
            reason = f"TimedOut: {error.message}"
            if uncertain:
                reason += " (delivery uncertain: a retry may post a copy)"
            async with services.uow() as uow:
                await outbox.mark_retry(uow, item, services.now(), reason)
            return False
        except (NetworkError, TelegramError) as error:
            log.warning(
                "outbox item %s not delivered (%s); will retry", item.id, type(error).__name__
            )
            async with services.uow() as uow:
                await outbox.mark_retry(
                    uow, item, services.now(), f"{type(error).__name__}: {error.message}"
                )
            return False
        except Exception as error:
            # A call that cannot even be built would fail forever and block everything queued
            # behind it: give it up loudly instead.
            log.exception("outbox item %s cannot be sent", item.id)
            await self._give_up(item, f"{type(error).__name__}: {error}")
            return False
        message_id = _message_id(result)
        async with services.uow() as uow:
            await outbox.mark_sent(uow, item, services.now(), message_id)
        return True

    async def _call(self, item: outbox.Pending) -> Any:
        kwargs = dict(item.payload)
        if item.method == "sendMediaGroup":
            # PTB only accepts InputMedia objects here (it applies the default parse mode).
            media = [_input_media(entry) for entry in kwargs.pop("media")]
            return await self._bot.send_media_group(item.chat_id, media, **kwargs)
        if BERITA_ACARA_ID in kwargs:
            async with self._services.uow() as uow:
                document = await workflow.pdf_by_id(uow, int(kwargs.pop(BERITA_ACARA_ID)))
            if document is None:
                raise ValueError("berita acara no longer exists")
            name, pdf = document
            return await self._bot.send_document(
                item.chat_id, InputFile(io.BytesIO(pdf), filename=name), **kwargs
            )
        if ticket_messages.PLACE in kwargs or ticket_messages.NOTE in kwargs:
            # The ticket's place in the technician group (its topic, its job card) is only
            # known now; None: nothing to do there (a pin or a topic without a forum).
            async with self._services.uow() as uow:
                placed = await ticket_messages.place_payload(
                    uow, item.chat_id, item.ticket_id, kwargs
                )
            if placed is None:
                return None
            kwargs = placed
        kwargs["chat_id"] = item.chat_id
        # Replaying a stored raw call is what do_api_request is for; PTB still advises the typed
        # method when the endpoint has one. The advice is silenced for this call only (warning
        # filters are process-wide, but one delivery runs at a time and nothing else in the bot
        # calls do_api_request).
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", r"Please use 'Bot\.", PTBUserWarning)
            return await self._bot.do_api_request(item.method, api_kwargs=kwargs)

    async def _give_up(self, item: outbox.Pending, reason: str) -> None:
        log.warning("outbox item %s given up: %s", item.id, reason)
        async with self._services.uow() as uow:
            await outbox.mark_failed(uow, self._services.context(), item, reason)


# Buttons that only ever appear on a card, with the kind of card they belong to.
_CARD_ACTIONS: dict[str, str] = {
    **dict.fromkeys(
        (
            callbacks.CLAIM,
            callbacks.LIGHT,
            callbacks.HEAVY,
            callbacks.HOLD,
            callbacks.RESUME,
            callbacks.REASSIGN,
            callbacks.CANCEL_TICKET,
            callbacks.REPAIR,
        ),
        outbox.JOB_CARD,
    ),
    **dict.fromkeys(
        (
            callbacks.COMPLAINT_TAKE,
            callbacks.COMPLAINT_ANSWER,
            callbacks.COMPLAINT_FORWARD,
            callbacks.COMPLAINT_RESOLVE,
            callbacks.COMPLAINT_CLOSE,
        ),
        outbox.COMPLAINT_CARD,
    ),
}
_CARD_PRESS = re.compile(
    rf"^{callbacks.VERSION}:({'|'.join(map(re.escape, _CARD_ACTIONS))}):([0-9]{{1,12}})\Z"
)
_MAX_ID = 2**31 - 1  # ticket and complaint ids are 32-bit integers in the database


def duplicate_card_handler() -> CallbackQueryHandler[BotContext, None]:
    """Returns the handler that catches presses on a copy of a card (register it first)."""
    return CallbackQueryHandler(drop_duplicate_card, pattern=_CARD_PRESS)


async def drop_duplicate_card(update: Update, context: BotContext) -> None:
    """Deletes a copy of a card (a post repeated after a timeout) when someone presses it.

    Cards live in group chats, one per ticket or complaint; a press on a message with a card's
    buttons that is not the recorded card of that chat is on the copy. Other presses go on to
    the real handlers untouched.
    """
    query = update.callback_query
    message = query.message if query is not None else None
    match = _CARD_PRESS.match(query.data or "") if query is not None else None
    if query is None or message is None or match is None:
        return
    if message.chat.type == ChatType.PRIVATE or int(match.group(2)) > _MAX_ID:
        return
    purpose, owner_id = _CARD_ACTIONS[match.group(1)], int(match.group(2))
    owner = {"ticket_id": owner_id} if purpose == outbox.JOB_CARD else {"complaint_id": owner_id}
    chat_id, message_id = message.chat.id, message.message_id
    services = context.services
    async with services.uow() as uow:
        if not await outbox.is_duplicate_card(uow, chat_id, message_id, purpose, **owner):
            return
    log.info("deleting copy %s of a %s in chat %s", message_id, purpose, chat_id)
    try:
        await context.bot.delete_message(chat_id, message_id)
    except BadRequest:
        # A bot may delete its messages for 48 hours only: take the buttons away instead.
        try:
            await context.bot.edit_message_reply_markup(chat_id, message_id, reply_markup=None)
        except BadRequest:
            log.warning("copy %s of a %s in chat %s stays", message_id, purpose, chat_id)
    await query.answer(t.DUPLICATE_CARD, show_alert=True)
    raise ApplicationHandlerStop


def _retry_after_seconds(error: RetryAfter) -> float:
    # PTB 22 announces that retry_after becomes a timedelta; accept both without the warning.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value: int | float | timedelta = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def _input_media(entry: dict[str, Any]) -> InputMediaPhoto | InputMediaDocument:
    kind = InputMediaPhoto if entry.get("type") == "photo" else InputMediaDocument
    return kind(entry["media"], caption=entry.get("caption"), parse_mode=entry.get("parse_mode"))


def _message_id(result: Any) -> int | None:
    if isinstance(result, dict):
        # A created forum topic is known by its message_thread_id.
        mid = result.get("message_id", result.get("message_thread_id"))
        return int(mid) if mid is not None else None
    if isinstance(result, list) and result and isinstance(result[0], dict):
        return _message_id(result[0])
    if isinstance(result, Message):
        return result.message_id
    if isinstance(result, tuple) and result and isinstance(result[0], Message):
        return result[0].message_id
    return None
