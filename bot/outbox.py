"""Delivers the outbox right after each commit, with retries that survive restarts."""

from __future__ import annotations

import asyncio
import bisect
import contextvars
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
from bot.pacing import OUTBOX_SEND, Pacer
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
    """Drains the outbox in one lane per chat, each send in a slot of the pacer.

    A lane holds the next few due calls of one chat in queue order and has at most one call in
    the air, so a chat's calls arrive in the order they were queued (a card's edit never
    overtakes its post). The lane whose slot comes first goes next: a group waiting three
    seconds between cards never holds up a private notice, and a chat that Telegram asked to
    wait (429) is set aside on its own while the others go on. The lanes are only a cache of
    the outbox table: what is delivered is marked there one by one, so a restart loses nothing
    and sends nothing twice.
    """

    def __init__(
        self,
        services: Services,
        bot: Any,
        pacer: Pacer | None = None,
        *,
        per_chat: int = 5,
        batch: int = 500,
    ) -> None:
        self._services = services
        self._bot = bot
        self.pacer = pacer or Pacer()
        self._per_chat = per_chat
        self._batch = batch
        self._task: asyncio.Task[None] | None = None
        self._wake: asyncio.Event | None = None
        self._refresh = False
        self._lanes: dict[int, list[outbox.Pending]] = {}
        # Lanes loaded to `per_chat`: more of that chat may wait in the table.
        self._full: set[int] = set()
        self._busy: dict[int, asyncio.Task[None]] = {}
        # Ids loaded in this pass (in a lane, in the air or settled), never loaded twice; those
        # released (left queued for a later retry) may be loaded again by the next read.
        self._known: set[int] = set()
        self._released: list[int] = []

    def kick(self) -> None:
        """Starts a delivery pass soon (after the current commit returns), or makes the running
        pass read the outbox again."""
        self._refresh = True
        if self._task is not None and not self._task.done():
            if self._wake is not None:
                self._wake.set()
            return
        # A fresh context: the pass must not carry the update that kicked it (its commits would
        # otherwise count as that update's, see bot.ops.dedupe).
        self._task = asyncio.get_running_loop().create_task(
            self._run(), name="outbox", context=contextvars.Context()
        )

    async def wait_idle(self) -> None:
        """Waits until no delivery pass is running (tests and shutdown)."""
        while self._task is not None and not self._task.done():
            await asyncio.shield(self._task)

    async def _run(self) -> None:
        self._wake = asyncio.Event()
        try:
            await self._drain()
        except Exception:  # a broken pass must not kill future kicks
            log.exception("outbox pass failed")
        finally:
            if self._busy:
                await asyncio.gather(*self._busy.values(), return_exceptions=True)
            self._lanes.clear()
            self._full.clear()
            self._busy.clear()
            self._known.clear()
            self._released.clear()

    async def _drain(self) -> None:
        pacer, wake = self.pacer, self._wake
        assert wake is not None  # noqa: S101 - set by _run
        while True:
            if self._refresh:
                self._refresh = False
                wake.clear()
                await self._load()
            chat_id = self._next_lane()
            if chat_id is None:
                if self._busy:
                    await pacer.clock.wait(None, wake, list(self._busy.values()))
                    continue
                if self._refresh:
                    continue
                return
            delay = pacer.ready_at(chat_id) - pacer.clock.monotonic()
            if delay > 0 or len(self._busy) >= pacer.limits.in_flight:
                await pacer.clock.wait(
                    delay if delay > 0 else None, wake, list(self._busy.values())
                )
                continue
            item = self._lanes[chat_id].pop(0)
            pacer.take(chat_id)
            self._busy[chat_id] = asyncio.get_running_loop().create_task(
                self._deliver(item), name=f"outbox-{item.id}"
            )

    async def _load(self) -> None:
        """Reads the due calls of every chat into the lanes."""
        known = self._known
        known.difference_update(self._released)
        self._released.clear()
        services = self._services
        async with services.uow() as uow:
            items = await outbox.due_lanes(uow, services.now(), self._per_chat, self._batch)
        counts: dict[int, int] = {}
        for item in items:
            counts[item.chat_id] = counts.get(item.chat_id, 0) + 1
            if item.id in known:
                continue
            known.add(item.id)
            lane = self._lanes.setdefault(item.chat_id, [])
            lane.insert(bisect.bisect([queued.id for queued in lane], item.id), item)
        self._full.update(chat for chat, count in counts.items() if count >= self._per_chat)

    def _next_lane(self) -> int | None:
        """Returns the idle chat whose slot comes first (the older call on a tie)."""
        best: tuple[float, int] | None = None
        chosen = None
        for chat_id, lane in self._lanes.items():
            if not lane or chat_id in self._busy:
                continue
            key = (self.pacer.ready_at(chat_id), lane[0].id)
            if best is None or key < best:
                best, chosen = key, chat_id
        return chosen

    async def _deliver(self, item: outbox.Pending) -> None:
        """Attempts one call (a card edit resolved first) and frees its lane."""
        token = OUTBOX_SEND.set(True)
        try:
            if item.is_card:
                services = self._services
                async with services.uow() as uow:
                    resolved = await outbox.resolve(uow, item, services.now())
                if resolved is None:
                    return
                item = resolved
            if not await self._attempt(item):
                self._released.append(item.id)
        except Exception:
            log.exception("outbox item %s: delivery failed", item.id)
            self._released.append(item.id)
        finally:
            OUTBOX_SEND.reset(token)
            self._busy.pop(item.chat_id, None)
            lane = self._lanes.get(item.chat_id)
            if not lane:
                self._lanes.pop(item.chat_id, None)
                if item.chat_id in self._full:
                    self._full.discard(item.chat_id)
                    self._refresh = True

    def _set_aside(self, chat_id: int) -> None:
        """Empties a chat's lane: its calls are read again when the chat may be sent to."""
        for queued in self._lanes.pop(chat_id, []):
            self._released.append(queued.id)
        self._full.discard(chat_id)

    def _later(self, seconds: float) -> None:
        """Reads the outbox again after a while (when a held chat may go on)."""
        self.pacer.clock.call_later(seconds, self.kick)

    async def _attempt(self, item: outbox.Pending) -> bool:
        services = self._services
        try:
            result = await self._call(item)
        except ChatMigrated as error:
            # Not a failure to retry: the group lives on under a new id, for good. The lane of
            # the old id is set aside once the table names the new one, and read afresh.
            new_chat_id = int(error.new_chat_id)
            log.warning("chat %s became %s; following it", item.chat_id, new_chat_id)
            async with services.uow() as uow:
                await outbox.move_chat(uow, services.context(), item.chat_id, new_chat_id)
            self._set_aside(item.chat_id)
            self._refresh = True
            return False
        except RetryAfter as error:
            # Only this chat waits: once the table holds it (see OutboxRepo.due_lanes), its
            # lane is set aside and the pass goes on with the others. Until then the chat's
            # call is in the air, so nothing else of the chat can go.
            delay = _retry_after_seconds(error)
            log.warning("flood control: chat waits %.0f s before outbox item %s", delay, item.id)
            async with services.uow() as uow:
                await outbox.mark_retry(
                    uow,
                    item,
                    services.now(),
                    "RetryAfter",
                    timedelta(seconds=delay),
                    count_attempt=False,
                )
            self._set_aside(item.chat_id)
            self._later(delay)
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
        # method when the endpoint has one. The advice is silenced for this call only. Warning
        # filters are process-wide and several calls may be in the air at once (one per chat):
        # interleaved, the worst that happens is the advice shown once or this filter left in
        # place, both harmless, and nothing else in the bot calls do_api_request. Tests send
        # one call at a time (bot.pacing.NO_LIMITS), so their warnings-as-errors hold.
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
