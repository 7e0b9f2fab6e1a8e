"""Renders complaint notices into Bot API calls for the outbox."""

from __future__ import annotations

from bot.keyboards import complaints as kb
from bot.render.common import card_edit, file, fitted, message
from bot.services.complaints import ComplaintView
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


def _files(chat_id: int, view: ComplaintView) -> list[OutboxDraft]:
    caption = t.files_caption(view)
    return [
        file(chat_id, ref, caption, "complaint_file", complaint_id=view.id) for ref in view.files
    ]


def card(notice: ComplaintCard) -> list[OutboxDraft]:
    """Posts a complaint's card with its files."""
    view, chat = notice.complaint, notice.chat_id
    text = t.card(view, officials=notice.officials)
    return [
        *fitted(
            chat,
            text,
            view.number,
            kb.card(view),
            COMPLAINT_CARD,
            before=False,
            complaint_id=view.id,
        ),
        *_files(chat, view),
    ]


def card_update(notice: ComplaintCardUpdate) -> list[OutboxDraft]:
    """Edits the complaint's card in place."""
    view = notice.complaint
    text = t.card(view, officials=notice.officials).text
    return [card_edit(notice.chat_id, text, kb.card(view), COMPLAINT_CARD, complaint_id=view.id)]


def thread(notice: ComplaintThread) -> list[OutboxDraft]:
    """Sends the whole complaint to an official."""
    view, chat = notice.complaint, notice.chat_id
    text = t.thread(view, notice.news)
    return [
        *fitted(
            chat,
            text,
            view.number,
            kb.thread(view),
            "complaint_thread",
            before=True,
            complaint_id=view.id,
        ),
        *_files(chat, view),
    ]


def response(notice: ComplaintResponse) -> list[OutboxDraft]:
    """Sends an answer to the complainant with the verdict buttons."""
    view = notice.complaint
    text = t.response_for_complainant(view, notice.official)
    markup = kb.verdict(view)
    return fitted(
        notice.chat_id,
        text,
        view.number,
        markup,
        "complaint_response",
        before=True,
        complaint_id=view.id,
    )


def info(notice: ComplaintInfo) -> list[OutboxDraft]:
    """Sends a short update about a complaint."""
    view = notice.complaint
    markup = kb.handler(view) if notice.news is ComplaintNews.SOLVED else None
    text = t.info(view, notice.news)
    return [message(notice.chat_id, text, markup, "complaint_info", complaint_id=view.id)]
