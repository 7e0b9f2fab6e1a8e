"""Building blocks of rendered Bot API calls: texts, files, card edits."""

from __future__ import annotations

from typing import Any

from telegram import InlineKeyboardMarkup
from telegram.constants import ParseMode

from bot.services.domain import FileRef, Media
from bot.services.notices import OutboxDraft

# A stored PDF is referenced by id in the outbox payload and uploaded at delivery.
BERITA_ACARA_ID = "berita_acara_id"


def markup_dict(markup: InlineKeyboardMarkup | None) -> dict[str, Any] | None:
    """Returns a keyboard as the Bot API's JSON, or None."""
    return markup.to_dict() if markup else None


def text_payload(text: str, markup: InlineKeyboardMarkup | None = None) -> dict[str, Any]:
    """Returns the payload of an HTML message without link previews."""
    payload: dict[str, Any] = {
        "text": text,
        "parse_mode": ParseMode.HTML.value,
        "link_preview_options": {"is_disabled": True},
    }
    if markup:
        payload["reply_markup"] = markup.to_dict()
    return payload


def message(
    chat_id: int,
    text: str,
    markup: InlineKeyboardMarkup | None = None,
    purpose: str | None = None,
    *,
    ticket_id: int | None = None,
    complaint_id: int | None = None,
) -> OutboxDraft:
    """Returns a sendMessage call."""
    return OutboxDraft(
        chat_id, "sendMessage", text_payload(text, markup), purpose, ticket_id, complaint_id
    )


def card_edit(
    chat_id: int,
    text: str,
    markup: InlineKeyboardMarkup | None,
    purpose: str,
    *,
    ticket_id: int | None = None,
    complaint_id: int | None = None,
) -> OutboxDraft:
    """Returns the edit of a card; the outbox resolves it to the card posted in this chat."""
    payload = text_payload(text)
    payload["reply_markup"] = markup_dict(markup) or {"inline_keyboard": []}
    return OutboxDraft(chat_id, "editMessageText", payload, purpose, ticket_id, complaint_id)


def file(
    chat_id: int,
    ref: FileRef,
    caption: str,
    purpose: str | None = None,
    *,
    ticket_id: int | None = None,
    complaint_id: int | None = None,
) -> OutboxDraft:
    """Returns a sendPhoto or sendDocument call for a stored file id."""
    method, field = (
        ("sendPhoto", "photo") if ref.media is Media.PHOTO else ("sendDocument", "document")
    )
    payload = {field: ref.file_id, "caption": caption, "parse_mode": ParseMode.HTML.value}
    return OutboxDraft(chat_id, method, payload, purpose, ticket_id, complaint_id)
