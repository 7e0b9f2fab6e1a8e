"""The request letter sent later: a reporter whose report said the letter follows ("menyusul")
sends it as a photo or a PDF/JPEG/PNG file; the technician group receives it.

Opened by «Kirim surat permohonan» (`callbacks.LETTER_ADD`) under `/tiket`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from enum import IntEnum
from typing import Any

from telegram import Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot import callbacks
from bot.config import Settings
from bot.context import BotContext, actor_of
from bot.conversations import wizard as w
from bot.services import attachments, workflow
from bot.services.domain import FileRef
from bot.services.errors import DomainError, InvalidInput
from bot.texts import wizards as t
from bot.texts.common import esc

log = logging.getLogger(__name__)

END = w.END
DRAFT = "letter"

Draft = w.Draft
StepResult = w.StepResult
draft_step = w.with_draft(DRAFT, t.DRAFT_LOST)


class Step(IntEnum):
    """The conversation's single state: waiting for the letter."""

    FILE = 1


async def start_letter(update: Update, context: BotContext) -> StepResult:
    """Asks the reporter for the letter of a ticket."""
    query = update.callback_query
    if query is None:
        return END
    try:
        ticket_id = callbacks.parse_int(query.data, callbacks.LETTER_ADD)
    except callbacks.BadCallback:
        await query.answer(t.STALE_BUTTON, show_alert=True)
        return END
    try:
        async with context.services.uow() as uow:
            await workflow.check_letter(uow, actor_of(update), ticket_id)
    except DomainError as error:
        await query.answer(t.refusal(error), show_alert=True)
        return END
    await query.answer()
    w.new_draft(context, DRAFT, ticket_id)
    await w.say(update, t.ASK_LETTER)
    return Step.FILE


async def cancel_letter(update: Update, context: BotContext) -> StepResult:
    """Drops the request on /batal."""
    w.forget(context, DRAFT)
    await w.say(update, t.LETTER_CANCELLED)
    return END


async def time_out(update: Update, context: BotContext) -> None:
    """Tells the reporter the letter was not received in time."""
    w.forget(context, DRAFT)
    if update.effective_user is not None:
        # A job, not an update, runs this: PTB would not save the emptied user_data by itself.
        context.application.mark_data_for_update_persistence(user_ids=update.effective_user.id)
    await w.say(update, t.LETTER_TIMED_OUT)


async def _attach(
    update: Update, context: BotContext, draft: Draft, read: Callable[[], FileRef]
) -> StepResult:
    try:
        letter = read()
    except InvalidInput as error:
        await w.say(update, t.file_error(error, t.LETTER_FILE_TYPE))
        return None
    services = context.services
    try:
        async with services.uow() as uow:
            view = await workflow.add_letter(
                uow, actor_of(update), int(draft[w.TICKET]), letter, w.ctx(services)
            )
    except DomainError as error:
        w.forget(context, DRAFT)
        await w.say(update, t.refusal(error))
        return END
    w.forget(context, DRAFT)
    log.info("request letter added to %s", view.number)
    await w.say(update, t.LETTER_SAVED.format(number=esc(view.number)))
    return END


@draft_step
async def take_photo(update: Update, context: BotContext, draft: Draft) -> StepResult:
    """Attaches a photo of the letter."""
    return await _attach(update, context, draft, lambda: w.photo_ref(w.message(update)))


@draft_step
async def take_document(update: Update, context: BotContext, draft: Draft) -> StepResult:
    """Attaches the letter sent as a PDF, JPEG or PNG file."""
    source = w.message(update)
    return await _attach(
        update, context, draft, lambda: w.document_ref(source, attachments.LETTER_TYPES)
    )


async def reprompt(update: Update, context: BotContext) -> StepResult:
    """Answers anything but a photo or a file."""
    await w.say(update, t.NEED_LETTER)
    return None


def conversation(settings: Settings) -> BaseHandler[Any, Any, Any]:
    """Returns the persistent conversation that receives a request letter sent later."""
    new = filters.UpdateType.MESSAGE
    states: dict[object, list[BaseHandler[Update, Any, object]]] = {
        Step.FILE: [
            MessageHandler(new & filters.PHOTO, take_photo),
            MessageHandler(new & filters.Document.ALL, take_document),
            MessageHandler(new & ~filters.COMMAND, reprompt),
        ],
        ConversationHandler.TIMEOUT: [TypeHandler(Update, time_out)],
    }
    return ConversationHandler(
        entry_points=[
            CallbackQueryHandler(start_letter, pattern=callbacks.pattern(callbacks.LETTER_ADD))
        ],
        states=states,
        fallbacks=[
            CommandHandler("batal", cancel_letter),
            MessageHandler(filters.COMMAND, w.refuse_command),
        ],
        name="letter",
        persistent=True,
        # The button pressed again (or for another ticket) starts afresh.
        allow_reentry=True,
        conversation_timeout=settings.conversation_timeout_minutes * 60,
    )
