"""The buttons of a ticket's messages that show something: the photos after the repair."""

from __future__ import annotations

import logging
from typing import Any

from telegram import InputMediaPhoto, Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot import callbacks
from bot.context import BotContext
from bot.handlers.support import on_button
from bot.services import opd_view
from bot.services.domain import Media
from bot.texts import common as tc
from bot.texts import letters as tl

log = logging.getLogger(__name__)
ALBUM_MAX = 10


async def show_repair_photos(update: Update, context: BotContext) -> None:
    """Sends the photos the technician took after the repair (an album, or one photo)."""
    chat = update.effective_chat
    done = await on_button(
        update, context, callbacks.AFTER_PHOTOS, opd_view.repair_photos, tc.refusal
    )
    if chat is None or done is None:
        return
    query, _, ticket = done
    await query.answer()
    caption = tl.after_caption(ticket)
    photos = [ref for ref in ticket.after_photos if ref.media is Media.PHOTO]
    files = [ref for ref in ticket.after_photos if ref.media is not Media.PHOTO]
    for start in range(0, len(photos), ALBUM_MAX):
        chunk = photos[start : start + ALBUM_MAX]
        if len(chunk) == 1:
            await chat.send_photo(chunk[0].file_id, caption=caption)
            continue
        media = [InputMediaPhoto(ref.file_id) for ref in chunk]
        media[0] = InputMediaPhoto(chunk[0].file_id, caption=caption)
        await chat.send_media_group(media)
    for ref in files:
        await chat.send_document(ref.file_id, caption=caption)


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """Returns this module's handlers."""
    pattern = callbacks.pattern(callbacks.AFTER_PHOTOS)
    return [CallbackQueryHandler(show_repair_photos, pattern=pattern)]
