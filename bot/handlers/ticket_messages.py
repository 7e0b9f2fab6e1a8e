"""The ticket as a conversation: replies to the bot's ticket messages and messages in a ticket's
forum topic are written to the ticket; the list of a ticket's messages and resends."""

from __future__ import annotations

import logging
from typing import Any

from telegram import Message, ReactionTypeEmoji, Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import BaseHandler, CallbackQueryHandler, MessageHandler, TypeHandler, filters

from bot import callbacks
from bot.context import BotContext, use_case
from bot.handlers import common
from bot.handlers.support import on_button
from bot.keyboards import ticket_messages as keyboards
from bot.services import ticket_messages
from bot.services.errors import DomainError
from bot.services.ticket_messages import Incoming, Kind, Target
from bot.texts import ticket_messages as t
from bot.texts.common import refusal

log = logging.getLogger(__name__)

# The group of the handler that notes whether a group is a forum (it sees every update).
FORUM_WATCH_GROUP = 1
_FORUMS = "forum_chats"  # bot_data: chat id -> last seen is_forum
_SENT = "👍"  # the reaction that tells a technician in the group the message went out
ALBUM = "note_album"  # user_data: [media group id, ticket id] of the last album written
_CONTENT = filters.UpdateType.MESSAGE & ~filters.COMMAND & ~filters.StatusUpdate.ALL


def remember_album(context: BotContext, message: Message, ticket_id: int) -> None:
    """Notes the album a message written to a ticket belongs to: its other photos (separate
    messages to the bot) go to the same ticket."""
    if message.media_group_id is not None and context.user_data is not None:
        context.user_data[ALBUM] = [message.media_group_id, ticket_id]


class _Album(filters.MessageFilter):
    """Messages that are part of an album (a media group)."""

    def filter(self, message: Message) -> bool:
        return message.media_group_id is not None


def incoming(message: Message, *, in_group: bool = False) -> Incoming:
    """Returns a message as the ticket records it: its kind and its text or caption."""
    kinds = (
        (Kind.PHOTO, message.photo),
        (Kind.DOCUMENT, message.document),
        (Kind.VOICE, message.voice),
        (Kind.VIDEO, message.video),
        (Kind.AUDIO, message.audio),
        (Kind.VIDEO_NOTE, message.video_note),
        (Kind.ANIMATION, message.animation),
        (Kind.LOCATION, message.location),
        (Kind.TEXT, message.text),
    )
    kind = next((kind for kind, part in kinds if part), Kind.OTHER)
    text = message.text or message.caption
    return Incoming(message.chat.id, message.message_id, kind, text, in_group)


async def _target(context: BotContext, message: Message, in_group: bool) -> Target | None:
    """Returns the ticket a message is written to: a reply to a ticket's message (in the group:
    to a relayed message), or a message in a ticket's topic."""
    chat_id = message.chat.id
    thread = message.message_thread_id if message.is_topic_message else None
    reply = message.reply_to_message
    async with context.services.uow() as uow:
        # In a topic, a message without a reply of its own "replies" to the topic's start.
        if reply is not None and reply.message_id != thread:
            found = await ticket_messages.by_reply(uow, chat_id, reply.message_id)
            # In the group only a reply to a relayed message goes to the OPD: replies to the
            # job card or a notice are the technicians' own talk.
            if found is not None and (found.answers_id is not None or not in_group):
                return found
        if thread is not None:
            return await ticket_messages.by_topic(uow, chat_id, thread)
    return None


async def write_to_ticket(
    update: Update, context: BotContext, known: Target | None = None, *, album: bool = False
) -> None:
    """Writes a reply to a ticket's message (or a message in its topic) to the ticket."""
    message = update.effective_message
    if message is None or update.effective_user is None:
        return
    in_group = message.chat.type != ChatType.PRIVATE
    target = known or await _target(context, message, in_group)
    if target is None:
        if not in_group:
            # A reply to some other message: the same answer as any stray private message.
            await common.stray_message(update, context)
        return
    try:
        async with context.services.uow() as uow:
            sent = await ticket_messages.write(
                uow, use_case(update, context), target, incoming(message, in_group=in_group)
            )
    except DomainError as error:
        await message.reply_text(refusal(error))
        return
    remember_album(context, message, target.ticket_id)
    if in_group:
        await _react(message)
    elif not (album and message.media_group_id):
        await message.reply_text(t.sent(sent.ticket.number, sent.recipients))


async def write_album(update: Update, context: BotContext) -> None:
    """Writes the further photos of an album to the ticket its first photo went to."""
    message = update.effective_message
    if message is None or update.effective_user is None:
        return
    known = (context.user_data or {}).get(ALBUM)
    if message.reply_to_message is not None or not known or known[0] != message.media_group_id:
        await write_to_ticket(update, context)
        return
    await write_to_ticket(update, context, Target(int(known[1])), album=True)


async def _react(message: Message) -> None:
    try:
        await message.set_reaction(ReactionTypeEmoji(_SENT))
    except TelegramError:
        log.debug("no reaction in chat %s", message.chat.id, exc_info=True)


async def list_notes(update: Update, context: BotContext) -> None:
    """Lists the last messages of a ticket, each with a button to receive it again."""

    done = await on_button(update, context, callbacks.NOTE_LIST, ticket_messages.notes)
    if done is None:
        return
    query, _, (number, found) = done
    await query.answer()
    if query.message is not None:
        await context.bot.send_message(
            query.message.chat.id, t.listing(number, found), reply_markup=keyboards.listing(found)
        )


async def send_again(update: Update, context: BotContext) -> None:
    """Sends a ticket's message again to whoever may read the ticket and asks for it."""
    done = await on_button(update, context, callbacks.NOTE_AGAIN, ticket_messages.note_for_resend)
    if done is None:
        return
    query, _, note = done
    await query.answer()
    if query.message is None:
        return
    chat_id = query.message.chat.id
    await context.bot.send_message(chat_id, t.header(note, group=False))
    try:
        await context.bot.copy_message(chat_id, note.source_chat_id, note.source_message_id)
    except TelegramError:
        # The writer deleted the original (or left): only the timeline's excerpt remains.
        await context.bot.send_message(chat_id, t.GONE)


async def watch_forum(update: Update, context: BotContext) -> None:
    """Notes whether a group is a forum (topics on), as its updates show, when it changes."""
    chat = update.effective_chat
    if chat is None or chat.type not in (ChatType.GROUP, ChatType.SUPERGROUP):
        return
    forum = bool(chat.is_forum)
    seen: dict[int, bool] = context.bot_data.setdefault(_FORUMS, {})
    if seen.get(chat.id) == forum:
        return
    async with context.services.uow() as uow:
        await ticket_messages.note_forum(uow, chat.id, forum)
    seen[chat.id] = forum


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """Returns this module's handlers (register before the private catch-all)."""
    private = filters.ChatType.PRIVATE & filters.REPLY
    group = filters.ChatType.GROUPS & (filters.REPLY | filters.IS_TOPIC_MESSAGE)
    return [
        MessageHandler(_CONTENT & (private | group), write_to_ticket),
        # The rest of an album whose first photo was written to a ticket (also by the form).
        MessageHandler(_CONTENT & filters.ChatType.PRIVATE & _Album(), write_album),
        CallbackQueryHandler(list_notes, pattern=callbacks.pattern(callbacks.NOTE_LIST)),
        CallbackQueryHandler(send_again, pattern=callbacks.pattern(callbacks.NOTE_AGAIN)),
    ]


def forum_watch() -> BaseHandler[Any, Any, Any]:
    """Returns the handler that notes forum groups (its own group: it sees every update)."""
    return TypeHandler(Update, watch_forum)
