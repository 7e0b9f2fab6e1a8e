"""Renders fault-ticket notices into Bot API calls for the outbox."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from telegram.constants import ParseMode

from bot.keyboards import tickets as ticket_keyboards
from bot.keyboards import workflow as workflow_keyboards
from bot.render import topics
from bot.render.common import BERITA_ACARA_ID, card_edit, file, fitted, message
from bot.services.domain import FileRef, Media, TicketView
from bot.services.notices import (
    ApprovalRequest,
    Assigned,
    BeritaAcaraReady,
    DeliveryFailed,
    DispositionRequest,
    JobCard,
    JobCardUpdate,
    LetterAdded,
    LetterReminder,
    MaterialDecided,
    OutboxDraft,
    RepairConfirm,
    SlaDigest,
    TicketNotice,
    TicketWithdrawn,
)
from bot.services.outbox import JOB_CARD
from bot.services.ticket_messages import CLOSED, Place
from bot.texts import letters as tl
from bot.texts import sla as ts
from bot.texts import tickets as t
from bot.texts import workflow as tw
from bot.texts.fit import split

ALBUM_MAX = 10  # photos in one sendMediaGroup


def album(chat: int, refs: Sequence[FileRef], caption: str) -> list[OutboxDraft]:
    """Returns photos as albums of 2-10 (one photo alone as sendPhoto), then images sent as
    files one by one: an album cannot mix photos and documents. The caption goes on the first
    photo of each album."""
    drafts = []
    photos = [ref for ref in refs if ref.media is Media.PHOTO]
    files = [ref for ref in refs if ref.media is not Media.PHOTO]
    chunks = [photos[i : i + ALBUM_MAX] for i in range(0, len(photos), ALBUM_MAX)]
    if chunks and len(chunks[-1]) == 1:
        files.insert(0, chunks.pop()[0])
    for chunk in chunks:
        media: list[dict[str, Any]] = [{"type": "photo", "media": ref.file_id} for ref in chunk]
        media[0]["caption"] = caption
        media[0]["parse_mode"] = ParseMode.HTML.value
        drafts.append(OutboxDraft(chat, "sendMediaGroup", {"media": media}))
    drafts.extend(file(chat, ref, caption) for ref in files)
    return drafts


def _photos(chat: int, ticket: TicketView) -> list[OutboxDraft]:
    return album(chat, ticket.photos, t.photos_caption(ticket))


def placed(
    drafts: list[OutboxDraft], reply_to: int | None, thread: int | None
) -> list[OutboxDraft]:
    """Places calls in the ticket's place in the technician group: its topic, or as replies
    to its job card (still sent when the card is gone)."""
    extra: dict[str, Any] = {}
    if thread is not None:
        extra["message_thread_id"] = thread
    if reply_to is not None:
        extra["reply_parameters"] = {"message_id": reply_to, "allow_sending_without_reply": True}
    return [replace(d, payload={**d.payload, **extra}) for d in drafts] if extra else drafts


def job_card(notice: JobCard) -> list[OutboxDraft]:
    """Posts the job card with the report's photos and letter (in a forum group: in the
    ticket's own topic, created first, the card pinned there)."""
    ticket, chat = notice.ticket, notice.chat_id
    markup = ticket_keyboards.job_card(ticket)
    card = t.job_card_fit(ticket)
    drafts = fitted(chat, card, ticket.number, markup, JOB_CARD, before=False)
    drafts += _photos(chat, ticket)
    if ticket.letter is not None:
        drafts.append(file(chat, ticket.letter, t.letter_caption(ticket)))
    if not notice.forum:
        return drafts
    return [
        topics.create(chat, ticket),
        *topics.in_topic(drafts),
        topics.call(chat, "pinChatMessage", Place.PIN, disable_notification=True),
    ]


def job_card_update(notice: JobCardUpdate) -> list[OutboxDraft]:
    """Edits the job card in place (and closes the ticket's topic once the ticket ended)."""
    ticket = notice.ticket
    markup = ticket_keyboards.job_card(ticket)
    drafts = [card_edit(notice.chat_id, t.job_card(ticket), markup, JOB_CARD)]
    if notice.forum and ticket.status in CLOSED:
        drafts.append(topics.call(notice.chat_id, "closeForumTopic", Place.CLOSE))
    return drafts


def news(notice: TicketNotice) -> list[OutboxDraft]:
    """Sends the one-message news a notice brings about a ticket."""
    return [message(notice.chat_id, t.news(notice))]


def withdrawn(notice: TicketWithdrawn) -> list[OutboxDraft]:
    """Tells that the OPD withdrew its report (in the group: in the ticket's place)."""
    drafts = [message(notice.chat_id, tl.withdrawn(notice))]
    return placed(drafts, notice.reply_to, notice.thread_id)


def letter_reminder(notice: LetterReminder) -> list[OutboxDraft]:
    """Reminds the reporter of the request letter, with «Kirim surat permohonan»."""
    markup = ticket_keyboards.letter_reminder(notice.ticket_id)
    return [message(notice.chat_id, tl.letter_reminder(notice), markup, "letter_reminder")]


def assigned(notice: Assigned) -> list[OutboxDraft]:
    """Tells a technician a ticket was given to them, with the texts the message had to cut."""
    ticket = notice.ticket
    return fitted(notice.chat_id, tw.assigned(ticket), ticket.number, before=False)


def disposition_request(notice: DispositionRequest) -> list[OutboxDraft]:
    """Sends the disposition card to a coordinator."""
    ticket, chat = notice.ticket, notice.chat_id
    markup = workflow_keyboards.disposition(ticket)
    card = tw.disposition_card(ticket)
    # The report's photos and letter first: the card's buttons stay the last thing in the chat.
    drafts = _photos(chat, ticket)
    if ticket.letter is not None:
        drafts.append(file(chat, ticket.letter, t.letter_caption(ticket)))
    return drafts + fitted(chat, card, ticket.number, markup, "disposition", before=True)


def approval_request(notice: ApprovalRequest) -> list[OutboxDraft]:
    """Sends the approval card of a material request, with its photos."""
    ticket, request, chat = notice.ticket, notice.request, notice.chat_id
    markup = workflow_keyboards.approval(request)
    card = tw.approval_card(ticket, request)
    drafts = fitted(chat, card, ticket.number, markup, "approval", before=True)
    caption = t.photos_caption(ticket)
    drafts.extend(file(chat, ref, caption) for ref in request.photos)
    return drafts


def material_decided(notice: MaterialDecided) -> list[OutboxDraft]:
    """Tells the technician the decision on the material request."""
    text = tw.material_decided(notice.request)
    return [message(notice.chat_id, text)]


def repair_confirm(notice: RepairConfirm) -> list[OutboxDraft]:
    """Asks the reporter whether the network works again."""
    ticket = notice.ticket
    markup = workflow_keyboards.repair_confirm(ticket)
    question = tw.repair_confirm(ticket, notice.actions, notice.items)
    # The photos after the repair as an album above the question: an album cannot carry
    # buttons, so the question keeps its own message, the last one in the chat.
    photos = album(notice.chat_id, ticket.after_photos, tl.after_caption(ticket))
    return photos + fitted(
        notice.chat_id, question, ticket.number, markup, "repair_confirm", before=True
    )


def berita_acara(notice: BeritaAcaraReady) -> list[OutboxDraft]:
    """Sends the berita acara PDF (uploaded from the database at delivery)."""
    ticket, ba = notice.ticket, notice.berita_acara
    payload = {
        BERITA_ACARA_ID: ba.id,
        "caption": tw.berita_acara_caption(ticket, ba.number),
        "parse_mode": ParseMode.HTML.value,
    }
    return [OutboxDraft(notice.chat_id, "sendDocument", payload)]


def letter_added(notice: LetterAdded) -> list[OutboxDraft]:
    """Sends a request letter that came later."""
    ticket = notice.ticket
    if ticket.letter is None:
        return []
    drafts = [file(notice.chat_id, ticket.letter, tl.letter_caption(notice))]
    return placed(drafts, notice.reply_to, notice.thread_id)


def delivery_failed(notice: DeliveryFailed) -> list[OutboxDraft]:
    """Tells an admin a message could not be delivered."""
    text = t.delivery_failed(notice.failed_chat_id, notice.reason)
    return [message(notice.chat_id, text, purpose="delivery_failed")]


def sla_digest(notice: SlaDigest) -> list[OutboxDraft]:
    """Sends the SLA reminders and the morning digest for one chat."""
    text = ts.digest(notice.alerts, notice.morning, notice.audience)
    # A busy morning lists dozens of tickets with their OPD's name: one message may not hold it.
    return [message(notice.chat_id, page, purpose="sla_digest") for page in split(text)]
