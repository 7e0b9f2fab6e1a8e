"""Documents sent again on request: the berita acara of a closed ticket («Kirim ulang berita
acara» under `/tiket`)."""

from __future__ import annotations

import io
import logging
from typing import Any

from telegram import InputFile, Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot import callbacks
from bot.context import BotContext, actor_of
from bot.handlers.support import button_id
from bot.services import workflow
from bot.services.errors import DomainError
from bot.texts import wizards as t

log = logging.getLogger(__name__)


async def resend_berita_acara(update: Update, context: BotContext) -> None:
    """Sends the berita acara PDF of a ticket to a user allowed to see the ticket."""
    query = update.callback_query
    if query is None or update.effective_chat is None:
        return
    ticket_id = await button_id(query, callbacks.BA_RESEND)
    if ticket_id is None:
        return
    try:
        async with context.services.uow() as uow:
            ba, pdf = await workflow.berita_acara_pdf(uow, actor_of(update), ticket_id)
    except DomainError as error:
        await query.answer(t.refusal(error), show_alert=True)
        return
    await query.answer()
    log.info("berita acara %s sent again", ba.number)
    await update.effective_chat.send_document(
        InputFile(io.BytesIO(pdf), filename=t.ba_file_name(ba.number)),
        caption=t.ba_caption(ba.number, ba.ticket_number, ba.verification_code),
    )


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """Returns this module's handlers."""
    return [
        CallbackQueryHandler(resend_berita_acara, pattern=callbacks.pattern(callbacks.BA_RESEND))
    ]
