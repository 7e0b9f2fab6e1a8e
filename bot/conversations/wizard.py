"""Plumbing shared by the private wizards of the repair procedure (material request, repair
report, sign-off, letter): drafts as JSON in `user_data`, nonce-checked buttons, file refs.
"""

from __future__ import annotations

import functools
import secrets
from collections.abc import Callable, Collection, Coroutine
from typing import Any

from telegram import (
    Chat,
    InlineKeyboardMarkup,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.ext import ConversationHandler

from bot import callbacks
from bot.context import BotContext
from bot.services import attachments
from bot.services.container import Services
from bot.services.context import Context
from bot.services.domain import FileRef
from bot.texts import wizards as t

END = ConversationHandler.END
NONCE = "nonce"
TICKET = "ticket_id"

Draft = dict[str, Any]
Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove
StepResult = int | None
Callback = Callable[[Update, BotContext], Coroutine[Any, Any, StepResult]]
DraftCallback = Callable[[Update, BotContext, Draft], Coroutine[Any, Any, StepResult]]


def chat(update: Update) -> Chat:
    """Returns the chat of an update (every wizard update has one)."""
    found = update.effective_chat
    if found is None:
        raise ValueError("update without a chat")
    return found


def message(update: Update) -> Message:
    """Returns the message of an update."""
    found = update.effective_message
    if found is None:
        raise ValueError("update without a message")
    return found


async def say(update: Update, text: str, markup: Markup | None = None) -> None:
    """Sends a message to the chat of the update."""
    await chat(update).send_message(text, reply_markup=markup)


def user_data(context: BotContext) -> dict[Any, Any]:
    """Returns the user's data, where drafts live."""
    data = context.user_data
    if data is None:
        raise ValueError("update without a user")
    return data


def new_draft(context: BotContext, key: str, ticket_id: int, **values: Any) -> Draft:
    """Stores and returns a fresh draft with its own nonce."""
    draft: Draft = {NONCE: secrets.token_hex(3), TICKET: ticket_id, **values}
    user_data(context)[key] = draft
    return draft


def forget(context: BotContext, key: str) -> None:
    """Drops a draft."""
    user_data(context).pop(key, None)


def ctx(services: Services) -> Context:
    """Returns the clock, calendar and settings a workflow transition needs."""
    return services.context()


def with_draft(key: str, lost: str) -> Callable[[DraftCallback], Callback]:
    """Hands a step its draft; a state without its draft (lost data) ends politely."""

    def decorate(func: DraftCallback) -> Callback:
        @functools.wraps(func)
        async def wrapper(update: Update, context: BotContext) -> StepResult:
            draft = user_data(context).get(key)
            if not isinstance(draft, dict):
                if update.callback_query is not None:
                    await update.callback_query.answer()
                await say(update, lost, ReplyKeyboardRemove())
                return END
            return await func(update, context, draft)

        return wrapper

    return decorate


async def pressed(
    update: Update, draft: Draft, action: str, choices: Collection[str]
) -> str | None:
    """Returns the choice of a pressed button of this draft; answers stale ones itself."""
    query = update.callback_query
    if query is None:
        return None
    try:
        nonce, _, choice = callbacks.parse(query.data, action).partition("_")
    except callbacks.BadCallback:
        nonce, choice = "", ""
    if nonce != draft.get(NONCE) or choice not in choices:
        await query.answer(t.STALE_BUTTON, show_alert=True)
        return None
    await query.answer()
    return choice


async def clear_buttons(update: Update) -> None:
    """Removes the buttons of the pressed message, so it cannot be pressed twice."""
    if update.callback_query is not None:
        await update.callback_query.edit_message_reply_markup(None)


def photo_ref(source: Message) -> FileRef:
    """Returns the checked reference of a photo message (its largest size)."""
    size = source.photo[-1]
    return attachments.photo(size.file_id, size.file_unique_id, size.file_size)


def document_ref(source: Message, allowed: frozenset[str]) -> FileRef:
    """Returns the checked reference of a document of an allowed type."""
    document = source.document
    if document is None:
        raise ValueError("message without a document")
    return attachments.document(
        document.file_id,
        document.file_unique_id,
        document.mime_type,
        document.file_name,
        document.file_size,
        allowed=allowed,
    )


def start_payload_id(context: BotContext, prefix: str) -> int:
    """Returns the ticket id of a `/start <prefix><id>` deep link (the entry filter checked it)."""
    payload = context.args[0] if context.args else ""
    return int(payload.removeprefix(prefix))


async def refuse_command(update: Update, context: BotContext) -> StepResult:
    """Answers other commands while a wizard runs."""
    await say(update, t.BUSY)
    return None


async def refuse_stale_button(update: Update, context: BotContext) -> StepResult:
    """Answers a button of a finished or earlier wizard; nothing changes."""
    if update.callback_query is not None:
        await update.callback_query.answer(t.STALE_BUTTON, show_alert=True)
    return None
