"""Documents sent again on request: the berita acara of a closed ticket («Kirim ulang berita
acara» under `/tiket`)."""

from __future__ import annotations

import io
import logging
from typing import Any

from telegram import InputFile, Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot import callbacks
from bot.context import BotContext
from bot.handlers.support import on_button
from bot.services import workflow
from bot.texts import wizards as t

log = logging.getLogger(__name__)


async def resend_berita_acara(update: Update, context: BotContext) -> None:
    """Sends the berita acara PDF of a ticket to a user allowed to see the ticket."""
    chat = update.effective_chat
    if chat is None:
        return
    done = await on_button(
        update, context, callbacks.BA_RESEND, workflow.berita_acara_pdf, t.refusal
    )
    if done is None:
        return
    query, _, (ba, pdf) = done
    await query.answer()
    log.info("berita acara %s sent again", ba.number)
    await chat.send_document(
        InputFile(io.BytesIO(pdf), filename=t.ba_file_name(ba.number)),
        caption=t.ba_caption(ba.number, ba.ticket_number, ba.verification_code),
    )


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """Returns this module's handlers."""
    return [
        CallbackQueryHandler(resend_berita_acara, pattern=callbacks.pattern(callbacks.BA_RESEND))
    ]
