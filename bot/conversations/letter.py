"""The request letter sent later: a reporter whose report said the letter follows ("menyusul")
sends it as a photo or a PDF/JPEG/PNG file; the technician group receives it.

Opened by «Kirim surat permohonan» (`callbacks.LETTER_ADD`) under `/tiket`; pressed again (or
for another ticket) it starts afresh.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram.ext import ConversationHandler

from bot import callbacks
from bot.config import Settings
from bot.conversations import wizard as w
from bot.services import attachments, workflow
from bot.texts import wizards as t
from bot.texts.common import esc

log = logging.getLogger(__name__)


async def _open(turn: w.Turn) -> w.Opening:
    ticket_id = callbacks.parse_int(turn.data, callbacks.LETTER_ADD)
    async with turn.services.uow() as uow:
        await workflow.check_letter(uow, turn.services.context(turn.actor), ticket_id)
    return w.Opening({w.TICKET: ticket_id})


async def _attach(turn: w.Turn, letter: dict[str, Any]) -> w.Move:
    """Adds the letter to the ticket as soon as it arrives."""
    services = turn.services
    async with services.uow() as uow:
        view = await workflow.add_letter(
            uow,
            services.context(turn.actor),
            int(turn.draft[w.TICKET]),
            attachments.from_json(letter),
        )
    log.info("request letter added to %s", view.number)
    return w.Finish(t.LETTER_SAVED.format(number=esc(view.number)))


FLOW = w.Flow(
    name="letter",
    title=t.LETTER_TITLE,
    entries=[w.button(callbacks.LETTER_ADD, _open)],
    restart=True,
    steps=[
        w.Step("letter", t.ASK_LETTER, files=attachments.LETTER_TYPES, then=_attach),
    ],
    hint=t.NEED_LETTER,
    reask=w.Reask.HINT,
    errors=lambda error: t.file_error(error, t.LETTER_FILE_TYPE),
    refusal=t.refusal,
    cancelled=t.LETTER_CANCELLED,
    timed_out=t.LETTER_TIMED_OUT,
    lost=t.DRAFT_LOST,
    busy=t.BUSY,
)


def conversation(settings: Settings) -> ConversationHandler[Any]:
    """Returns the persistent conversation that receives a request letter sent later."""
    return w.build(FLOW, settings)
