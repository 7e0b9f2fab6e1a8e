"""Renders complaint notices into Bot API calls for the outbox."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from bot.keyboards import complaints as kb
from bot.render.common import card_edit, file, fitted, message
from bot.services.notices import (
    ComplaintCard,
    ComplaintCardUpdate,
    ComplaintInfo,
    ComplaintNews,
    ComplaintResponse,
    ComplaintThread,
    OutboxDraft,
)
from bot.services.outbox import COMPLAINT_CARD
from bot.texts import complaints as t
from bot.texts.fit import Fitted


def _posted(
    notice: ComplaintCard | ComplaintThread,
    text: Fitted,
    markup: InlineKeyboardMarkup | None,
    purpose: str,
    *,
    before: bool,
) -> list[OutboxDraft]:
    """Returns a complaint's card or thread with its cut texts, then its files."""
    view, chat = notice.complaint, notice.chat_id
    caption = t.files_caption(view)
    return [
        *fitted(chat, text, view.number, markup, purpose, before=before),
        *(file(chat, ref, caption, "complaint_file") for ref in view.files),
    ]


def card(notice: ComplaintCard) -> list[OutboxDraft]:
    """Posts a complaint's card with its files."""
    view = notice.complaint
    text = t.card(view, officials=notice.officials)
    return _posted(notice, text, kb.card(view), COMPLAINT_CARD, before=False)


def card_update(notice: ComplaintCardUpdate) -> list[OutboxDraft]:
    """Edits the complaint's card in place."""
    view = notice.complaint
    text = t.card(view, officials=notice.officials).text
    return [card_edit(notice.chat_id, text, kb.card(view), COMPLAINT_CARD)]


def thread(notice: ComplaintThread) -> list[OutboxDraft]:
    """Sends the whole complaint to an official."""
    view = notice.complaint
    text = t.thread(view, notice.news)
    return _posted(notice, text, kb.thread(view), "complaint_thread", before=True)


def response(notice: ComplaintResponse) -> list[OutboxDraft]:
    """Sends an answer to the complainant with the verdict buttons."""
    view = notice.complaint
    text = t.response_for_complainant(view, notice.official)
    return fitted(
        notice.chat_id, text, view.number, kb.verdict(view), "complaint_response", before=True
    )


def info(notice: ComplaintInfo) -> list[OutboxDraft]:
    """Sends a short update about a complaint."""
    view = notice.complaint
    markup = kb.handler(view) if notice.news is ComplaintNews.SOLVED else None
    text = t.info(view, notice.news)
    return [message(notice.chat_id, text, markup, "complaint_info")]
