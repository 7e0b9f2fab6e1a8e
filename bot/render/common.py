"""Building blocks of rendered Bot API calls: texts, files, card edits."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from telegram import InlineKeyboardMarkup
from telegram.constants import ParseMode

from bot.services.domain import FileRef, Media
from bot.services.notices import OutboxDraft
from bot.texts.fit import (
    CAPTION_LIMIT,
    TEXT_LIMIT,
    Fitted,
    full_texts,
    shorten,
    shown,
    split,
    subject,
)

log = logging.getLogger(__name__)

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
) -> OutboxDraft:
    """Returns a sendMessage call."""
    return OutboxDraft(chat_id, "sendMessage", text_payload(text, markup), purpose)


def card_edit(
    chat_id: int, text: str, markup: InlineKeyboardMarkup | None, purpose: str
) -> OutboxDraft:
    """Returns the edit of a card; the outbox resolves it to the card posted in this chat."""
    payload = text_payload(text)
    payload["reply_markup"] = markup_dict(markup) or {"inline_keyboard": []}
    return OutboxDraft(chat_id, "editMessageText", payload, purpose)


def file(chat_id: int, ref: FileRef, caption: str, purpose: str | None = None) -> OutboxDraft:
    """Returns a sendPhoto or sendDocument call for a stored file id."""
    method, field = (
        ("sendPhoto", "photo") if ref.media is Media.PHOTO else ("sendDocument", "document")
    )
    payload = {field: ref.file_id, "caption": caption, "parse_mode": ParseMode.HTML.value}
    return OutboxDraft(chat_id, method, payload, purpose)


def fitted(
    chat_id: int,
    text: Fitted,
    number: str,
    markup: InlineKeyboardMarkup | None = None,
    purpose: str | None = None,
    *,
    before: bool,
) -> list[OutboxDraft]:
    """Returns a message and the texts it had to cut, sent whole: before it (a private card,
    so its buttons stay the last thing in the chat) or after it (a group card)."""
    main = message(chat_id, text.text, markup, purpose)
    whole = [message(chat_id, part) for part in full_texts(subject(number), text.cuts)]
    return [*whole, main] if before else [main, *whole]


def within_limits(drafts: list[OutboxDraft]) -> list[OutboxDraft]:
    """Makes every call fit Telegram's limits: the last guard behind the texts' own fitting, so
    a text that outgrew it is split or shortened rather than refused and lost."""
    fitting: list[OutboxDraft] = []
    for draft in drafts:
        payload = draft.payload
        if draft.method == "sendMessage" and shown(payload["text"]) > TEXT_LIMIT:
            log.warning("a %s text is over the limit; split", draft.purpose or draft.method)
            *pages, last = split(payload["text"])
            fitting += [replace(draft, payload=text_payload(page), purpose=None) for page in pages]
            fitting.append(replace(draft, payload={**payload, "text": last}))
        elif draft.method == "editMessageText" and shown(payload["text"]) > TEXT_LIMIT:
            log.warning("a %s edit is over the limit; shortened", draft.purpose)
            text = shorten(payload["text"], TEXT_LIMIT)
            fitting.append(replace(draft, payload={**payload, "text": text}))
        elif "caption" in payload and shown(payload["caption"]) > CAPTION_LIMIT:
            log.warning("a %s caption is over the limit; shortened", draft.method)
            caption = shorten(payload["caption"], CAPTION_LIMIT)
            fitting.append(replace(draft, payload={**payload, "caption": caption}))
        elif draft.method == "sendMediaGroup":
            media = [
                {**entry, "caption": shorten(entry["caption"], CAPTION_LIMIT)}
                if "caption" in entry
                else entry
                for entry in payload["media"]
            ]
            fitting.append(replace(draft, payload={**payload, "media": media}))
        else:
            fitting.append(draft)
    return fitting
