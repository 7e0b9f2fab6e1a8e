"""The confirmation of a berita acara by a person asked to confirm it with their own account:
the OPD's signatory another person chose, or the technician of a repair reported before
confirmations existed.

Opened by «Periksa dan konfirmasi» (`callbacks.BA_CONFIRM`, `<confirmation id>`) under the
private request (and its reminders); pressed again it starts afresh. The NIP and jabatan the
document needs are asked once, when the profile lacks them, and kept on the profile.
"""

from __future__ import annotations

import io
import logging
from typing import Any

from telegram import InputFile
from telegram.error import TelegramError
from telegram.ext import ConversationHandler

from bot import callbacks
from bot.config import Settings
from bot.conversations import wizard as w
from bot.services import profiles, users, workflow
from bot.services.berita_acara import confirmations
from bot.services.berita_acara.confirmations import AwaitedRequest, PartyCode
from bot.services.domain import ReplacedLine
from bot.services.errors import DomainError, InvalidInput
from bot.texts import berita_acara as bt
from bot.texts import wizards as t

log = logging.getLogger(__name__)

# Keys of the draft (JSON values only).
ID = "confirmation_id"
REQUEST = "request"  # what is confirmed, for the summary
NEEDS = "needs"  # profile fields asked ("nip", "position")
NIP, POSITION = "nip", "position"


def photo_loader(turn: w.Turn) -> confirmations.PhotoLoader:
    """Returns the download of a ticket's photo for the annex (BA_PHOTO_ANNEX): here, in the
    bot layer, as the services never talk to Telegram; a photo that fails is left out."""

    async def load(file_id: str) -> bytes | None:
        try:
            found = await turn.context.bot.get_file(file_id)
            return bytes(await found.download_as_bytearray())
        except TelegramError:
            log.warning("a photo for the berita acara annex could not be downloaded")
            return None

    return load


async def _open(turn: w.Turn) -> w.Opening:
    confirmation_id = callbacks.parse_int(turn.data, callbacks.BA_CONFIRM)
    async with turn.services.uow() as uow:
        request = await confirmations.open_awaited(
            uow, turn.services.context(turn.actor), confirmation_id
        )
    shown = {
        "ticket_number": request.ticket_number,
        "opd_name": request.opd_name,
        "party": request.party.value,
        "requested_by": request.requested_by,
        "diagnosis": request.diagnosis,
        "actions": request.actions,
        "items": [[i.name, i.quantity, i.unit, i.old_serial, i.new_serial] for i in request.items],
    }
    return w.Opening({ID: confirmation_id, REQUEST: shown, NEEDS: list(request.needs)})


def _request(draft: w.Draft) -> AwaitedRequest:
    shown = draft[REQUEST]
    return AwaitedRequest(
        int(draft[ID]),
        shown["ticket_number"],
        shown["opd_name"],
        PartyCode(shown["party"]),
        shown["requested_by"],
        shown["diagnosis"],
        shown["actions"],
        tuple(ReplacedLine(*item) for item in shown["items"]),
        tuple(draft[NEEDS]),
    )


async def _nip(turn: w.Turn, text: str) -> w.Move:
    """Checks the NIP against today's date (the TMT may not lie ahead)."""
    ctx = turn.services.context(turn.actor)
    turn.draft[NIP] = profiles.check_nip(text, ctx.now.astimezone(ctx.calendar.tz).date())
    return None


async def _submit(turn: w.Turn) -> w.Move:
    draft, ctx = turn.draft, turn.services.context(turn.actor)
    user = turn.update.effective_user
    account = confirmations.Account(turn.actor.telegram_id, user.username if user else None)
    try:
        async with turn.services.uow() as uow:
            outcome = await confirmations.confirm_awaited(
                uow,
                ctx,
                int(draft[ID]),
                account,
                nip=draft.get(NIP),
                position=draft.get(POSITION),
                bot_username=turn.context.bot.username,
                photos=photo_loader(turn),
            )
    except InvalidInput as error:
        return w.Go(POSITION, t.refusal(error))
    log.info("berita acara confirmation recorded for %s", outcome.ticket_number)
    if outcome.berita_acara is None:
        return w.Finish(bt.waiting(outcome.waiting))
    ba = outcome.berita_acara
    try:
        async with turn.services.uow() as uow:
            _, pdf = await workflow.berita_acara_pdf(uow, ctx, outcome.ticket_id)
    except DomainError:
        return w.Finish(bt.CONFIRMED_DONE)  # a technician of another team sees no PDF here
    await w.chat(turn.update).send_document(
        InputFile(io.BytesIO(pdf), filename=t.ba_file_name(ba.number)),
        caption=t.ba_caption(ba.number, ba.ticket_number, ba.verification_code),
    )
    return w.Finish(bt.CONFIRMED_DONE)


def _summary(draft: w.Draft) -> str:
    return bt.awaited_summary(_request(draft), draft.get(NIP), draft.get(POSITION))


FLOW = w.Flow(
    name="ba_confirm",
    title=bt.CONFIRM_TITLE,
    entries=[w.button(callbacks.BA_CONFIRM, _open)],
    restart=True,
    action=callbacks.WIZARD_BA_CONFIRM,
    steps=[
        w.Step(
            NIP,
            bt.ASK_TECH_NIP,
            bt.NEED_NIP,
            text=str,
            then=_nip,
            buttons=[[w.Button(bt.NO_NIP, "none", None)]],
            when=lambda draft: NIP in draft[NEEDS],
        ),
        w.Step(
            POSITION,
            bt.ASK_OWN_POSITION,
            text=users.clean_position,
            when=lambda draft: POSITION in draft[NEEDS],
        ),
    ],
    summary=w.Summary(
        _summary,
        _submit,
        send=bt.CONFIRM,
        cancel=bt.LATER,
        hint=bt.NEED_CONFIRM,
    ),
    hint=t.NEED_TEXT,
    refusal=t.refusal,
    cancelled=bt.CONFIRM_CANCELLED,
    timed_out=bt.CONFIRM_TIMED_OUT,
    lost=bt.CONFIRM_LOST,
    busy=t.BUSY,
)


def conversation(settings: Settings) -> ConversationHandler[Any]:
    """Returns the persistent conversation of an awaited confirmation."""
    return w.build(FLOW, settings)
