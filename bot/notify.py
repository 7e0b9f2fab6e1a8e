"""Renders domain notices into Bot API calls for the outbox."""

from __future__ import annotations

from typing import Any

from telegram.constants import ParseMode

from bot.keyboards import tickets as ticket_keyboards
from bot.services.domain import FileRef, Media, TicketView
from bot.services.notices import Notice, NoticeKind, OutboxDraft
from bot.texts import sla as ts
from bot.texts import tickets as t

JOB_CARD = "job_card"


def _markup(ticket: TicketView) -> dict[str, Any] | None:
    markup = ticket_keyboards.job_card(ticket)
    return markup.to_dict() if markup else None


def _text(
    chat_id: int,
    text: str,
    ticket_id: int | None = None,
    purpose: str | None = None,
    markup: dict[str, Any] | None = None,
) -> OutboxDraft:
    payload: dict[str, Any] = {
        "text": text,
        "parse_mode": ParseMode.HTML.value,
        "link_preview_options": {"is_disabled": True},
    }
    if markup:
        payload["reply_markup"] = markup
    return OutboxDraft(chat_id, "sendMessage", payload, purpose, ticket_id)


def _file(chat_id: int, ref: FileRef, caption: str, ticket_id: int) -> OutboxDraft:
    method, field = (
        ("sendPhoto", "photo") if ref.media is Media.PHOTO else ("sendDocument", "document")
    )
    payload = {field: ref.file_id, "caption": caption, "parse_mode": ParseMode.HTML.value}
    return OutboxDraft(chat_id, method, payload, None, ticket_id)


def _job_card(notice: Notice, ticket: TicketView) -> list[OutboxDraft]:
    chat = notice.chat_id
    drafts = [_text(chat, t.job_card(ticket), ticket.id, JOB_CARD, _markup(ticket))]
    # An album cannot mix photos and documents: images sent as files go one by one.
    photos = [ref for ref in ticket.photos if ref.media is Media.PHOTO]
    files = [ref for ref in ticket.photos if ref.media is not Media.PHOTO]
    if len(photos) == 1:
        files.insert(0, photos[0])
    elif photos:
        media: list[dict[str, Any]] = [{"type": "photo", "media": ref.file_id} for ref in photos]
        media[0]["caption"] = t.photos_caption(ticket)
        media[0]["parse_mode"] = ParseMode.HTML.value
        drafts.append(OutboxDraft(chat, "sendMediaGroup", {"media": media}, None, ticket.id))
    drafts.extend(_file(chat, ref, t.photos_caption(ticket), ticket.id) for ref in files)
    if ticket.letter is not None:
        drafts.append(_file(chat, ticket.letter, t.letter_caption(ticket), ticket.id))
    return drafts


def render(notice: Notice) -> list[OutboxDraft]:
    """Returns the Bot API calls that deliver a notice."""
    ticket = notice.ticket
    chat = notice.chat_id
    match notice.kind:
        case NoticeKind.JOB_CARD if ticket is not None:
            return _job_card(notice, ticket)
        case NoticeKind.JOB_CARD_UPDATE if ticket is not None:
            payload: dict[str, Any] = {
                "text": t.job_card(ticket),
                "parse_mode": "HTML",
                "reply_markup": _markup(ticket) or {"inline_keyboard": []},
            }
            return [OutboxDraft(chat, "editMessageText", payload, JOB_CARD, ticket.id)]
        case NoticeKind.TICKET_CLAIMED if ticket is not None:
            return [_text(chat, t.claimed_for_reporter(ticket), ticket.id)]
        case NoticeKind.NO_TECH_GROUP if ticket is not None:
            return [_text(chat, t.no_tech_group(ticket), ticket.id)]
        case NoticeKind.DELIVERY_FAILED:
            text = t.delivery_failed(int(notice.extra["chat_id"]), str(notice.extra["reason"]))
            return [_text(chat, text, None, "delivery_failed")]
        case NoticeKind.SLA_DIGEST:
            text = ts.digest(
                notice.extra["alerts"], notice.extra["morning"], notice.extra["audience"]
            )
            return [_text(chat, text, None, "sla_digest")]
    raise ValueError(f"cannot render notice {notice.kind}")
