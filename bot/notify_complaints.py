"""Renders complaint notices into Bot API calls for the outbox."""

from __future__ import annotations

from typing import Any

from telegram import InlineKeyboardMarkup
from telegram.constants import ParseMode

from bot.keyboards import complaints as kb
from bot.services.complaints import ComplaintView
from bot.services.domain import Media
from bot.services.notices import Notice, NoticeKind, OutboxDraft
from bot.services.outbox import COMPLAINT_CARD
from bot.texts import complaints as t

COMPLAINT_KINDS = frozenset(
    {
        NoticeKind.COMPLAINT_CARD,
        NoticeKind.COMPLAINT_CARD_UPDATE,
        NoticeKind.COMPLAINT_THREAD,
        NoticeKind.COMPLAINT_RESPONSE,
        NoticeKind.COMPLAINT_INFO,
    }
)


def _payload(text: str) -> dict[str, Any]:
    return {
        "text": text,
        "parse_mode": ParseMode.HTML.value,
        "link_preview_options": {"is_disabled": True},
    }


def _text(
    chat_id: int, text: str, markup: InlineKeyboardMarkup | None, purpose: str, complaint_id: int
) -> OutboxDraft:
    payload = _payload(text)
    if markup is not None:
        payload["reply_markup"] = markup.to_dict()
    return OutboxDraft(chat_id, "sendMessage", payload, purpose, complaint_id=complaint_id)


def _card_update(chat_id: int, view: ComplaintView, officials: bool) -> OutboxDraft:
    # The outbox resolves the edit to the card posted in this chat (or posts a fresh one).
    payload = _payload(t.card(view, officials=officials))
    markup = kb.card(view)
    payload["reply_markup"] = markup.to_dict() if markup else {"inline_keyboard": []}
    return OutboxDraft(chat_id, "editMessageText", payload, COMPLAINT_CARD, complaint_id=view.id)


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
        drafts.append(
            OutboxDraft(chat_id, method, payload, "complaint_file", complaint_id=view.id)
        )
    return drafts


def render(notice: Notice) -> list[OutboxDraft]:
    """Returns the Bot API calls that deliver a complaint notice."""
    view = notice.extra["complaint"]
    assert isinstance(view, ComplaintView)  # noqa: S101 - every complaint notice carries one
    chat = notice.chat_id
    what = str(notice.extra.get("what", ""))
    officials = bool(notice.extra.get("officials"))
    ident = view.id
    match notice.kind:
        case NoticeKind.COMPLAINT_CARD:
            text = t.card(view, officials=officials)
            return [_text(chat, text, kb.card(view), COMPLAINT_CARD, ident), *_files(chat, view)]
        case NoticeKind.COMPLAINT_CARD_UPDATE:
            return [_card_update(chat, view, officials)]
        case NoticeKind.COMPLAINT_THREAD:
            return [
                _text(chat, t.thread(view, what), kb.thread(view), "complaint_thread", ident),
                *_files(chat, view),
            ]
        case NoticeKind.COMPLAINT_RESPONSE:
            official = bool(notice.extra.get("official"))
            text = t.response_for_complainant(view, official)
            return [_text(chat, text, kb.verdict(view), "complaint_response", ident)]
        case NoticeKind.COMPLAINT_INFO:
            markup = kb.close(view) if what == "solved" else None
            return [_text(chat, t.info(view, what), markup, "complaint_info", ident)]
    raise ValueError(f"cannot render notice {notice.kind}")
