"""Renders complaint notices into Bot API calls for the outbox."""

from __future__ import annotations

from typing import Any

from telegram import InlineKeyboardMarkup
from telegram.constants import ParseMode

from bot.keyboards import complaints as kb
from bot.services.complaints import ComplaintView
from bot.services.domain import Media
from bot.services.notices import Notice, NoticeKind, OutboxDraft
from bot.texts import complaints as t

COMPLAINT_KINDS = frozenset(
    {
        NoticeKind.COMPLAINT_CARD,
        NoticeKind.COMPLAINT_THREAD,
        NoticeKind.COMPLAINT_RESPONSE,
        NoticeKind.COMPLAINT_INFO,
    }
)


def _text(
    chat_id: int, text: str, markup: InlineKeyboardMarkup | None, purpose: str
) -> OutboxDraft:
    payload: dict[str, Any] = {
        "text": text,
        "parse_mode": ParseMode.HTML.value,
        "link_preview_options": {"is_disabled": True},
    }
    if markup is not None:
        payload["reply_markup"] = markup.to_dict()
    return OutboxDraft(chat_id, "sendMessage", payload, purpose)


def _files(chat_id: int, view: ComplaintView) -> list[OutboxDraft]:
    drafts = []
    for ref in view.files:
        method, field = (
            ("sendPhoto", "photo") if ref.media is Media.PHOTO else ("sendDocument", "document")
        )
        payload = {
            field: ref.file_id,
            "caption": t.files_caption(view),
            "parse_mode": ParseMode.HTML.value,
        }
        drafts.append(OutboxDraft(chat_id, method, payload, "complaint_file"))
    return drafts


def render(notice: Notice) -> list[OutboxDraft]:
    """Returns the Bot API calls that deliver a complaint notice."""
    view = notice.extra["complaint"]
    assert isinstance(view, ComplaintView)  # noqa: S101 - every complaint notice carries one
    chat = notice.chat_id
    what = str(notice.extra.get("what", ""))
    match notice.kind:
        case NoticeKind.COMPLAINT_CARD:
            return [
                _text(chat, t.card(view), kb.card(view), "complaint_card"),
                *_files(chat, view),
            ]
        case NoticeKind.COMPLAINT_THREAD:
            return [
                _text(chat, t.thread(view, what), kb.thread(view), "complaint_thread"),
                *_files(chat, view),
            ]
        case NoticeKind.COMPLAINT_RESPONSE:
            official = bool(notice.extra.get("official"))
            text = t.response_for_complainant(view, official)
            return [_text(chat, text, kb.verdict(view), "complaint_response")]
        case NoticeKind.COMPLAINT_INFO:
            markup = kb.close(view) if what == "solved" else None
            return [_text(chat, t.info(view, what), markup, "complaint_info")]
    raise ValueError(f"cannot render notice {notice.kind}")
