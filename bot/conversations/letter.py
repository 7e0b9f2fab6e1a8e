"""The request letter sent later: a reporter whose report said the letter follows ("menyusul")
sends it as a photo or a PDF/JPEG/PNG file, then its number and date (each may be skipped); the
coordinators and the job card in the technician group receive it.

Opened by «Kirim surat permohonan» (`callbacks.LETTER_ADD`) under `/tiket` and under the letter
reminders; pressed again (or for another ticket) it starts afresh. Nothing is stored before the
last answer: /batal or the timeout leave the ticket waiting for its letter.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from telegram.ext import ConversationHandler

from bot import callbacks
from bot.config import Settings
from bot.conversations import wizard as w
from bot.services import attachments, letters, workflow
from bot.services.errors import DomainError
from bot.texts import letters as tl
from bot.texts import wizards as t

log = logging.getLogger(__name__)

LETTER, NUMBER, DATE = "letter", "number", "date"


async def _open(turn: w.Turn) -> w.Opening:
    ticket_id = callbacks.parse_int(turn.data, callbacks.LETTER_ADD)
    async with turn.services.uow() as uow:
        await workflow.check_letter(uow, turn.services.context(turn.actor), ticket_id)
    return w.Opening({w.TICKET: ticket_id})


async def _submit(turn: w.Turn, dated: date | None) -> w.Move:
    """Adds the letter, its number and its date to the ticket."""
    services = turn.services
    async with services.uow() as uow:
        view = await workflow.add_letter(
            uow,
            services.context(turn.actor),
            int(turn.draft[w.TICKET]),
            attachments.from_json(turn.draft[LETTER]),
            number=turn.draft.get(NUMBER),
            dated=dated,
        )
    log.info("request letter added to %s", view.number)
    return w.Finish(tl.letter_saved(view))


async def _date(turn: w.Turn, text: str) -> w.Move:
    return await _submit(
        turn, letters.parse_date(text, letters.local_today(turn.services.context()))
    )


async def _no_date(turn: w.Turn) -> w.Move:
    await turn.clear_buttons()
    return await _submit(turn, None)


def _refusal(error: DomainError) -> str:
    return t.refusal(error)


_SKIP_NUMBER = [[w.Button(tl.SKIP, "skip", None)]]
_SKIP_DATE = [[w.Button(tl.SKIP, "skip", run=_no_date)]]

FLOW = w.Flow(
    name="letter",
    title=t.LETTER_TITLE,
    action=callbacks.LETTER_FORM,
    entries=[w.button(callbacks.LETTER_ADD, _open)],
    restart=True,
    steps=[
        w.Step(LETTER, t.ASK_LETTER, files=attachments.LETTER_TYPES),
        w.Step(
            NUMBER,
            tl.ASK_NUMBER,
            tl.NEED_TEXT,
            text=letters.clean_number,
            buttons=_SKIP_NUMBER,
            errors=_refusal,
        ),
        w.Step(
            DATE,
            tl.ASK_DATE,
            tl.NEED_TEXT,
            text=str,
            then=_date,
            buttons=_SKIP_DATE,
            errors=_refusal,
        ),
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
