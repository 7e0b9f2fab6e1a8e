"""Renders the ticket's conversation: a relayed message (header and copy) and the notices to
the OPD that invite an answer («Kirim pesan», «Jawab» under a hold)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from telegram import InlineKeyboardMarkup

from bot.keyboards import ticket_messages as keyboards
from bot.keyboards import tickets as ticket_keyboards
from bot.render import topics
from bot.render.common import markup_dict, message
from bot.services.notices import OutboxDraft, TicketHeld, TicketNotice
from bot.services.ticket_messages import NOTE, NoteRelay, Place
from bot.texts import ticket_messages as t
from bot.texts import tickets as tt

PURPOSE = "ticket_note"


def relay(notice: NoteRelay) -> list[OutboxDraft]:
    """Relays a message: the header naming the ticket and the writer, then the copy (by
    copyMessage: nothing downloaded, any size) with the buttons offered under it."""
    note, chat = notice.note, notice.chat_id
    text = t.header(note, group=notice.group, forum=notice.forum, held=notice.held)
    head = message(chat, text, purpose=PURPOSE)
    payload: dict[str, Any] = {
        "from_chat_id": note.source_chat_id,
        "message_id": note.source_message_id,
    }
    markup = markup_dict(keyboards.offers(notice.ticket.id, note.id, notice.offers))
    if markup:
        payload["reply_markup"] = markup
    copy = OutboxDraft(chat, "copyMessage", payload, PURPOSE)
    drafts = [replace(d, payload={**d.payload, NOTE: note.id}) for d in (head, copy)]
    return topics.in_topic(drafts, Place.REPLY) if notice.group else drafts


def news_to_write(notice: TicketNotice) -> list[OutboxDraft]:
    """Sends the OPD news about its ticket with «Kirim pesan» (a hold: «Jawab») under it, and
    «Batalkan laporan» while the OPD may still withdraw the report."""
    label = t.ANSWER if isinstance(notice, TicketHeld) else t.WRITE
    rows = list(keyboards.write(notice.ticket.id, label).inline_keyboard)
    # and what the table offers the OPD in the ticket's state (withdrawing the report).
    withdraw = ticket_keyboards.reporter(notice.ticket)
    rows.extend(withdraw.inline_keyboard if withdraw else ())
    return [message(notice.chat_id, tt.news(notice), InlineKeyboardMarkup(rows))]
