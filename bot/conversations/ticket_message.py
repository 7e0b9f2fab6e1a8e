"""«Kirim pesan»: one message written to a ticket, relayed as it is (text, photo, document,
voice note, video...).

Opened by «Kirim pesan» under the ticket's messages, relayed messages and `/tiket`, and by
«Jawab» under a hold notice. Pressed again (or for another ticket) it starts afresh; /batal
and the timeout end it.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram import Message
from telegram.ext import ConversationHandler

from bot import callbacks
from bot.config import Settings
from bot.conversations import wizard as w
from bot.handlers.ticket_messages import incoming, remember_album
from bot.services import ticket_messages
from bot.services.ticket_messages import Incoming, Kind, Target
from bot.texts import ticket_messages as t
from bot.texts import wizards as tw
from bot.texts.common import refusal

log = logging.getLogger(__name__)
NUMBER = "number"
ANSWERS = "answers"


async def _open(turn: w.Turn) -> w.Opening:
    ticket_id = callbacks.parse_int(turn.data, callbacks.NOTE_WRITE)
    async with turn.services.uow() as uow:
        number = await ticket_messages.check_write(
            uow, turn.services.context(turn.actor), ticket_id
        )
    return w.Opening({w.TICKET: ticket_id, NUMBER: number, ANSWERS: None})


async def _open_answer(turn: w.Turn) -> w.Opening:
    """Opens the prompt as the answer to one relayed message (its writer receives it)."""
    note_id = callbacks.parse_int(turn.data, callbacks.NOTE_ANSWER)
    async with turn.services.uow() as uow:
        ticket_id, number = await ticket_messages.check_answer(
            uow, turn.services.context(turn.actor), note_id
        )
    return w.Opening({w.TICKET: ticket_id, NUMBER: number, ANSWERS: note_id})


def _message(source: Message) -> dict[str, Any]:
    found = incoming(source)
    return {"message_id": found.message_id, "kind": found.kind.value, "text": found.text}


async def _send(turn: w.Turn, value: dict[str, Any]) -> w.Move:
    """Relays the message to the ticket's other side."""
    services = turn.services
    chat_id = w.chat(turn.update).id
    message = Incoming(chat_id, int(value["message_id"]), Kind(value["kind"]), value["text"])
    answers = turn.draft.get(ANSWERS)
    target = Target(int(turn.draft[w.TICKET]), int(answers) if answers else None)
    async with services.uow() as uow:
        sent = await ticket_messages.write(uow, services.context(turn.actor), target, message)
    log.info("note %s written to ticket %s", sent.note.id, sent.ticket.id)
    remember_album(turn.context, w.message(turn.update), sent.ticket.id)
    return w.Finish(t.sent(sent.ticket.number, sent.recipients))


FLOW = w.Flow(
    name="ticket_message",
    title=t.TITLE,
    entries=[w.button(callbacks.NOTE_WRITE, _open), w.button(callbacks.NOTE_ANSWER, _open_answer)],
    restart=True,
    steps=[
        w.Step("note", lambda draft: t.ask(draft[NUMBER]), anything=_message, then=_send),
    ],
    hint=t.HINT,
    reask=w.Reask.HINT,
    refusal=refusal,
    cancelled=t.CANCELLED,
    timed_out=t.TIMED_OUT,
    lost=tw.DRAFT_LOST,
    busy=tw.BUSY,
)


def conversation(settings: Settings) -> ConversationHandler[Any]:
    """Returns the persistent conversation of «Kirim pesan»."""
    return w.build(FLOW, settings)
