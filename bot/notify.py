"""Renders domain notices into Bot API calls for the outbox."""

from __future__ import annotations

from typing import Any

from telegram.constants import ParseMode

from bot import notify_complaints
from bot.keyboards import tickets as ticket_keyboards
from bot.keyboards import workflow as workflow_keyboards
from bot.services.domain import FileRef, Media, TicketView
from bot.services.notices import Notice, NoticeKind, OutboxDraft
from bot.texts import sla as ts
from bot.texts import tickets as t
from bot.texts import workflow as tw

JOB_CARD = "job_card"
# A stored PDF is referenced by id in the outbox payload and uploaded at delivery.
BERITA_ACARA_ID = "berita_acara_id"


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
    if notice.kind in notify_complaints.COMPLAINT_KINDS:
        return notify_complaints.render(notice)
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
    if ticket is not None:
        drafts = _workflow(notice, ticket)
        if drafts is not None:
            return drafts
    raise ValueError(f"cannot render notice {notice.kind}")


def _workflow(notice: Notice, ticket: TicketView) -> list[OutboxDraft] | None:
    chat, extra, i = notice.chat_id, notice.extra, ticket.id
    match notice.kind:
        case NoticeKind.DISPOSITION_REQUEST:
            markup = workflow_keyboards.disposition(ticket).to_dict()
            return [_text(chat, tw.disposition_card(ticket), i, "disposition", markup)]
        case NoticeKind.ASSIGNED:
            return [_text(chat, tw.assigned(ticket), i)]
        case NoticeKind.REPORT_REJECTED:
            return [_text(chat, tw.report_rejected(ticket, str(extra["reason"])), i)]
        case NoticeKind.TICKET_HELD:
            return [_text(chat, tw.held(ticket, str(extra["reason"])), i)]
        case NoticeKind.TICKET_RESUMED:
            return [_text(chat, tw.resumed(ticket), i)]
        case NoticeKind.TICKET_CANCELLED:
            return [_text(chat, tw.cancelled(ticket, str(extra["reason"])), i)]
        case NoticeKind.APPROVAL_REQUEST:
            request = extra["request"]
            markup = workflow_keyboards.approval(request).to_dict()
            drafts = [_text(chat, tw.approval_card(ticket, request), i, "approval", markup)]
            drafts.extend(_file(chat, ref, t.photos_caption(ticket), i) for ref in request.photos)
            return drafts
        case NoticeKind.MATERIAL_DECIDED:
            return [_text(chat, tw.material_decided(extra["request"]), i)]
        case NoticeKind.REPAIR_CONFIRM:
            markup = workflow_keyboards.repair_confirm(ticket).to_dict()
            text = tw.repair_confirm(ticket, str(extra["actions"]), tuple(extra["items"]))
            return [_text(chat, text, i, "repair_confirm", markup)]
        case NoticeKind.REOPENED:
            return [_text(chat, tw.reopened(ticket, str(extra["reason"])), i)]
        case NoticeKind.BERITA_ACARA:
            ba = extra["berita_acara"]
            payload = {
                BERITA_ACARA_ID: ba.id,
                "caption": tw.berita_acara_caption(ticket, ba.number),
                "parse_mode": ParseMode.HTML.value,
            }
            return [OutboxDraft(chat, "sendDocument", payload, None, i)]
        case NoticeKind.LETTER_ADDED if ticket.letter is not None:
            return [_file(chat, ticket.letter, tw.letter_added(ticket), i)]
    return None
